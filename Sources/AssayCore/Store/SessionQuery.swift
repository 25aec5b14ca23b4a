/// Filters for listing sessions (`assay sessions list`). Every filter left nil or false matches
/// everything; a listed session always covers all of its turns, not only those in the window.
public struct SessionQuery: Hashable, Sendable {
    /// Only sessions with a turn that started at or after this time (ns since the Unix epoch)...
    public var startFrom: UInt64?
    /// ...and before this time: the sessions of the traces that `TraceQuery` with the same bounds lists.
    public var startBefore: UInt64?
    /// Only sessions that a current review of the session, or of one of its turns, flags.
    public var flagged: Bool
    /// At most this many sessions, newest activity first (`SessionSummary.newestFirst`).
    public var limit: Int

    /// Creates a query; by default the 50 sessions with the newest activity.
    public init(startFrom: UInt64? = nil, startBefore: UInt64? = nil, flagged: Bool = false, limit: Int = 50) {
        self.startFrom = startFrom
        self.startBefore = startBefore
        self.flagged = flagged
        self.limit = limit
    }

    /// Whether the query bounds the turns' start times.
    public var hasWindow: Bool { startFrom != nil || startBefore != nil }

    /// Whether one turn's start is within the bounds.
    public func contains(start: UInt64) -> Bool {
        if let startFrom, start < startFrom { return false }
        if let startBefore, start >= startBefore { return false }
        return true
    }

    /// Whether a session passes every filter, given all of its turns and whether it is flagged (the
    /// reference semantics every store implements).
    public func matches(turns: [TraceSummary], flagged isFlagged: Bool) -> Bool {
        if flagged && !isFlagged { return false }
        if hasWindow && !turns.contains(where: { contains(start: $0.startTimeUnixNano) }) { return false }
        return true
    }
}
