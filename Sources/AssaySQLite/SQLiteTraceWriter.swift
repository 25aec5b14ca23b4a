package import AssayCore
import GRDB
import GRDBSQLite

/// Writes prepared spans inside one SQLite transaction, with statements prepared once.
///
/// A span already stored (same trace and span id) is ignored and counted as present. Trace rollups
/// are updated incrementally from the spans that were new, so a parent arriving after its children
/// (or in a later request) links up without rescanning the trace.
package final class SQLiteTraceWriter: TraceWriter {
    private let insertSpan: SQLiteStatement
    private let insertResource: SQLiteStatement
    private let selectResource: SQLiteStatement
    private let insertScope: SQLiteStatement
    private let selectScope: SQLiteStatement
    private let upsertTrace: SQLiteStatement
    private let insertModel: SQLiteStatement
    private let upsertUsage: SQLiteStatement
    private let selectTopmost: SQLiteStatement
    private let updateRoot: SQLiteStatement
    private let selectParent: SQLiteStatement
    private let markEvaluated: SQLiteStatement
    /// The wall clock when the transaction began: the arrival time of what it writes.
    private let now: UInt64
    private var resourceIDs: [[UInt8]: Int64] = [:]
    private var scopeIDs: [[UInt8]: Int64] = [:]
    private var seenTraces: Set<TraceID> = []

    private let database: Database
    private lazy var feedbackWriter = SQLiteFeedback.Writer(db: database)

    init(connection: OpaquePointer, database: Database) throws {
        self.database = database
        now = WallClock.nowNanos()
        insertSpan = try SQLiteStatement(Self.insertSpanSQL, on: connection)
        insertResource = try SQLiteStatement("INSERT OR IGNORE INTO resources (body) VALUES (?1)", on: connection)
        selectResource = try SQLiteStatement("SELECT id FROM resources WHERE body = ?1", on: connection)
        insertScope = try SQLiteStatement("INSERT OR IGNORE INTO scopes (body) VALUES (?1)", on: connection)
        selectScope = try SQLiteStatement("SELECT id FROM scopes WHERE body = ?1", on: connection)
        // A span without a parent always beats a topmost stand-in (root_kind other than 1).
        let newRoot = """
            excluded.root_span_id IS NOT NULL AND (traces.root_span_id IS NULL OR traces.root_kind != 1
                OR excluded.root_start_ns < traces.root_start_ns
                OR (excluded.root_start_ns = traces.root_start_ns AND excluded.root_span_id < traces.root_span_id))
            """
        upsertTrace = try SQLiteStatement("""
            INSERT INTO traces (trace_id, root_span_id, root_name, root_start_ns, start_ns, end_ns, span_count, error_count,
                input_tokens, output_tokens, total_tokens, operations, session_id, user_id, root_kind, first_seen_ns, last_seen_ns)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?16)
            ON CONFLICT (trace_id) DO UPDATE SET
                root_span_id = CASE WHEN \(newRoot) THEN excluded.root_span_id ELSE traces.root_span_id END,
                root_name = CASE WHEN \(newRoot) THEN excluded.root_name ELSE traces.root_name END,
                root_start_ns = CASE WHEN \(newRoot) THEN excluded.root_start_ns ELSE traces.root_start_ns END,
                root_kind = CASE WHEN \(newRoot) THEN 1 ELSE traces.root_kind END,
                first_seen_ns = coalesce(traces.first_seen_ns, excluded.first_seen_ns),
                last_seen_ns = excluded.last_seen_ns,
                start_ns = min(traces.start_ns, excluded.start_ns),
                end_ns = max(traces.end_ns, excluded.end_ns),
                span_count = traces.span_count + excluded.span_count,
                error_count = traces.error_count + excluded.error_count,
                input_tokens = traces.input_tokens + excluded.input_tokens,
                output_tokens = traces.output_tokens + excluded.output_tokens,
                total_tokens = traces.total_tokens + excluded.total_tokens,
                operations = traces.operations | excluded.operations,
                session_id = coalesce(traces.session_id, excluded.session_id),
                user_id = coalesce(traces.user_id, excluded.user_id)
            RETURNING span_count, root_kind, root_span_id, root_start_ns
            """, on: connection)
        insertModel = try SQLiteStatement("INSERT OR IGNORE INTO trace_models (trace_id, model) VALUES (?1, ?2)", on: connection)
        upsertUsage = try SQLiteStatement(Self.upsertUsageSQL, on: connection)
        selectTopmost = try SQLiteStatement("""
            SELECT s.span_id, s.name, s.start_ns, s.flags FROM spans s
            WHERE s.trace_id = ?1
              AND NOT EXISTS (SELECT 1 FROM spans p WHERE p.trace_id = ?1 AND p.span_id = s.parent_span_id)
            ORDER BY s.start_ns, s.span_id LIMIT 1
            """, on: connection)
        selectParent = try SQLiteStatement("SELECT parent_span_id FROM spans WHERE trace_id = ?1 AND span_id = ?2", on: connection)
        updateRoot = try SQLiteStatement(
            "UPDATE traces SET root_span_id = ?2, root_name = ?3, root_start_ns = ?4, root_kind = ?5 WHERE trace_id = ?1", on: connection)
        markEvaluated = try SQLiteStatement("UPDATE traces SET online = ?2, online_ns = ?3 WHERE trace_id = ?1", on: connection)
    }

    package func unknownTargets(_ feedback: [Feedback]) throws -> [UnknownFeedbackTarget] {
        try feedbackWriter.unknownTargets(feedback)
    }

    package func add(_ feedback: [Feedback]) throws -> FeedbackCounts { try feedbackWriter.add(feedback) }

    package func recordEvaluation(_ outcomes: [TraceID: OnlineEvaluation], at time: UInt64) throws {
        for (id, outcome) in outcomes {
            markEvaluated.bind(1, trace: (id.high, id.low))
            markEvaluated.bind(2, Int64(outcome.rawValue))
            markEvaluated.bind(3, Int64(bitPattern: time))
            try markEvaluated.run()
        }
    }

    /// Adds one model's usage to a trace's (the migration's backfill uses it too).
    package static let upsertUsageSQL = """
        INSERT INTO trace_usage (trace_id, provider, model, calls, input_tokens, output_tokens, cache_read_tokens,
            cache_write_tokens, reasoning_tokens, calls_without_usage)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
        ON CONFLICT (trace_id, provider, model) DO UPDATE SET
            calls = calls + excluded.calls, input_tokens = input_tokens + excluded.input_tokens,
            output_tokens = output_tokens + excluded.output_tokens, cache_read_tokens = cache_read_tokens + excluded.cache_read_tokens,
            cache_write_tokens = cache_write_tokens + excluded.cache_write_tokens,
            reasoning_tokens = reasoning_tokens + excluded.reasoning_tokens,
            calls_without_usage = calls_without_usage + excluded.calls_without_usage
        """

    package func write(_ batch: IngestBatch) throws -> IngestCounts {
        var counts = IngestCounts()
        let resources = try batch.resources.map { try id(of: $0, cache: &resourceIDs, insert: insertResource, select: selectResource) }
        let scopes = try batch.scopes.map { try id(of: $0, cache: &scopeIDs, insert: insertScope, select: selectScope) }
        var rollups: [TraceID: TraceRollup] = [:]
        var added: [TraceID: [PreparedSpan]] = [:]
        var traceOrder: [TraceID] = []
        for prepared in batch.spans {
            if rollups[prepared.traceID] == nil {
                rollups[prepared.traceID] = TraceRollup(traceID: prepared.traceID)
                traceOrder.append(prepared.traceID)
            }
            if try insert(prepared, resource: resources[prepared.resourceIndex], scope: scopes[prepared.scopeIndex]) {
                counts.spansNew += 1
                rollups[prepared.traceID]!.add(prepared)
                if prepared.parentSpanID != nil { added[prepared.traceID, default: []].append(prepared) }
            } else {
                counts.spansPresent += 1
            }
        }
        for traceID in traceOrder {
            let rollup = rollups[traceID]!
            let firstSight = seenTraces.insert(traceID).inserted
            if firstSight { counts.tracesRead += 1 }
            guard rollup.summary.spanCount > 0 else {
                // Every span was already stored, so the trace was too.
                if firstSight { counts.tracesPresent += 1 }
                continue
            }
            let created = try upsert(rollup, added: added[traceID] ?? [])
            if firstSight { if created { counts.tracesNew += 1 } else { counts.tracesPresent += 1 } }
        }
        return counts
    }

    /// The statement that stores one span row (the benchmark's insert ceiling uses it too).
    package static let insertSpanSQL = """
        INSERT OR IGNORE INTO spans (trace_id, span_id, parent_span_id, name, kind, start_ns, end_ns, status_code,
            operation, provider, model, input_tokens, output_tokens, total_tokens, tool_name, error_type,
            session_id, user_id, resource_id, scope_id, payload, flags)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)
        """

    private func insert(_ p: PreparedSpan, resource: Int64, scope: Int64) throws -> Bool {
        try Self.insertSpanRow(p, resource: resource, scope: scope, with: insertSpan)
    }

    /// Binds and runs the span insert for one prepared span; true when the row is new.
    package static func insertSpanRow(_ p: PreparedSpan, resource: Int64, scope: Int64, with st: SQLiteStatement) throws -> Bool {
        let s = p.summary
        st.bind(1, trace: (p.traceID.high, p.traceID.low))
        st.bind(2, id: p.spanID.value)
        st.bind(3, id: p.parentSpanID?.value)
        st.bind(4, p.name)
        st.bind(5, Int64(p.kind.rawValue))
        st.bind(6, Int64(bitPattern: p.startTimeUnixNano))
        st.bind(7, Int64(bitPattern: p.endTimeUnixNano))
        st.bind(8, Int64(p.statusCode.rawValue))
        st.bind(9, Int64(s.operation.rawValue))
        st.bind(10, s.provider)
        st.bind(11, s.model)
        st.bind(12, s.inputTokens)
        st.bind(13, s.outputTokens)
        st.bind(14, s.totalTokens)
        st.bind(15, s.toolName)
        st.bind(16, s.errorType)
        st.bind(17, s.sessionID)
        st.bind(18, s.userID)
        st.bind(19, resource)
        st.bind(20, scope)
        st.bind(21, bytes: p.payload)
        st.bind(22, Int64(p.flags))
        return try st.run() == 1
    }

    /// Creates or extends the trace's row; true when the row was created.
    private func upsert(_ rollup: TraceRollup, added: [PreparedSpan]) throws -> Bool {
        let t = rollup.summary, st = upsertTrace
        st.bind(1, trace: (t.traceID.high, t.traceID.low))
        st.bind(2, id: t.rootSpanID?.value)
        st.bind(3, t.rootName)
        st.bind(4, rollup.rootStartTimeUnixNano.map { Int64(bitPattern: $0) })
        st.bind(5, Int64(bitPattern: t.startTimeUnixNano))
        st.bind(6, Int64(bitPattern: t.endTimeUnixNano))
        st.bind(7, t.spanCount)
        st.bind(8, t.errorCount)
        st.bind(9, t.inputTokens)
        st.bind(10, t.outputTokens)
        st.bind(11, t.totalTokens)
        st.bind(12, rollup.operationMask)
        st.bind(13, t.sessionID)
        st.bind(14, t.userID)
        st.bind(15, Int64(t.rootSpanID == nil ? TraceRootKind.none.rawValue : TraceRootKind.root.rawValue))
        st.bind(16, Int64(bitPattern: now))
        // An existing row already counted at least one span, so its new count exceeds this batch's.
        guard let row = try st.step({ ($0.int64(0), $0.int64(1), $0.bytes(2), $0.int64(3)) }) else {
            throw SQLiteStoreError.corruptRow(table: "traces", reason: "the upsert returned no row")
        }
        let created = row.0 == t.spanCount
        if row.1 != Int64(TraceRootKind.root.rawValue) {
            try chooseTopmost(t.traceID, added: added, current: row.2.flatMap(SpanID.init(bytes:)).map { ($0, row.3) })
        }
        for model in t.models {
            insertModel.bind(1, trace: (t.traceID.high, t.traceID.low))
            insertModel.bind(2, model)
            try insertModel.run()
        }
        for u in t.usage {
            let b = upsertUsage
            b.bind(1, trace: (t.traceID.high, t.traceID.low))
            b.bind(2, u.provider ?? "")
            b.bind(3, u.model ?? "")
            b.bind(4, u.calls)
            b.bind(5, u.inputTokens)
            b.bind(6, u.outputTokens)
            b.bind(7, u.cacheReadTokens)
            b.bind(8, u.cacheWriteTokens)
            b.bind(9, u.reasoningTokens)
            b.bind(10, u.callsWithoutUsage)
            try b.run()
        }
        return created
    }

    /// With no span lacking a parent, the trace's root is its topmost stored span: the earliest whose
    /// parent is not stored (`TraceRootKind`). When a batch adds spans, the topmost is the current one
    /// or one of the batch's spans whose parent is not stored, so only those are looked at; only when
    /// the current one's parent arrives are all the trace's spans read again.
    private func chooseTopmost(_ id: TraceID, added: [PreparedSpan], current: (id: SpanID, start: Int64)?) throws {
        let inBatch = Set(added.map(\.spanID))
        if let current, let parent = try parent(of: current.id, in: id), inBatch.contains(parent) { return try chooseTopmostOverAll(id) }
        var best: PreparedSpan?
        for span in added {
            guard let parent = span.parentSpanID, !inBatch.contains(parent), try !isStored(parent, in: id) else { continue }
            if best.map({ TraceRollup.isEarlierRoot(span.startTimeUnixNano, span.spanID, than: $0.startTimeUnixNano, $0.spanID) }) ?? true { best = span }
        }
        guard let best else { return }
        if let current, !TraceRollup.isEarlierRoot(best.startTimeUnixNano, best.spanID, than: UInt64(bitPattern: current.start), current.id) { return }
        try setRoot(id, span: best.spanID.bytes, name: best.name, start: Int64(bitPattern: best.startTimeUnixNano), flags: best.flags)
    }

    /// Chooses the topmost span over every stored span of the trace.
    private func chooseTopmostOverAll(_ id: TraceID) throws {
        selectTopmost.bind(1, trace: (id.high, id.low))
        guard let top = try selectTopmost.topmostRow() else { return }
        try setRoot(id, span: top.spanID, name: top.name, start: top.start, flags: UInt32(truncatingIfNeeded: top.flags))
    }

    private func setRoot(_ id: TraceID, span: [UInt8], name: String, start: Int64, flags: UInt32) throws {
        updateRoot.bind(1, trace: (id.high, id.low))
        updateRoot.bind(2, bytes: span)
        updateRoot.bind(3, name)
        updateRoot.bind(4, start)
        updateRoot.bind(5, Int64(TraceRootKind.ofTopmost(flags: flags).rawValue))
        try updateRoot.run()
    }

    /// The stored parent of a stored span (nil when the span is not stored or has no parent).
    private func parent(of span: SpanID, in id: TraceID) throws -> SpanID? {
        selectParent.bind(1, trace: (id.high, id.low))
        selectParent.bind(2, id: span.value)
        return try selectParent.step { $0.bytes(0) }.flatMap { $0 }.flatMap(SpanID.init(bytes:))
    }

    private func isStored(_ span: SpanID, in id: TraceID) throws -> Bool {
        selectParent.bind(1, trace: (id.high, id.low))
        selectParent.bind(2, id: span.value)
        return try selectParent.step { _ in true } ?? false
    }

    private func id(of body: [UInt8], cache: inout [[UInt8]: Int64], insert: SQLiteStatement, select: SQLiteStatement) throws -> Int64 {
        if let id = cache[body] { return id }
        insert.bind(1, bytes: body)
        try insert.run()
        select.bind(1, bytes: body)
        guard let id = try select.int64() else { throw SQLiteStoreError.corruptRow(table: "resources", reason: "a row just inserted is missing") }
        cache[body] = id
        return id
    }
}
