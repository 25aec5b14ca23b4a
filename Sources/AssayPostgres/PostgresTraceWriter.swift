package import AssayCore
import NIOCore
import PostgresNIO
import Synchronization

/// Writes prepared spans inside one PostgreSQL transaction, a batch in a few set-based statements
/// (arrays bound once and `unnest`ed), so a group commit of thousands of spans is a handful of round trips.
///
/// Several collectors may write one trace at once: spans are inserted `ON CONFLICT DO NOTHING` (only
/// the new ones count), a trace's rollup is added to its row under the row's lock, and a trace without
/// a real root has its stand-in chosen again over every committed span after that lock is held, so the
/// last writer to commit sees every span. Rows are locked in trace id order to keep deadlocks rare;
/// the store retries the transaction when the server picks it as a deadlock's victim.
package final class PostgresTraceWriter: TraceWriter {
    private let db: PostgresDB
    /// The wall clock when the transaction began: the arrival time of what it writes.
    private let now: UInt64
    private let bodies: PostgresBodyCache
    /// Resource and scope ids learned in this transaction, for the store's cache once it commits.
    private(set) var learned: [PostgresBodyCache.Key: Int64] = [:]
    private var seenTraces: Set<TraceID> = []
    private lazy var feedbackWriter = PostgresFeedback.Writer(db: db)

    init(db: PostgresDB, bodies: PostgresBodyCache) {
        self.db = db
        self.bodies = bodies
        now = WallClock.nowNanos()
    }

    package func unknownTargets(_ feedback: [Feedback]) throws -> [UnknownFeedbackTarget] { try feedbackWriter.unknownTargets(feedback) }

    package func add(_ feedback: [Feedback]) throws -> FeedbackCounts { try feedbackWriter.add(feedback) }

    package func recordEvaluation(_ outcomes: [TraceID: OnlineEvaluation], at time: UInt64) throws {
        guard !outcomes.isEmpty else { return }
        let sorted = outcomes.sorted { $0.key.bytes.lexicographicallyPrecedes($1.key.bytes) }
        var binds = PostgresBindings()
        binds.append(sorted.map { ByteBuffer($0.key.bytes) })
        binds.append(sorted.map { Int64($0.value.rawValue) })
        binds.append(Int64(bitPattern: time))
        try db.query("""
            UPDATE traces t SET online = u.outcome, online_ns = $3, online_claim_ns = NULL
            FROM unnest($1::bytea[], $2::int8[]) AS u(trace_id, outcome) WHERE t.trace_id = u.trace_id
            """, binds)
    }

    package func write(_ batch: IngestBatch) throws -> IngestCounts {
        var counts = IngestCounts()
        let resources = try ids(of: batch.resources, table: "resources")
        let scopes = try ids(of: batch.scopes, table: "scopes")
        let new = try insertSpans(batch, resources: resources, scopes: scopes)
        var rollups: [TraceID: TraceRollup] = [:]
        var traceOrder: [TraceID] = []
        var firstOccurrence: Set<SpanKey> = []
        for prepared in batch.spans {
            if rollups[prepared.traceID] == nil {
                rollups[prepared.traceID] = TraceRollup(traceID: prepared.traceID)
                traceOrder.append(prepared.traceID)
            }
            let key = SpanKey(trace: prepared.traceID, span: prepared.spanID)
            if new.contains(key), firstOccurrence.insert(key).inserted {
                counts.spansNew += 1
                rollups[prepared.traceID]!.add(prepared)
            } else {
                counts.spansPresent += 1
            }
        }
        var grown: [TraceRollup] = []
        var firstSights: Set<TraceID> = []
        for traceID in traceOrder {
            let rollup = rollups[traceID]!
            let firstSight = seenTraces.insert(traceID).inserted
            if firstSight { counts.tracesRead += 1; firstSights.insert(traceID) }
            if rollup.summary.spanCount > 0 { grown.append(rollup) } else if firstSight { counts.tracesPresent += 1 }
        }
        guard !grown.isEmpty else { return counts }
        grown.sort { $0.summary.traceID.bytes.lexicographicallyPrecedes($1.summary.traceID.bytes) }
        let (created, needsTopmost) = try upsertTraces(grown)
        for rollup in grown where firstSights.contains(rollup.summary.traceID) {
            if created.contains(rollup.summary.traceID) { counts.tracesNew += 1 } else { counts.tracesPresent += 1 }
        }
        try insertModels(grown)
        try upsertUsage(grown)
        if !needsTopmost.isEmpty { try chooseTopmost(needsTopmost) }
        return counts
    }

    private struct SpanKey: Hashable {
        let trace: TraceID
        let span: SpanID
    }

    /// The ids of resource or scope bodies, inserting those not stored.
    private func ids(of list: [[UInt8]], table: String) throws -> [Int64] {
        var result = [Int64](repeating: 0, count: list.count)
        var missing: [Int] = []
        for (i, body) in list.enumerated() {
            let key = PostgresBodyCache.Key(table: table, body: body)
            if let id = learned[key] ?? bodies[key] { result[i] = id } else { missing.append(i) }
        }
        guard !missing.isEmpty else { return result }
        var binds = PostgresBindings()
        binds.append(missing.map { ByteBuffer(list[$0]) })
        try db.query("INSERT INTO \(table) (hash, body) SELECT sha256(b), b FROM unnest($1::bytea[]) AS b ON CONFLICT (hash) DO NOTHING", binds)
        let rows = try db.query("""
            SELECT u.i, r.id FROM unnest($1::bytea[]) WITH ORDINALITY AS u(b, i) JOIN \(table) r ON r.hash = sha256(u.b)
            """, binds)
        for row in rows {
            let i = missing[Int(try row.int64(0)) - 1], id = try row.int64(1)
            result[i] = id
            learned[PostgresBodyCache.Key(table: table, body: list[i])] = id
        }
        for i in missing where result[i] == 0 {
            throw PostgresStoreError.corruptRow(table: table, reason: "a row just inserted is missing")
        }
        return result
    }

    /// Inserts the batch's spans in one statement; returns the keys of those that were new.
    private func insertSpans(_ batch: IngestBatch, resources: [Int64], scopes: [Int64]) throws -> Set<SpanKey> {
        let spans = batch.spans.sorted {
            $0.traceID == $1.traceID ? $0.spanID.bytes.lexicographicallyPrecedes($1.spanID.bytes)
                : $0.traceID.bytes.lexicographicallyPrecedes($1.traceID.bytes)
        }
        guard !spans.isEmpty else { return [] }
        var binds = PostgresBindings(capacity: 22)
        binds.append(spans.map { ByteBuffer($0.traceID.bytes) })
        binds.append(spans.map { ByteBuffer($0.spanID.bytes) })
        binds.append(spans.map { ByteBuffer($0.parentSpanID?.bytes ?? []) })
        binds.append(spans.map { pgText($0.name) })
        binds.append(spans.map { Int64($0.kind.rawValue) })
        binds.append(spans.map { Int64(bitPattern: $0.startTimeUnixNano) })
        binds.append(spans.map { Int64(bitPattern: $0.endTimeUnixNano) })
        binds.append(spans.map { Int64($0.statusCode.rawValue) })
        binds.append(spans.map { Int64($0.summary.operation.rawValue) })
        binds.append(spans.map { pgText($0.summary.provider ?? "") })
        binds.append(spans.map { pgText($0.summary.model ?? "") })
        binds.append(spans.map { $0.summary.inputTokens.map { max($0, 0) } ?? -1 })
        binds.append(spans.map { $0.summary.outputTokens.map { max($0, 0) } ?? -1 })
        binds.append(spans.map { $0.summary.totalTokens.map { max($0, 0) } ?? -1 })
        binds.append(spans.map { pgText($0.summary.toolName ?? "") })
        binds.append(spans.map { pgText($0.summary.errorType ?? "") })
        binds.append(spans.map { pgText($0.summary.sessionID ?? "") })
        binds.append(spans.map { pgText($0.summary.userID ?? "") })
        binds.append(spans.map { resources[$0.resourceIndex] })
        binds.append(spans.map { scopes[$0.scopeIndex] })
        binds.append(spans.map { ByteBuffer($0.payload) })
        binds.append(spans.map { Int64($0.flags) })
        let rows = try db.query("""
            INSERT INTO spans (trace_id, span_id, parent_span_id, name, kind, start_ns, end_ns, status_code, operation,
                provider, model, input_tokens, output_tokens, total_tokens, tool_name, error_type, session_id, user_id,
                resource_id, scope_id, payload, flags)
            SELECT t, s, NULLIF(p, ''::bytea), n, k, st, en, sc, op, NULLIF(pr, ''), NULLIF(mo, ''), NULLIF(it, -1),
                NULLIF(ot, -1), NULLIF(tt, -1), NULLIF(tn, ''), NULLIF(et, ''), NULLIF(se, ''), NULLIF(us, ''), r, c, pl, f
            FROM unnest($1::bytea[], $2::bytea[], $3::bytea[], $4::text[], $5::int8[], $6::int8[], $7::int8[], $8::int8[],
                $9::int8[], $10::text[], $11::text[], $12::int8[], $13::int8[], $14::int8[], $15::text[], $16::text[],
                $17::text[], $18::text[], $19::int8[], $20::int8[], $21::bytea[], $22::int8[])
                AS u(t, s, p, n, k, st, en, sc, op, pr, mo, it, ot, tt, tn, et, se, us, r, c, pl, f)
            ON CONFLICT (trace_id, span_id) DO NOTHING
            RETURNING trace_id, span_id
            """, binds)
        var new: Set<SpanKey> = []
        for row in rows {
            guard let trace = TraceID(bytes: try row.bytes(0)), let span = SpanID(bytes: try row.bytes(1)) else {
                throw PostgresStoreError.corruptRow(table: "spans", reason: "an inserted id has the wrong length")
            }
            new.insert(SpanKey(trace: trace, span: span))
        }
        return new
    }

    /// Adds each rollup to its trace's row (creating it); returns the traces created and those whose
    /// root is still a stand-in (or none), which need their topmost span chosen again.
    private func upsertTraces(_ rollups: [TraceRollup]) throws -> (created: Set<TraceID>, needsTopmost: [TraceID]) {
        let summaries = rollups.map(\.summary)
        var binds = PostgresBindings(capacity: 16)
        binds.append(summaries.map { ByteBuffer($0.traceID.bytes) })
        binds.append(summaries.map { ByteBuffer($0.rootSpanID?.bytes ?? []) })
        binds.append(summaries.map { pgText($0.rootName ?? "") })
        binds.append(rollups.map { $0.rootStartTimeUnixNano.map { Int64(bitPattern: $0) } ?? 0 })
        binds.append(summaries.map { Int64(bitPattern: $0.startTimeUnixNano) })
        binds.append(summaries.map { Int64(bitPattern: $0.endTimeUnixNano) })
        binds.append(summaries.map(\.spanCount))
        binds.append(summaries.map(\.errorCount))
        binds.append(summaries.map(\.inputTokens))
        binds.append(summaries.map(\.outputTokens))
        binds.append(summaries.map(\.totalTokens))
        binds.append(rollups.map(\.operationMask))
        binds.append(summaries.map { pgText($0.sessionID ?? "") })
        binds.append(summaries.map { pgText($0.userID ?? "") })
        binds.append(Int64(bitPattern: now))
        binds.append(Int64(TraceRootKind.root.rawValue))
        // A span without a parent always beats a stand-in; between real roots the earliest wins.
        let newRoot = """
            EXCLUDED.root_span_id IS NOT NULL AND (t.root_span_id IS NULL OR t.root_kind <> $16
                OR EXCLUDED.root_start_ns < t.root_start_ns
                OR (EXCLUDED.root_start_ns = t.root_start_ns AND EXCLUDED.root_span_id < t.root_span_id))
            """
        let rows = try db.query("""
            INSERT INTO traces AS t (trace_id, root_span_id, root_name, root_start_ns, root_kind, start_ns, end_ns, span_count,
                error_count, input_tokens, output_tokens, total_tokens, operations, session_id, user_id, first_seen_ns, last_seen_ns)
            SELECT id, NULLIF(rs, ''::bytea), CASE WHEN rs = ''::bytea THEN NULL ELSE rn END, CASE WHEN rs = ''::bytea THEN NULL ELSE rt END,
                CASE WHEN rs = ''::bytea THEN 0 ELSE $16 END, st, en, sc, ec, it, ot, tt, op, NULLIF(se, ''), NULLIF(us, ''), $15, $15
            FROM unnest($1::bytea[], $2::bytea[], $3::text[], $4::int8[], $5::int8[], $6::int8[], $7::int8[], $8::int8[],
                $9::int8[], $10::int8[], $11::int8[], $12::int8[], $13::text[], $14::text[])
                AS u(id, rs, rn, rt, st, en, sc, ec, it, ot, tt, op, se, us)
            ORDER BY id
            ON CONFLICT (trace_id) DO UPDATE SET
                root_span_id = CASE WHEN \(newRoot) THEN EXCLUDED.root_span_id ELSE t.root_span_id END,
                root_name = CASE WHEN \(newRoot) THEN EXCLUDED.root_name ELSE t.root_name END,
                root_start_ns = CASE WHEN \(newRoot) THEN EXCLUDED.root_start_ns ELSE t.root_start_ns END,
                root_kind = CASE WHEN \(newRoot) THEN $16 ELSE t.root_kind END,
                first_seen_ns = LEAST(coalesce(t.first_seen_ns, EXCLUDED.first_seen_ns), EXCLUDED.first_seen_ns),
                last_seen_ns = GREATEST(coalesce(t.last_seen_ns, EXCLUDED.last_seen_ns), EXCLUDED.last_seen_ns),
                start_ns = LEAST(t.start_ns, EXCLUDED.start_ns),
                end_ns = GREATEST(t.end_ns, EXCLUDED.end_ns),
                span_count = t.span_count + EXCLUDED.span_count,
                error_count = t.error_count + EXCLUDED.error_count,
                input_tokens = t.input_tokens + EXCLUDED.input_tokens,
                output_tokens = t.output_tokens + EXCLUDED.output_tokens,
                total_tokens = t.total_tokens + EXCLUDED.total_tokens,
                operations = t.operations | EXCLUDED.operations,
                session_id = coalesce(t.session_id, EXCLUDED.session_id),
                user_id = coalesce(t.user_id, EXCLUDED.user_id)
            RETURNING t.trace_id, t.root_kind, (t.xmax = 0)
            """, binds)
        var created: Set<TraceID> = [], needsTopmost: [TraceID] = []
        for row in rows {
            guard let id = TraceID(bytes: try row.bytes(0)) else { throw PostgresStoreError.corruptRow(table: "traces", reason: "a trace id has the wrong length") }
            if try row.bool(2) { created.insert(id) }
            if try row.int64(1) != Int64(TraceRootKind.root.rawValue) { needsTopmost.append(id) }
        }
        return (created, needsTopmost)
    }

    private func insertModels(_ rollups: [TraceRollup]) throws {
        var traces: [ByteBuffer] = [], models: [String] = []
        for r in rollups {
            for model in Set(r.summary.models.map(pgText)).sorted() {
                traces.append(ByteBuffer(r.summary.traceID.bytes))
                models.append(model)
            }
        }
        guard !traces.isEmpty else { return }
        var binds = PostgresBindings()
        binds.append(traces)
        binds.append(models)
        try db.query("INSERT INTO trace_models (trace_id, model) SELECT * FROM unnest($1::bytea[], $2::text[]) ON CONFLICT DO NOTHING", binds)
    }

    private func upsertUsage(_ rollups: [TraceRollup]) throws {
        var merged: [[String]: (TraceID, ModelUsage)] = [:]
        var order: [[String]] = []
        for r in rollups {
            for u in r.summary.usage {
                let key = [r.summary.traceID.description, pgText(u.provider ?? ""), pgText(u.model ?? "")]
                if var existing = merged[key] {
                    existing.1.calls += u.calls
                    existing.1.inputTokens += u.inputTokens
                    existing.1.outputTokens += u.outputTokens
                    existing.1.cacheReadTokens += u.cacheReadTokens
                    existing.1.cacheWriteTokens += u.cacheWriteTokens
                    existing.1.reasoningTokens += u.reasoningTokens
                    existing.1.callsWithoutUsage += u.callsWithoutUsage
                    merged[key] = existing
                } else {
                    merged[key] = (r.summary.traceID, u)
                    order.append(key)
                }
            }
        }
        guard !order.isEmpty else { return }
        let rows = order.map { (key: $0, value: merged[$0]!) }
        var binds = PostgresBindings(capacity: 10)
        binds.append(rows.map { ByteBuffer($0.value.0.bytes) })
        binds.append(rows.map { $0.key[1] })
        binds.append(rows.map { $0.key[2] })
        binds.append(rows.map { $0.value.1.calls })
        binds.append(rows.map { $0.value.1.inputTokens })
        binds.append(rows.map { $0.value.1.outputTokens })
        binds.append(rows.map { $0.value.1.cacheReadTokens })
        binds.append(rows.map { $0.value.1.cacheWriteTokens })
        binds.append(rows.map { $0.value.1.reasoningTokens })
        binds.append(rows.map { $0.value.1.callsWithoutUsage })
        try db.query("""
            INSERT INTO trace_usage AS u (trace_id, provider, model, calls, input_tokens, output_tokens, cache_read_tokens,
                cache_write_tokens, reasoning_tokens, calls_without_usage)
            SELECT * FROM unnest($1::bytea[], $2::text[], $3::text[], $4::int8[], $5::int8[], $6::int8[], $7::int8[], $8::int8[],
                $9::int8[], $10::int8[])
            ON CONFLICT (trace_id, provider, model) DO UPDATE SET
                calls = u.calls + EXCLUDED.calls, input_tokens = u.input_tokens + EXCLUDED.input_tokens,
                output_tokens = u.output_tokens + EXCLUDED.output_tokens,
                cache_read_tokens = u.cache_read_tokens + EXCLUDED.cache_read_tokens,
                cache_write_tokens = u.cache_write_tokens + EXCLUDED.cache_write_tokens,
                reasoning_tokens = u.reasoning_tokens + EXCLUDED.reasoning_tokens,
                calls_without_usage = u.calls_without_usage + EXCLUDED.calls_without_usage
            """, binds)
    }

    /// For traces with no span lacking a parent, the root is the topmost committed span: the earliest
    /// whose parent is not stored (`TraceRootKind`). This transaction holds the traces' row locks, so
    /// every span a concurrent writer committed before it is seen.
    private func chooseTopmost(_ ids: [TraceID]) throws {
        var binds = PostgresBindings()
        binds.append(ids.map { ByteBuffer($0.bytes) })
        binds.append(Int64(TraceRootKind.root.rawValue))
        binds.append(Int64(TraceRootKind.remoteParent.rawValue))
        binds.append(Int64(TraceRootKind.missingParent.rawValue))
        try db.query("""
            UPDATE traces t SET root_span_id = s.span_id, root_name = s.name, root_start_ns = s.start_ns,
                root_kind = CASE WHEN (s.flags & 768) = 768 THEN $3::int8 ELSE $4::int8 END
            FROM (SELECT DISTINCT ON (c.trace_id) c.trace_id, c.span_id, c.name, c.start_ns, c.flags FROM spans c
                  WHERE c.trace_id = ANY($1::bytea[]) AND c.parent_span_id IS NOT NULL
                    AND NOT EXISTS (SELECT 1 FROM spans p WHERE p.trace_id = c.trace_id AND p.span_id = c.parent_span_id)
                  ORDER BY c.trace_id, c.start_ns, c.span_id) s
            WHERE t.trace_id = s.trace_id AND t.root_kind <> $2::int8
            """, binds)
    }
}

/// Resource and scope ids known to be committed, shared by the writers of one store.
final class PostgresBodyCache: Sendable {
    struct Key: Hashable, Sendable {
        let table: String
        let body: [UInt8]
    }

    private let ids = Mutex<[Key: Int64]>([:])

    subscript(key: Key) -> Int64? { ids.withLock { $0[key] } }

    /// Adds ids learned by a transaction that committed; the cache is emptied when it grows past 4,096.
    func remember(_ learned: [Key: Int64]) {
        guard !learned.isEmpty else { return }
        ids.withLock { ids in
            if ids.count + learned.count > 4096 { ids.removeAll() }
            ids.merge(learned) { a, _ in a }
        }
    }
}
