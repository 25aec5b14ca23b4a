/// An item of feedback whose trace (or span) is not in the store; feedback naming one is refused
/// as ``AssayError/unknownFeedbackTargets(_:)``.
public struct UnknownFeedbackTarget: Hashable, Sendable, CustomStringConvertible {
    /// The position of the item in what was submitted (0-based).
    public var index: Int
    /// The trace.
    public var traceID: TraceID
    /// The span, when the trace exists but the span does not.
    public var spanID: SpanID?
    /// The session, when the trace exists but is not one of that session's turns (feedback on a whole
    /// session is stored on one of its traces).
    public var sessionID: String?

    /// Creates a refusal.
    public init(index: Int, traceID: TraceID, spanID: SpanID?, sessionID: String? = nil) {
        self.index = index
        self.traceID = traceID
        self.spanID = spanID
        self.sessionID = sessionID
    }

    /// `no trace … in the store`, `trace … has no span …`, or `trace … is not a turn of session …`.
    public var description: String {
        if let spanID { return "trace \(traceID) has no span \(spanID)" }
        if let sessionID { return "trace \(traceID) is not a turn of session \(DisplayFormat.safe(sessionID, limit: 80))" }
        return "no trace \(traceID) in the store (ingest it first)"
    }
}
