/// An 8-byte OpenTelemetry span id. All-zero ids are invalid and cannot be constructed.
///
/// Its `description` is 16 lower-case hex characters, the form OTLP/JSON uses.
public struct SpanID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The 8 bytes as a big-endian integer.
    public let value: UInt64

    /// Creates an id from its big-endian value; nil for zero.
    public init?(_ value: UInt64) {
        guard value != 0 else { return nil }
        self.value = value
    }

    /// Parses 16 hex digits in any case; nil for any other length, a non-hex digit or all zeros.
    public init?(hex: some StringProtocol) {
        let utf8 = hex.utf8
        guard utf8.count == 16, let value = Hex.parse64(utf8, from: utf8.startIndex) else { return nil }
        self.init(value)
    }

    /// Creates an id from 8 raw bytes; nil for another length or all zeros.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 8 else { return nil }
        self.init(bytes.reduce(0) { ($0 << 8) | UInt64($1) })
    }

    /// The 8 bytes, big-endian.
    public var bytes: [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: value >> UInt64(56 - $0 * 8)) } }

    /// 16 lower-case hex characters.
    public var description: String {
        var out: [UInt8] = []
        out.reserveCapacity(16)
        appendHex(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the 16 hex characters to a byte buffer.
    public func appendHex(to out: inout [UInt8]) { Hex.append(value, bytes: 8, to: &out) }

    public static func < (a: SpanID, b: SpanID) -> Bool { a.value < b.value }
}
