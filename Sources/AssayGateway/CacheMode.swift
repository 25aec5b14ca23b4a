/// What the gateway does with its response cache (docs/gateway.md, "Cache and replay").
package enum CacheMode: String, Sendable, CaseIterable {
    /// Every call goes upstream; nothing is read or written.
    case off
    /// Every call goes upstream; successful responses are written.
    case record
    /// Calls are answered from the cache only; a request not recorded fails and never reaches the network.
    case replay
    /// Recorded requests are answered from the cache; others go upstream and are written.
    case replayOrRecord = "replay-or-record"

    /// Whether the cache is read.
    package var reads: Bool { self == .replay || self == .replayOrRecord }
    /// Whether responses are written.
    package var writes: Bool { self == .record || self == .replayOrRecord }

    /// The modes as a user writes them.
    package static let names = allCases.map(\.rawValue).joined(separator: ", ")
}
