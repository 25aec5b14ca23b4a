/// An item of feedback whose trace (or span) is not in the store; feedback naming one is refused
/// as ``AssayError/unknownFeedbackTargets(_:)``.
public struct UnknownFeedbackTarget: Hashable, Sendable, CustomStringConvertible {
    /// The position of the item in what was submitted (0-based).
    public var index: Int
    /// The trace.
    public var traceID: TraceID
    /// The span, when the trace exists but the span does not.
    public var spanID: SpanID?

    /// Creates a refusal.
    public init(index: Int, traceID: TraceID, spanID: SpanID?) {
        self.index = index
        self.traceID = traceID
        self.spanID = spanID
    }

    /// `no trace … in the store`, or `trace … has no span …`.
    public var description: String {
        if let spanID { return "trace \(traceID) has no span \(spanID)" }
        return "no trace \(traceID) in the store (ingest it first)"
    }
}
