/// Where traces live. The SQLite store implements it; a PostgreSQL store can follow.
///
/// Writes happen in transactions: everything written through one `TraceWriter` is committed
/// together when the body returns, and nothing of it when the body throws.
public protocol TraceStore: Sendable {
    /// Runs `body` in one write transaction.
    func write<T>(_ body: (any TraceWriter) throws -> T) throws -> T

    /// The traces matching `query`, newest first.
    func traces(matching query: TraceQuery) throws -> [TraceSummary]

    /// A whole trace with its spans, or nil when it is not stored.
    func trace(_ id: TraceID) throws -> StoredTrace?

    /// Whole traces for `ids`, in that order, leaving out ids not stored (stores may read them in one go).
    func traces(_ ids: [TraceID]) throws -> [StoredTrace]

    /// All feedback on these traces (on the trace or its spans), oldest first, by trace.
    func feedback(for ids: [TraceID]) throws -> [TraceID: [StoredFeedback]]

    /// The sessions matching `query` (traces grouped by session id), newest activity first
    /// (docs/conversations.md, "Sessions"). The default rolls every trace up in memory
    /// (`SessionSummary.rollUp`): the reference that the SQL stores implement with a `GROUP BY`.
    func sessions(matching query: SessionQuery) throws -> [SessionSummary]
}

extension TraceStore {
    /// Reads the traces one by one.
    public func traces(_ ids: [TraceID]) throws -> [StoredTrace] { try ids.compactMap(trace) }

    /// Rolls up every stored trace that has a session id, and the feedback on them.
    public func sessions(matching query: SessionQuery) throws -> [SessionSummary] {
        let all = try traces(matching: TraceQuery(limit: .max)).filter { $0.sessionID != nil }
        let feedback = try self.feedback(for: all.map(\.traceID))
        let bySession = Dictionary(grouping: all) { $0.sessionID! }
        let matching = SessionSummary.rollUp(all, feedback: feedback).filter { s in
            query.matches(turns: bySession[s.id] ?? [], flagged: s.isFlagged)
        }
        return Array(matching.prefix(max(0, query.limit)))
    }

    /// The turns of a session: the summaries of the traces with this session id, in start order (then
    /// by trace id); empty when no stored trace carries it.
    public func sessionTurns(_ id: String) throws -> [TraceSummary] {
        try traces(matching: TraceQuery(sessionID: id, limit: .max)).sorted {
            ($0.startTimeUnixNano, $0.traceID.description) < ($1.startTimeUnixNano, $1.traceID.description)
        }
    }

    /// The trace that feedback on a whole session is stored on: the session's first trace, or nil when
    /// no stored trace has this session id.
    public func sessionAnchor(_ id: String) throws -> TraceID? { try sessionTurns(id).first?.traceID }

    /// Stores feedback in one transaction, all of it or none.
    ///
    /// - Throws: `AssayError.unknownFeedbackTargets` naming every item whose trace (or span) is not stored; nothing is written then.
    @discardableResult
    public func add(_ feedback: [Feedback]) throws -> FeedbackCounts {
        try write { writer in
            let unknown = try writer.unknownTargets(feedback)
            guard unknown.isEmpty else { throw AssayError.unknownFeedbackTargets(unknown) }
            return try writer.add(feedback)
        }
    }
}

/// Writes prepared spans within a store transaction. Ingest is idempotent: a span already stored
/// (same trace id and span id) is left as it is and counted as present.
public protocol TraceWriter: AnyObject {
    /// Writes a batch; returns span and trace counts for it (`tracesNew` and `tracesPresent`
    /// count each trace the first time this writer sees it).
    func write(_ batch: IngestBatch) throws -> IngestCounts

    /// The items whose trace, or span within the trace, is not stored; writes nothing.
    func unknownTargets(_ feedback: [Feedback]) throws -> [UnknownFeedbackTarget]

    /// Stores feedback whose targets exist (check with `unknownTargets` first). An item whose id is
    /// stored already is left as it is. The newest item per review key becomes current.
    func add(_ feedback: [Feedback]) throws -> FeedbackCounts

    /// Records what online evaluation did with these traces at `time` (traces not stored are ignored).
    func recordEvaluation(_ outcomes: [TraceID: OnlineEvaluation], at time: UInt64) throws
}

/// A stored trace: its summary and every span with its resource and scope.
public struct StoredTrace: Sendable {
    /// The rollup.
    public var summary: TraceSummary
    /// The spans, ordered by start time.
    public var spans: [StoredSpan]

    /// Creates a stored trace.
    public init(summary: TraceSummary, spans: [StoredSpan]) {
        self.summary = summary
        self.spans = spans
    }

    /// The trace as an OTLP document, spans grouped by resource and scope in first-seen order.
    public var tracesData: TracesData {
        var data = TracesData()
        for stored in spans {
            let r = data.resourceSpans.firstIndex { $0.resource == stored.resource && $0.schemaURL == stored.resourceSchemaURL }
                ?? { data.resourceSpans.append(ResourceSpans(resource: stored.resource, schemaURL: stored.resourceSchemaURL)); return data.resourceSpans.count - 1 }()
            let s = data.resourceSpans[r].scopeSpans.firstIndex { $0.scope == stored.scope && $0.schemaURL == stored.scopeSchemaURL }
                ?? { data.resourceSpans[r].scopeSpans.append(ScopeSpans(scope: stored.scope, schemaURL: stored.scopeSchemaURL)); return data.resourceSpans[r].scopeSpans.count - 1 }()
            data.resourceSpans[r].scopeSpans[s].spans.append(stored.span)
        }
        return data
    }
}

/// A span as stored, with the resource and scope that produced it.
public struct StoredSpan: Sendable {
    /// The span.
    public var span: Span
    /// Its derived LLM summary.
    public var summary: SpanSummary
    /// The producing resource.
    public var resource: Resource
    /// The resource's schema URL.
    public var resourceSchemaURL: String
    /// The instrumentation scope.
    public var scope: InstrumentationScope
    /// The scope's schema URL.
    public var scopeSchemaURL: String

    /// Creates a stored span.
    public init(span: Span, summary: SpanSummary, resource: Resource = Resource(), resourceSchemaURL: String = "",
                scope: InstrumentationScope = InstrumentationScope(), scopeSchemaURL: String = "") {
        self.span = span
        self.summary = summary
        self.resource = resource
        self.resourceSchemaURL = resourceSchemaURL
        self.scope = scope
        self.scopeSchemaURL = scopeSchemaURL
    }
}
