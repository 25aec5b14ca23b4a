public import AssayCore
import AssayOTLP
import Foundation
import NIOCore
import PostgresNIO

/// The team store on PostgreSQL: the same protocols as the SQLite store, for several collectors, CI
/// shards and people on one database (docs/team-store.md).
///
/// Each call takes a pooled connection and waits for it synchronously (the store protocols are
/// synchronous); a write is one transaction, retried when the server aborts it as a deadlock victim.
///
/// ```swift
/// let store = try PostgresTraceStore(url: PostgresURL("postgres://assay@127.0.0.1:5432/assay"))
/// let recent = try store.traces(matching: TraceQuery(limit: 10))
/// ```
public final class PostgresTraceStore: AssayStore {
    /// The database URL, without its password.
    public var location: String { session.url.description }
    /// A team store: shards of a run fill one run in it.
    public var isShared: Bool { true }
    let session: PostgresSession
    /// Resource and scope ids known to be committed.
    let bodies = PostgresBodyCache()

    /// Connects (once, to check the URL and credentials) and brings the schema up to date.
    ///
    /// - Throws: `PostgresStoreError` naming the database, never its password.
    public init(url: PostgresURL) throws {
        session = try PostgresSession(url: url)
        try session.withConnection { try PostgresMigrations.migrate($0) }
    }

    public func write<T>(_ body: (any TraceWriter) throws -> T) throws -> T {
        try transaction { db in
            let writer = PostgresTraceWriter(db: db, bodies: bodies)
            let result = try body(writer)
            return (result, { [bodies] in bodies.remember(writer.learned) })
        }
    }

    /// Runs `body` in a transaction, again (up to 5 times) when the server aborts it as a deadlock's
    /// victim or a serialization failure; `body` returns its result and what to do once committed.
    func transaction<T>(_ body: (PostgresDB) throws -> (T, () -> Void)) throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try session.withConnection { db in
                    try db.query("BEGIN")
                    do {
                        let (result, committed) = try body(db)
                        try db.query("COMMIT")
                        committed()
                        return result
                    } catch {
                        _ = try? db.query("ROLLBACK")
                        throw error
                    }
                }
            } catch let error as PostgresStoreError where error.isRetryable && attempt < 5 {
                Thread.sleep(forTimeInterval: Double(attempt) * 0.01)
                continue
            }
        }
    }

    func read<T>(_ body: (PostgresDB) throws -> T) throws -> T { try session.withConnection(body) }

    public func feedback(for ids: [TraceID]) throws -> [TraceID: [StoredFeedback]] {
        try read { try PostgresFeedback.read(ids, in: $0) }
    }

    public func traces(matching query: TraceQuery) throws -> [TraceSummary] {
        try read { db in
            // `--score-below`: when few traces have such a score, list them by id rather than walk every
            // trace newest first probing each one's feedback (slow when the matches are all old).
            var candidates: [TraceID]?
            if let score = query.feedback.scoreBelow {
                let ids = try PostgresFeedback.scoredBelow(score, source: query.feedback.source, limit: Self.scoreCandidateLimit + 1, in: db)
                if ids.count <= Self.scoreCandidateLimit { candidates = ids }
            }
            let (sql, binds) = Self.listSQL(query, scoreCandidates: candidates)
            return try Self.withUsage(try db.query(sql, binds).map(Self.summary), in: db)
        }
    }

    /// Up to this many traces matching `--score-below` are listed by id (see `traces(matching:)`).
    static let scoreCandidateLimit = 50_000

    /// Takes the completed traces and claims them (see the protocol); `SKIP LOCKED` lets collectors
    /// sweeping at the same moment take different ones.
    public func completedTraces(_ completion: TraceCompletion, now: UInt64, limit: Int) throws -> [TraceID] {
        let clamp = { (n: UInt64) in Int64(bitPattern: min(n, UInt64(Int64.max))) }
        var binds = PostgresBindings()
        binds.append(PostgresPatterns.likePrefix(TraceOrigin.runRootPrefix))
        binds.append(Int64(TraceRootKind.root.rawValue))
        binds.append(Int64(TraceRootKind.remoteParent.rawValue))
        binds.append(now >= completion.quietNanos ? clamp(now - completion.quietNanos) : Int64.min)
        binds.append(now >= completion.maxWaitNanos ? clamp(now - completion.maxWaitNanos) : Int64.min)
        binds.append(clamp(now))
        binds.append(Int64(max(0, limit)))
        binds.append(clamp(now &+ onlineClaimNanos))
        return try transaction { db in
            let rows = try db.query("""
                UPDATE traces SET online_claim_ns = $8 WHERE trace_id IN (
                    SELECT t.trace_id FROM traces t
                    WHERE t.online IS NULL AND t.last_seen_ns IS NOT NULL
                      AND (t.root_name IS NULL OR t.root_name NOT LIKE $1)
                      AND ((t.root_kind IN ($2, $3) AND t.last_seen_ns <= $4) OR t.first_seen_ns <= $5)
                      AND (t.online_claim_ns IS NULL OR t.online_claim_ns <= $6)
                    ORDER BY t.last_seen_ns LIMIT $7 FOR UPDATE SKIP LOCKED)
                RETURNING trace_id, last_seen_ns
                """, binds)
            let taken = try rows.map { (try $0.bytes(0), try $0.int64(1)) }.sorted { $0.1 < $1.1 }
            return (taken.compactMap { TraceID(bytes: $0.0) }, {})
        }
    }

    public func unevaluatedTraceCount() throws -> Int {
        var binds = PostgresBindings()
        binds.append(PostgresPatterns.likePrefix(TraceOrigin.runRootPrefix))
        return try read { db in
            Int(try db.query("""
                SELECT count(*) FROM traces t
                WHERE t.online IS NULL AND t.last_seen_ns IS NOT NULL AND (t.root_name IS NULL OR t.root_name NOT LIKE $1)
                """, binds).first?.int64(0) ?? 0)
        }
    }

    public func traceIDs(after: TraceID?, limit: Int) throws -> [TraceID] {
        var binds = PostgresBindings()
        binds.append(ByteBuffer(after?.bytes ?? []))
        binds.append(Int64(max(0, limit)))
        return try read { db in
            try db.query("SELECT trace_id FROM traces WHERE trace_id > $1 ORDER BY trace_id LIMIT $2", binds).compactMap { TraceID(bytes: try $0.bytes(0)) }
        }
    }

    /// What online evaluation recorded for a trace, if anything.
    public func evaluation(of id: TraceID) throws -> OnlineEvaluation? {
        var binds = PostgresBindings()
        binds.append(ByteBuffer(id.bytes))
        return try read { db in
            try db.query("SELECT online FROM traces WHERE trace_id = $1", binds).first?.optionalInt64(0).flatMap { OnlineEvaluation(rawValue: Int($0)) }
        }
    }

    public func trace(_ id: TraceID) throws -> StoredTrace? { try traces([id]).first }

    public func traces(_ ids: [TraceID]) throws -> [StoredTrace] {
        try read { db in
            var cache = BodyCache()
            return try ids.compactMap { try Self.read($0, in: db, cache: &cache) }
        }
    }

    /// PostgreSQL's plan for the common list queries (`EXPLAIN`), for the benchmark and docs.
    package func explainListQueries() throws -> [(String, String)] {
        let queries = Self.explainedQueries
        return try read { db in try explainListQueries(queries, on: db) }
    }

    /// The list queries whose plans are shown: one of each filter the CLI offers.
    package static let explainedQueries: [(String, TraceQuery)] = [
            ("newest", TraceQuery()), ("time window", TraceQuery(startFrom: 1, startBefore: 2)),
            ("name", TraceQuery(name: "x")), ("name pattern", TraceQuery(name: "POST *")), ("errors", TraceQuery(status: .error)),
            ("model", TraceQuery(model: "m")), ("session", TraceQuery(sessionID: "s")),
            ("flagged", { var q = TraceQuery(); q.feedback.flagged = true; return q }()),
            ("score below", { var q = TraceQuery(); q.feedback.scoreBelow = .init(name: "s", value: 0.5); return q }()),
        ]

    /// The plans on a given connection (whose planner settings a test may have changed).
    func explainListQueries(on db: PostgresDB) throws -> [(String, String)] {
        try explainListQueries(Self.explainedQueries, on: db)
    }

    /// PostgreSQL's plan for each named query; with `analyze`, the plan as run (`EXPLAIN (ANALYZE, BUFFERS)`),
    /// with actual rows, times and pages read.
    package func explainListQueries(_ queries: [(String, TraceQuery)], analyze: Bool) throws -> [(String, String)] {
        try read { db in try explainListQueries(queries, on: db, analyze: analyze) }
    }

    private func explainListQueries(_ queries: [(String, TraceQuery)], on db: PostgresDB, analyze: Bool = false) throws -> [(String, String)] {
        try queries.map { name, query in
            let explain = analyze ? "EXPLAIN (ANALYZE, BUFFERS) " : "EXPLAIN "
            // As `traces(matching:)` runs it: the score's candidates first, when there are few.
            var plan = "", candidates: [TraceID]?
            if analyze, let score = query.feedback.scoreBelow {
                let started = DispatchTime.now().uptimeNanoseconds
                let ids = try PostgresFeedback.scoredBelow(score, source: query.feedback.source, limit: Self.scoreCandidateLimit + 1, in: db)
                plan = "candidates: \(ids.count) traces in \((DispatchTime.now().uptimeNanoseconds - started) / 1_000_000) ms\n"
                if ids.count <= Self.scoreCandidateLimit { candidates = ids }
            }
            let (sql, binds) = Self.listSQL(query, scoreCandidates: candidates)
            return (name, plan + (try db.query(explain + sql, binds).map { try $0.text(0) }.joined(separator: "\n")))
        }
    }

    /// The SQL and binds that list traces for a query.
    /// With `scoreCandidates`, the score filter is "one of these traces" (see `traces(matching:)`).
    static func listSQL(_ query: TraceQuery, scoreCandidates: [TraceID]? = nil) -> (String, PostgresBindings) {
        var conditions: [String] = []
        var binds = PostgresBindings()
        func bind(_ value: any PostgresDynamicTypeEncodable) -> String {
            binds.append(value)
            return "$\(binds.count)"
        }
        if let v = query.startFrom { conditions.append("t.start_ns >= \(bind(Int64(bitPattern: v)))") }
        if let v = query.startBefore { conditions.append("t.start_ns < \(bind(Int64(bitPattern: v)))") }
        if let v = query.name {
            if query.nameIsPattern {
                let prefix = PostgresPatterns.literalPrefix(glob: v)
                if !prefix.isEmpty { conditions.append("t.root_name LIKE \(bind(PostgresPatterns.likePrefix(pgText(prefix))))") }
                conditions.append("t.root_name ~ \(bind(PostgresPatterns.regex(glob: pgText(v))))")
            } else {
                conditions.append("t.root_name = \(bind(pgText(v)))")
            }
        }
        switch query.status {
        case .error?: conditions.append("t.error_count > 0")
        case .ok?: conditions.append("t.error_count = 0")
        case nil: break
        }
        if let v = query.model { conditions.append("t.trace_id IN (SELECT trace_id FROM trace_models WHERE model = \(bind(pgText(v))))") }
        if let v = query.operation { conditions.append("(t.operations & \(bind(v.bit))) <> 0") }
        if let v = query.sessionID { conditions.append("t.session_id = \(bind(pgText(v)))") }
        switch query.origin {
        case .runs?: conditions.append("t.root_name LIKE \(bind(PostgresPatterns.likePrefix(TraceOrigin.runRootPrefix)))")
        case .production?:
            conditions.append("(t.root_name IS NULL OR t.root_name NOT LIKE \(bind(PostgresPatterns.likePrefix(TraceOrigin.runRootPrefix))))")
        case nil: break
        }
        var feedback = query.feedback
        var from = "traces t"
        if let scoreCandidates {
            // Each candidate's row by its key, then sorted: bounded by the candidates, however old they are.
            feedback.scoreBelow = nil
            // A loop of key lookups: a plain join hashes the whole table instead (OFFSET 0 keeps the planner
            // from turning the lateral lookup back into that join).
            from = "unnest(\(bind(scoreCandidates.map { ByteBuffer($0.bytes) }))::bytea[]) AS c(id) "
                + "CROSS JOIN LATERAL (SELECT * FROM traces WHERE trace_id = c.id OFFSET 0) t"
        }
        PostgresFeedback.conditions(feedback, into: &conditions, bind: bind)
        let sql = """
            SELECT \(traceColumns) FROM \(from)
            \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))
            ORDER BY t.start_ns DESC LIMIT \(bind(Int64(max(0, query.limit))))
            """
        return (sql, binds)
    }

    /// Fills each summary's `usage` from `trace_usage`.
    private static func withUsage(_ summaries: [TraceSummary], in db: PostgresDB) throws -> [TraceSummary] {
        guard !summaries.isEmpty else { return summaries }
        var binds = PostgresBindings()
        binds.append(summaries.map { ByteBuffer($0.traceID.bytes) })
        var byTrace: [TraceID: [ModelUsage]] = [:]
        for row in try db.query("""
            SELECT trace_id, provider, model, calls, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,
                reasoning_tokens, calls_without_usage
            FROM trace_usage WHERE trace_id = ANY($1::bytea[]) ORDER BY trace_id, provider, model
            """, binds) {
            guard let id = TraceID(bytes: try row.bytes(0)) else { continue }
            let provider = try row.text(1), model = try row.text(2)
            byTrace[id, default: []].append(ModelUsage(
                provider: provider.isEmpty ? nil : provider, model: model.isEmpty ? nil : model, calls: try row.int64(3),
                inputTokens: try row.int64(4), outputTokens: try row.int64(5), cacheReadTokens: try row.int64(6),
                cacheWriteTokens: try row.int64(7), reasoningTokens: try row.int64(8), callsWithoutUsage: try row.int64(9)))
        }
        return summaries.map { s in
            var s = s
            s.usage = ModelUsage.merged(byTrace[s.traceID] ?? [])
            return s
        }
    }

    /// Decoded resources and scopes, by stored id, shared across the traces of one read.
    private struct BodyCache {
        var resources: [Int64: (Resource, String)] = [:]
        var scopes: [Int64: (InstrumentationScope, String)] = [:]
    }

    private static func read(_ id: TraceID, in db: PostgresDB, cache: inout BodyCache) throws -> StoredTrace? {
        var binds = PostgresBindings()
        binds.append(ByteBuffer(id.bytes))
        guard let row = try db.query("SELECT \(traceColumns) FROM traces t WHERE t.trace_id = $1", binds).first else { return nil }
        let summary = try withUsage([try Self.summary(row)], in: db)[0]
        let rows = try db.query("""
            SELECT s.payload, s.resource_id, s.scope_id,
                CASE WHEN s.resource_id = ANY($2::int8[]) THEN NULL ELSE r.body END,
                CASE WHEN s.scope_id = ANY($3::int8[]) THEN NULL ELSE c.body END
            FROM spans s JOIN resources r ON r.id = s.resource_id JOIN scopes c ON c.id = s.scope_id
            WHERE s.trace_id = $1 ORDER BY s.start_ns, s.span_id
            """, { var b = binds; b.append(Array(cache.resources.keys)); b.append(Array(cache.scopes.keys)); return b }())
        var spans: [StoredSpan] = []
        for row in rows {
            let span = try OTLPProtoDecoder.decodeSpan(try row.bytes(0))
            let resourceID = try row.int64(1), scopeID = try row.int64(2)
            if cache.resources[resourceID] == nil {
                guard let body = try row.optionalBytes(3) else { throw PostgresStoreError.corruptRow(table: "resources", reason: "no body") }
                cache.resources[resourceID] = try OTLPProtoDecoder.decodeResourceBody(body)
            }
            if cache.scopes[scopeID] == nil {
                guard let body = try row.optionalBytes(4) else { throw PostgresStoreError.corruptRow(table: "scopes", reason: "no body") }
                cache.scopes[scopeID] = try OTLPProtoDecoder.decodeScopeBody(body)
            }
            let (resource, resourceURL) = cache.resources[resourceID]!, (scope, scopeURL) = cache.scopes[scopeID]!
            spans.append(StoredSpan(span: span, summary: SpanSummary(span: span), resource: resource, resourceSchemaURL: resourceURL,
                                    scope: scope, scopeSchemaURL: scopeURL))
        }
        return StoredTrace(summary: summary, spans: spans)
    }

    /// Columns of `traces t` read by `summary(_:)`.
    private static let traceColumns = """
        t.trace_id, t.root_span_id, t.root_name, t.start_ns, t.end_ns, t.span_count, t.error_count,
        t.input_tokens, t.output_tokens, t.total_tokens, t.operations, t.session_id, t.user_id,
        ARRAY(SELECT m.model FROM trace_models m WHERE m.trace_id = t.trace_id ORDER BY m.model), t.root_kind
        """

    private static func summary(_ row: PGRow) throws -> TraceSummary {
        let traceBytes = try row.bytes(0)
        guard let traceID = TraceID(bytes: traceBytes) else {
            throw PostgresStoreError.corruptRow(table: "traces", reason: "trace id of \(traceBytes.count) bytes")
        }
        var summary = TraceSummary(
            traceID: traceID,
            rootSpanID: try row.optionalBytes(1).flatMap { SpanID(bytes: $0) },
            rootName: try row.optionalText(2),
            startTimeUnixNano: UInt64(bitPattern: try row.int64(3)),
            endTimeUnixNano: UInt64(bitPattern: try row.int64(4)),
            spanCount: try row.int64(5), errorCount: try row.int64(6), inputTokens: try row.int64(7), outputTokens: try row.int64(8),
            totalTokens: try row.int64(9), models: try row.textArray(13),
            operations: SpanOperation.decode(mask: try row.int64(10)),
            sessionID: try row.optionalText(11), userID: try row.optionalText(12))
        summary.rootKind = TraceRootKind(rawValue: Int(try row.int64(14))) ?? .none
        return summary
    }
}
