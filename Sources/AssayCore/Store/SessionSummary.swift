/// A session in a list: its id, turns, time span, tokens, errors and whether it is flagged
/// (docs/conversations.md, "Sessions"). Stores list them with `TraceStore.sessions(matching:)`.
public struct SessionSummary: Sendable, Hashable {
    /// The session id.
    public var id: String
    /// How many traces (turns) it has.
    public var traceCount: Int
    /// The first turn's start, nanoseconds since the Unix epoch.
    public var startTimeUnixNano: UInt64
    /// The last turn's end.
    public var endTimeUnixNano: UInt64
    /// Input tokens over every turn.
    public var inputTokens: Int64
    /// Output tokens over every turn.
    public var outputTokens: Int64
    /// Turns with a failed span.
    public var errorTraces: Int
    /// The user id of the earliest turn that carries one.
    public var userID: String?
    /// Whether a current review of the session, or of one of its turns, flags it as needing review.
    public var isFlagged: Bool

    /// Creates a summary.
    public init(id: String, traceCount: Int, startTimeUnixNano: UInt64, endTimeUnixNano: UInt64, inputTokens: Int64 = 0,
                outputTokens: Int64 = 0, errorTraces: Int = 0, userID: String? = nil, isFlagged: Bool = false) {
        self.id = id
        self.traceCount = traceCount
        self.startTimeUnixNano = startTimeUnixNano
        self.endTimeUnixNano = endTimeUnixNano
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.errorTraces = errorTraces
        self.userID = userID
        self.isFlagged = isFlagged
    }

    /// Rolls up sessions from trace summaries (those without a session id are left out), newest
    /// activity first: by the last turn's end, then by id (byte order), both descending. With
    /// `feedback` (by trace), a session is flagged when any current item on one of its traces flags it;
    /// feedback on the whole session is stored on one of them.
    public static func rollUp(_ traces: [TraceSummary], feedback: [TraceID: [StoredFeedback]] = [:]) -> [SessionSummary] {
        var byID: [String: SessionSummary] = [:]
        let ordered = traces.sorted { ($0.startTimeUnixNano, $0.traceID.description) < ($1.startTimeUnixNano, $1.traceID.description) }
        for t in ordered {
            guard let id = t.sessionID else { continue }
            var s = byID[id] ?? SessionSummary(id: id, traceCount: 0, startTimeUnixNano: t.startTimeUnixNano, endTimeUnixNano: t.endTimeUnixNano)
            s.traceCount += 1
            s.startTimeUnixNano = min(s.startTimeUnixNano, t.startTimeUnixNano)
            s.endTimeUnixNano = max(s.endTimeUnixNano, t.endTimeUnixNano)
            s.inputTokens &+= t.inputTokens
            s.outputTokens &+= t.outputTokens
            if t.errorCount > 0 { s.errorTraces += 1 }
            if s.userID == nil { s.userID = t.userID }
            if feedback[t.traceID]?.contains(where: { $0.isCurrent && $0.feedback.needsReview }) == true { s.isFlagged = true }
            byID[id] = s
        }
        return byID.values.sorted(by: newestFirst)
    }

    /// The list order: the last turn's end, then the id's bytes, both descending.
    public static func newestFirst(_ a: SessionSummary, _ b: SessionSummary) -> Bool {
        if a.endTimeUnixNano != b.endTimeUnixNano { return a.endTimeUnixNano > b.endTimeUnixNano }
        return b.id.utf8.lexicographicallyPrecedes(a.id.utf8)
    }
}
