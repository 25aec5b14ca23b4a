/// Accumulates a trace summary span by span; two rollups of disjoint span sets merge into the
/// rollup of their union, which is how stores update a trace when more of its spans arrive.
public struct TraceRollup: Sendable {
    /// The summary so far.
    public private(set) var summary: TraceSummary
    private var rootStart: UInt64 = .max
    private var hasSpans = false
    /// The operations seen, as a bit mask of `SpanOperation.bit`.
    public private(set) var operationMask: Int64 = 0

    /// Starts an empty rollup.
    public init(traceID: TraceID) { summary = TraceSummary(traceID: traceID) }

    /// Adds one span not added before.
    public mutating func add(_ span: Span, _ s: SpanSummary) {
        add(spanID: span.spanID, parentSpanID: span.parentSpanID, name: span.name, start: span.startTimeUnixNano,
            end: span.endTimeUnixNano, statusCode: span.status.code, s)
    }

    /// Adds one prepared span not added before.
    public mutating func add(_ p: PreparedSpan) {
        add(spanID: p.spanID, parentSpanID: p.parentSpanID, name: p.name, start: p.startTimeUnixNano,
            end: p.endTimeUnixNano, statusCode: p.statusCode, p.summary)
    }

    private mutating func add(spanID: SpanID, parentSpanID: SpanID?, name: String, start: UInt64, end: UInt64,
                              statusCode: StatusCode, _ s: SpanSummary) {
        if !hasSpans || start < summary.startTimeUnixNano { summary.startTimeUnixNano = start }
        if !hasSpans || end > summary.endTimeUnixNano { summary.endTimeUnixNano = end }
        hasSpans = true
        summary.spanCount += 1
        if statusCode == .error { summary.errorCount += 1 }
        // Tokens count on model calls only: agent and chain spans may repeat their children's usage.
        if s.operation == .chat || s.operation == .embeddings {
            summary.inputTokens &+= s.inputTokens ?? 0
            summary.outputTokens &+= s.outputTokens ?? 0
            summary.totalTokens &+= s.totalTokens ?? 0
        }
        if let model = s.model, !summary.models.contains(model) {
            summary.models.append(model)
            summary.models.sort()
        }
        operationMask |= s.operation.bit
        summary.operations = SpanOperation.decode(mask: operationMask)
        if summary.sessionID == nil { summary.sessionID = s.sessionID }
        if summary.userID == nil { summary.userID = s.userID }
        if parentSpanID == nil, Self.isEarlierRoot(start, spanID, than: rootStart, summary.rootSpanID) {
            rootStart = start
            summary.rootSpanID = spanID
            summary.rootName = name
        }
    }

    /// The root start time of the chosen root, for stores that merge rollups themselves.
    public var rootStartTimeUnixNano: UInt64? { summary.rootSpanID == nil ? nil : rootStart }

    /// When several spans have no parent, the earliest (then the smallest id) is the root.
    public static func isEarlierRoot(_ start: UInt64, _ id: SpanID, than otherStart: UInt64, _ otherID: SpanID?) -> Bool {
        guard let otherID else { return true }
        return start < otherStart || (start == otherStart && id < otherID)
    }
}
