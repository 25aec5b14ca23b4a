/// A 16-byte OpenTelemetry trace id. All-zero ids are invalid and cannot be constructed.
///
/// Its `description` is 32 lower-case hex characters, the form OTLP/JSON uses.
public struct TraceID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The first 8 bytes, big-endian.
    public let high: UInt64
    /// The last 8 bytes, big-endian.
    public let low: UInt64

    /// Creates an id from its two big-endian halves; nil when both are zero.
    public init?(high: UInt64, low: UInt64) {
        guard high != 0 || low != 0 else { return nil }
        self.high = high
        self.low = low
    }

    /// Parses 32 hex digits in any case; nil for any other length, a non-hex digit or all zeros.
    public init?(hex: some StringProtocol) {
        let utf8 = hex.utf8
        guard utf8.count == 32,
              let high = Hex.parse64(utf8, from: utf8.startIndex),
              let low = Hex.parse64(utf8, from: utf8.index(utf8.startIndex, offsetBy: 16))
        else { return nil }
        self.init(high: high, low: low)
    }

    /// Creates an id from 16 raw bytes; nil for another length or all zeros.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 16 else { return nil }
        var high: UInt64 = 0, low: UInt64 = 0
        for (i, b) in bytes.enumerated() {
            if i < 8 { high = (high << 8) | UInt64(b) } else { low = (low << 8) | UInt64(b) }
        }
        self.init(high: high, low: low)
    }

    /// The 16 bytes, big-endian.
    public var bytes: [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: high >> UInt64(56 - $0 * 8)) }
            + (0..<8).map { UInt8(truncatingIfNeeded: low >> UInt64(56 - $0 * 8)) }
    }

    /// 32 lower-case hex characters.
    public var description: String {
        var out: [UInt8] = []
        out.reserveCapacity(32)
        appendHex(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the 32 hex characters to a byte buffer.
    public func appendHex(to out: inout [UInt8]) {
        Hex.append(high, bytes: 8, to: &out)
        Hex.append(low, bytes: 8, to: &out)
    }

    public static func < (a: TraceID, b: TraceID) -> Bool { (a.high, a.low) < (b.high, b.low) }
}

extension TraceID: Codable {
    /// Decodes 32 hex digits.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        guard let id = TraceID(hex: text) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "expected 32 hex characters, got \(DisplayFormat.safe(text))")
        }
        self = id
    }

    /// Encodes 32 hex digits.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
