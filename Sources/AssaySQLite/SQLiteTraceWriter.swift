import AssayCore
import GRDBSQLite

/// Writes prepared spans inside one SQLite transaction, with statements prepared once.
///
/// A span already stored (same trace and span id) is ignored and counted as present. Trace rollups
/// are updated incrementally from the spans that were new, so a parent arriving after its children
/// (or in a later request) links up without rescanning the trace.
final class SQLiteTraceWriter: TraceWriter {
    private let insertSpan: SQLiteStatement
    private let insertResource: SQLiteStatement
    private let selectResource: SQLiteStatement
    private let insertScope: SQLiteStatement
    private let selectScope: SQLiteStatement
    private let traceExists: SQLiteStatement
    private let upsertTrace: SQLiteStatement
    private let insertModel: SQLiteStatement
    private var resourceIDs: [[UInt8]: Int64] = [:]
    private var scopeIDs: [[UInt8]: Int64] = [:]
    private var seenTraces: Set<TraceID> = []

    init(connection: OpaquePointer) throws {
        insertSpan = try SQLiteStatement("""
            INSERT OR IGNORE INTO spans (trace_id, span_id, parent_span_id, name, kind, start_ns, end_ns, status_code,
                operation, provider, model, input_tokens, output_tokens, total_tokens, tool_name, error_type,
                session_id, user_id, resource_id, scope_id, payload)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)
            """, on: connection)
        insertResource = try SQLiteStatement("INSERT OR IGNORE INTO resources (body) VALUES (?1)", on: connection)
        selectResource = try SQLiteStatement("SELECT id FROM resources WHERE body = ?1", on: connection)
        insertScope = try SQLiteStatement("INSERT OR IGNORE INTO scopes (body) VALUES (?1)", on: connection)
        selectScope = try SQLiteStatement("SELECT id FROM scopes WHERE body = ?1", on: connection)
        traceExists = try SQLiteStatement("SELECT 1 FROM traces WHERE trace_id = ?1", on: connection)
        let newRoot = """
            excluded.root_span_id IS NOT NULL AND (traces.root_span_id IS NULL
                OR excluded.root_start_ns < traces.root_start_ns
                OR (excluded.root_start_ns = traces.root_start_ns AND excluded.root_span_id < traces.root_span_id))
            """
        upsertTrace = try SQLiteStatement("""
            INSERT INTO traces (trace_id, root_span_id, root_name, root_start_ns, start_ns, end_ns, span_count, error_count,
                input_tokens, output_tokens, total_tokens, operations, session_id, user_id)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
            ON CONFLICT (trace_id) DO UPDATE SET
                root_span_id = CASE WHEN \(newRoot) THEN excluded.root_span_id ELSE traces.root_span_id END,
                root_name = CASE WHEN \(newRoot) THEN excluded.root_name ELSE traces.root_name END,
                root_start_ns = CASE WHEN \(newRoot) THEN excluded.root_start_ns ELSE traces.root_start_ns END,
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
            """, on: connection)
        insertModel = try SQLiteStatement("INSERT OR IGNORE INTO trace_models (trace_id, model) VALUES (?1, ?2)", on: connection)
    }

    func write(_ batch: IngestBatch) throws -> IngestCounts {
        var counts = IngestCounts()
        let resources = try batch.resources.map { try id(of: $0, cache: &resourceIDs, insert: insertResource, select: selectResource) }
        let scopes = try batch.scopes.map { try id(of: $0, cache: &scopeIDs, insert: insertScope, select: selectScope) }
        var rollups: [TraceID: TraceRollup] = [:]
        var traceOrder: [TraceID] = []
        for prepared in batch.spans {
            let span = prepared.span
            if rollups[span.traceID] == nil {
                rollups[span.traceID] = TraceRollup(traceID: span.traceID)
                traceOrder.append(span.traceID)
            }
            if try insert(prepared, resource: resources[prepared.resourceIndex], scope: scopes[prepared.scopeIndex]) {
                counts.spansNew += 1
                rollups[span.traceID]!.add(span, prepared.summary)
            } else {
                counts.spansPresent += 1
            }
        }
        for traceID in traceOrder {
            if seenTraces.insert(traceID).inserted {
                counts.tracesRead += 1
                traceExists.bind(1, trace: (traceID.high, traceID.low))
                if try traceExists.int64() == nil { counts.tracesNew += 1 } else { counts.tracesPresent += 1 }
            }
            let rollup = rollups[traceID]!
            guard rollup.summary.spanCount > 0 else { continue }
            try upsert(rollup)
        }
        return counts
    }

    private func insert(_ p: PreparedSpan, resource: Int64, scope: Int64) throws -> Bool {
        let span = p.span, s = p.summary, st = insertSpan
        st.bind(1, trace: (span.traceID.high, span.traceID.low))
        st.bind(2, id: span.spanID.value)
        st.bind(3, id: span.parentSpanID?.value)
        st.bind(4, span.name)
        st.bind(5, Int64(span.kind.rawValue))
        st.bind(6, Int64(bitPattern: span.startTimeUnixNano))
        st.bind(7, Int64(bitPattern: span.endTimeUnixNano))
        st.bind(8, Int64(span.status.code.rawValue))
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
        return try st.run() == 1
    }

    private func upsert(_ rollup: TraceRollup) throws {
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
        try st.run()
        for model in t.models {
            insertModel.bind(1, trace: (t.traceID.high, t.traceID.low))
            insertModel.bind(2, model)
            try insertModel.run()
        }
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
