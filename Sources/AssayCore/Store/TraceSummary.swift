/// A trace rolled up from its spans: what a trace list shows and filters on.
public struct TraceSummary: Hashable, Sendable {
    /// The trace.
    public var traceID: TraceID
    /// The root span: one with no parent, else the topmost received span (see `rootKind`); nil before any span.
    public var rootSpanID: SpanID?
    /// The root span's name.
    public var rootName: String?
    /// How the root was chosen.
    public var rootKind: TraceRootKind = .none
    /// The earliest span start, nanoseconds since the Unix epoch.
    public var startTimeUnixNano: UInt64
    /// The latest span end, nanoseconds since the Unix epoch.
    public var endTimeUnixNano: UInt64
    /// How many spans the trace has.
    public var spanCount: Int64
    /// How many of them have status `error`.
    public var errorCount: Int64
    /// Input tokens over model calls (chat and embeddings spans).
    public var inputTokens: Int64
    /// Output tokens over LLM calls.
    public var outputTokens: Int64
    /// Total tokens over LLM calls.
    public var totalTokens: Int64
    /// The models used, sorted.
    public var models: [String]
    /// The operations present.
    public var operations: [SpanOperation]
    /// The session or conversation id, where a span carries one.
    public var sessionID: String?
    /// The user id, where a span carries one.
    public var userID: String?
    /// Tokens by provider and model, over the model calls (chat and embeddings spans): what prices apply to.
    public var usage: [ModelUsage] = []

    /// The wall-clock duration from the first start to the last end.
    public var durationNanos: UInt64 { endTimeUnixNano >= startTimeUnixNano ? endTimeUnixNano - startTimeUnixNano : 0 }

    /// `error` when any span failed, else `ok`.
    public var status: TraceStatus { errorCount > 0 ? .error : .ok }

    /// Creates a summary.
    public init(
        traceID: TraceID, rootSpanID: SpanID? = nil, rootName: String? = nil, startTimeUnixNano: UInt64 = 0,
        endTimeUnixNano: UInt64 = 0, spanCount: Int64 = 0, errorCount: Int64 = 0, inputTokens: Int64 = 0,
        outputTokens: Int64 = 0, totalTokens: Int64 = 0, models: [String] = [], operations: [SpanOperation] = [],
        sessionID: String? = nil, userID: String? = nil
    ) {
        self.traceID = traceID
        self.rootSpanID = rootSpanID
        self.rootName = rootName
        self.startTimeUnixNano = startTimeUnixNano
        self.endTimeUnixNano = endTimeUnixNano
        self.spanCount = spanCount
        self.errorCount = errorCount
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.totalTokens = totalTokens
        self.models = models
        self.operations = operations
        self.sessionID = sessionID
        self.userID = userID
        self.rootKind = rootSpanID == nil ? .none : .root
    }

    /// Rolls up a trace from all of its spans.
    public init(traceID: TraceID, spans: [(span: Span, summary: SpanSummary)]) {
        var rollup = TraceRollup(traceID: traceID, findsTopmost: true)
        for (span, summary) in spans { rollup.add(span, summary) }
        self = rollup.summary
    }
}

/// A trace's overall status.
public enum TraceStatus: String, Sendable, CaseIterable {
    /// No span has status error.
    case ok
    /// At least one span has status error.
    case error
}
