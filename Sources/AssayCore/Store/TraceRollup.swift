/// Accumulates a trace summary span by span; two rollups of disjoint span sets merge into the
/// rollup of their union, which is how stores update a trace when more of its spans arrive.
///
/// The root it reports is a span without a parent. A rollup over a whole trace (`findsTopmost`) also
/// falls back to the topmost span, the earliest whose parent is not among its spans (`TraceRootKind`);
/// a store that rolls up batch by batch finds that one over its stored spans instead.
public struct TraceRollup: Sendable {
    private var partial: TraceSummary
    private var rootStart: UInt64 = .max
    private var hasSpans = false
    /// The operations seen, as a bit mask of `SpanOperation.bit`.
    public private(set) var operationMask: Int64 = 0
    private let findsTopmost: Bool
    private var spanIDs: Set<SpanID> = []
    private var children: [(id: SpanID, parent: SpanID, start: UInt64, name: String, flags: UInt32)] = []

    /// Starts an empty rollup; `findsTopmost` when it will see every span of the trace.
    public init(traceID: TraceID, findsTopmost: Bool = false) {
        partial = TraceSummary(traceID: traceID)
        self.findsTopmost = findsTopmost
    }

    /// The summary so far.
    public var summary: TraceSummary {
        guard findsTopmost, partial.rootSpanID == nil else { return partial }
        var out = partial
        var best: (id: SpanID, start: UInt64, name: String, flags: UInt32)?
        for c in children where !spanIDs.contains(c.parent) {
            if best == nil || Self.isEarlierRoot(c.start, c.id, than: best!.start, best!.id) { best = (c.id, c.start, c.name, c.flags) }
        }
        if let best {
            out.rootSpanID = best.id
            out.rootName = best.name
            out.rootKind = TraceRootKind.ofTopmost(flags: best.flags)
        }
        return out
    }

    /// Adds one span not added before.
    public mutating func add(_ span: Span, _ s: SpanSummary) {
        add(spanID: span.spanID, parentSpanID: span.parentSpanID, name: span.name, start: span.startTimeUnixNano,
            end: span.endTimeUnixNano, statusCode: span.status.code, flags: span.flags, s)
    }

    /// Adds one prepared span not added before.
    public mutating func add(_ p: PreparedSpan) {
        add(spanID: p.spanID, parentSpanID: p.parentSpanID, name: p.name, start: p.startTimeUnixNano,
            end: p.endTimeUnixNano, statusCode: p.statusCode, flags: p.flags, p.summary)
    }

    private mutating func add(spanID: SpanID, parentSpanID: SpanID?, name: String, start: UInt64, end: UInt64,
                              statusCode: StatusCode, flags: UInt32, _ s: SpanSummary) {
        if findsTopmost {
            spanIDs.insert(spanID)
            if let parentSpanID { children.append((spanID, parentSpanID, start, name, flags)) }
        }
        var summary = partial
        defer { partial = summary }
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
        if let call = ModelUsage(call: s) {
            if let i = summary.usage.firstIndex(where: { $0.sameModel(as: call) }) { summary.usage[i].add(call) } else {
                summary.usage = ModelUsage.merged(summary.usage + [call])
            }
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
            summary.rootKind = .root
        }
    }

    /// The root start time of the chosen root, for stores that merge rollups themselves.
    public var rootStartTimeUnixNano: UInt64? { partial.rootSpanID == nil ? nil : rootStart }

    /// When several spans have no parent, the earliest (then the smallest id) is the root.
    public static func isEarlierRoot(_ start: UInt64, _ id: SpanID, than otherStart: UInt64, _ otherID: SpanID?) -> Bool {
        guard let otherID else { return true }
        return start < otherStart || (start == otherStart && id < otherID)
    }
}
