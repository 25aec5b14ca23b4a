/// One shard of a run split over N machines: shard `index` of `count`, both from 1, written `I/N`.
public struct Shard: Hashable, Sendable, CustomStringConvertible {
    /// Which shard, from 1.
    public let index: Int
    /// How many shards the run is split into.
    public let count: Int

    /// A shard, or nil unless 1 ≤ `index` ≤ `count`.
    public init?(index: Int, count: Int) {
        guard count >= 1, index >= 1, index <= count else { return nil }
        self.index = index
        self.count = count
    }

    /// Parses `I/N` with 1 ≤ I ≤ N; nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]) else { return nil }
        self.init(index: i, count: n)
    }

    /// `I/N`.
    public var description: String { "\(index)/\(count)" }
}

extension Shard: Codable {
    /// Decodes `I/N`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        guard let shard = Shard(text) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "expected a shard I/N with 1 ≤ I ≤ N, got \(DisplayFormat.safe(text))")
        }
        self = shard
    }

    /// Encodes `I/N`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
