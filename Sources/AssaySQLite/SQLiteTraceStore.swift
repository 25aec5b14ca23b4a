public import AssayCore
import AssayOTLP
import Foundation
import GRDB

/// The trace store on SQLite (the system libsqlite3, through GRDB), in WAL mode.
///
/// Durability: a transaction that returned is in the WAL and survives the process being killed
/// (`synchronous=NORMAL`); a power loss may lose the last transactions (see docs/store.md).
///
/// ```swift
/// let store = try SQLiteTraceStore(path: ".assay/assay.sqlite")
/// let recent = try store.traces(matching: TraceQuery(limit: 10))
/// ```
public final class SQLiteTraceStore: AssayStore {
    /// The database file.
    public let path: String
    /// The database file, for messages.
    public var location: String { path }
    /// One machine's store: shards write runs of their own, for `assay merge`.
    public var isShared: Bool { false }
    let pool: DatabasePool

    /// Opens (creating if needed, with its folder) and migrates the store at `path`.
    ///
    /// - Throws: `SQLiteStoreError.open` naming the path and the reason.
    public init(path: String) throws {
        self.path = path
        let folder = (path as NSString).deletingLastPathComponent
        do {
            if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            var config = Configuration()
            config.busyMode = .timeout(30)
            config.prepareDatabase { db in
                try db.execute(sql: "PRAGMA synchronous = NORMAL; PRAGMA journal_size_limit = 67108864; PRAGMA cache_size = -32768")
            }
            pool = try DatabasePool(path: path, configuration: config)
            try StoreMigrations.migrator.migrate(pool)
        } catch let error as DatabaseError {
            throw SQLiteStoreError.open(path: path, reason: error.message ?? "SQLite error \(error.resultCode.rawValue)")
        } catch {
            throw SQLiteStoreError.open(path: path, reason: "\(error)")
        }
    }

    public func write<T>(_ body: (any TraceWriter) throws -> T) throws -> T {
        try pool.write { db in
            guard let connection = db.sqliteConnection else { throw SQLiteStoreError.open(path: path, reason: "closed") }
            return try body(SQLiteTraceWriter(connection: connection, database: db))
        }
    }

    public func feedback(for ids: [TraceID]) throws -> [TraceID: [StoredFeedback]] {
        try pool.read { db in try SQLiteFeedback.read(ids, in: db) }
    }

    public func traces(matching query: TraceQuery) throws -> [TraceSummary] {
        let (sql, arguments) = Self.listSQL(query)
        return try pool.read { db in
            try Self.withUsage(try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.summary), in: db)
        }
    }

    public func completedTraces(_ completion: TraceCompletion, now: UInt64, limit: Int) throws -> [TraceID] {
        let clamp = { (n: UInt64) in Int64(bitPattern: min(n, UInt64(Int64.max))) }
        let quietBefore = now >= completion.quietNanos ? clamp(now - completion.quietNanos) : Int64.min
        let firstBefore = now >= completion.maxWaitNanos ? clamp(now - completion.maxWaitNanos) : Int64.min
        return try pool.write { db in
            let ids = try Row.fetchAll(db, sql: """
                SELECT t.trace_id FROM traces t INDEXED BY traces_unevaluated
                WHERE t.online IS NULL AND t.last_seen_ns IS NOT NULL
                  AND (t.root_name IS NULL OR t.root_name NOT GLOB ?)
                  AND ((t.root_kind IN (?, ?) AND t.last_seen_ns <= ?) OR t.first_seen_ns <= ?)
                  AND (t.online_claim_ns IS NULL OR t.online_claim_ns <= ?)
                ORDER BY t.last_seen_ns LIMIT ?
                """, arguments: [TraceOrigin.runRootPrefix + "*", TraceRootKind.root.rawValue, TraceRootKind.remoteParent.rawValue,
                                 quietBefore, firstBefore, clamp(now), max(0, limit)])
            .compactMap { row in (row[0] as Data?) }
            let until = clamp(now &+ onlineClaimNanos)
            for id in ids { try db.execute(sql: "UPDATE traces SET online_claim_ns = ? WHERE trace_id = ?", arguments: [until, id]) }
            return ids.compactMap { TraceID(bytes: [UInt8]($0)) }
        }
    }

    public func unevaluatedTraceCount() throws -> Int {
        try pool.read { db in
            try Int.fetchOne(db, sql: """
                SELECT count(*) FROM traces t INDEXED BY traces_unevaluated
                WHERE t.online IS NULL AND t.last_seen_ns IS NOT NULL AND (t.root_name IS NULL OR t.root_name NOT GLOB ?)
                """, arguments: [TraceOrigin.runRootPrefix + "*"]) ?? 0
        }
    }

    public func traceIDs(after: TraceID?, limit: Int) throws -> [TraceID] {
        try pool.read { db in
            try Data.fetchAll(db, sql: "SELECT trace_id FROM traces WHERE trace_id > ? ORDER BY trace_id LIMIT ?",
                              arguments: [Data(after?.bytes ?? []), max(0, limit)]).compactMap { TraceID(bytes: [UInt8]($0)) }
        }
    }

    /// What online evaluation recorded for a trace, if anything (for tests and `traces show`).
    public func evaluation(of id: TraceID) throws -> OnlineEvaluation? {
        try pool.read { db in
            try Int.fetchOne(db, sql: "SELECT online FROM traces WHERE trace_id = ?", arguments: [Data(id.bytes)]).flatMap(OnlineEvaluation.init(rawValue:))
        }
    }

    /// Fills each summary's `usage` from `trace_usage`.
    private static func withUsage(_ summaries: [TraceSummary], in db: Database) throws -> [TraceSummary] {
        guard !summaries.isEmpty else { return summaries }
        var byTrace: [TraceID: [ModelUsage]] = [:]
        for chunk in stride(from: 0, to: summaries.count, by: 500) {
            let ids = summaries[chunk..<min(chunk + 500, summaries.count)].map { Data($0.traceID.bytes) }
            let rows = try Row.fetchAll(db, sql: """
                SELECT trace_id, CAST(provider AS BLOB), CAST(model AS BLOB), calls, input_tokens, output_tokens, cache_read_tokens,
                    cache_write_tokens, reasoning_tokens, calls_without_usage
                FROM trace_usage WHERE trace_id IN (\(ids.map { _ in "?" }.joined(separator: ",")))
                """, arguments: StatementArguments(ids))
            for row in rows {
                guard let id = (row[0] as Data?).flatMap({ TraceID(bytes: [UInt8]($0)) }) else { continue }
                let provider = text(row[1]).flatMap { $0.isEmpty ? nil : $0 }, model = text(row[2]).flatMap { $0.isEmpty ? nil : $0 }
                byTrace[id, default: []].append(ModelUsage(provider: provider, model: model, calls: row[3], inputTokens: row[4],
                    outputTokens: row[5], cacheReadTokens: row[6], cacheWriteTokens: row[7], reasoningTokens: row[8], callsWithoutUsage: row[9]))
            }
        }
        return summaries.map { s in
            var s = s
            s.usage = ModelUsage.merged(byTrace[s.traceID] ?? [])
            return s
        }
    }

    /// The SQL and arguments that list traces for a query.
    private static func listSQL(_ query: TraceQuery) -> (String, StatementArguments) {
        var conditions: [String] = []
        var arguments: [any DatabaseValueConvertible] = []
        if let v = query.startFrom { conditions.append("t.start_ns >= ?"); arguments.append(Int64(bitPattern: v)) }
        if let v = query.startBefore { conditions.append("t.start_ns < ?"); arguments.append(Int64(bitPattern: v)) }
        if let v = query.name {
            conditions.append(query.nameIsPattern ? "t.root_name GLOB ?" : "t.root_name = ?")
            arguments.append(v)
        }
        switch query.status {
        case .error?: conditions.append("t.error_count > 0")
        case .ok?: conditions.append("t.error_count = 0")
        case nil: break
        }
        if let v = query.model {
            conditions.append("t.trace_id IN (SELECT trace_id FROM trace_models WHERE model = ?)")
            arguments.append(v)
        }
        if let v = query.operation { conditions.append("(t.operations & ?) != 0"); arguments.append(v.bit) }
        if let v = query.sessionID { conditions.append("t.session_id = ?"); arguments.append(v) }
        let runGlob = TraceOrigin.runRootPrefix + "*"
        switch query.origin {
        case .runs?: conditions.append("t.root_name GLOB ?"); arguments.append(runGlob)
        case .production?: conditions.append("(t.root_name IS NULL OR t.root_name NOT GLOB ?)"); arguments.append(runGlob)
        case nil: break
        }
        SQLiteFeedback.conditions(query.feedback, into: &conditions, arguments: &arguments)
        let sql = """
            SELECT \(traceColumns) FROM traces t
            \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))
            ORDER BY t.start_ns DESC LIMIT ?
            """
        arguments.append(max(0, query.limit))
        return (sql, StatementArguments(arguments))
    }

    /// SQLite's query plan for the common list queries, for tests that keep them on indexes.
    package func explainListQueries() throws -> [(String, String)] {
        let queries: [(String, TraceQuery)] = [
            ("newest", TraceQuery()), ("time window", TraceQuery(startFrom: 1, startBefore: 2)),
            ("name", TraceQuery(name: "x")), ("errors", TraceQuery(status: .error)),
            ("model", TraceQuery(model: "m")), ("session", TraceQuery(sessionID: "s")),
            ("flagged", { var q = TraceQuery(); q.feedback.flagged = true; return q }()),
            ("score below", { var q = TraceQuery(); q.feedback.scoreBelow = .init(name: "s", value: 0.5); return q }()),
        ]
        return try pool.read { db in
            try queries.map { name, query in
                let (sql, arguments) = Self.listSQL(query)
                let rows = try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments)
                return (name, rows.map { $0["detail"] as String? ?? "" }.joined(separator: "; "))
            }
        }
    }

    public func trace(_ id: TraceID) throws -> StoredTrace? {
        try pool.read { db in
            var cache = BodyCache()
            return try Self.read(id, in: db, cache: &cache)
        }
    }

    public func traces(_ ids: [TraceID]) throws -> [StoredTrace] {
        try pool.read { db in
            var cache = BodyCache()
            return try ids.compactMap { try Self.read($0, in: db, cache: &cache) }
        }
    }

    /// Decoded resources and scopes, by stored body, shared across the traces of one read.
    private struct BodyCache {
        var resources: [Data: (Resource, String)] = [:]
        var scopes: [Data: (InstrumentationScope, String)] = [:]
    }

    private static func read(_ id: TraceID, in db: Database, cache: inout BodyCache) throws -> StoredTrace? {
        let key = Data(id.bytes)
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT \(traceColumns) FROM traces t WHERE t.trace_id = ?"), arguments: [key]) else {
            return nil
        }
        let summary = try Self.withUsage([Self.summary(row)], in: db)[0]
        let rows = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT s.payload, r.body, c.body FROM spans s
            JOIN resources r ON r.id = s.resource_id JOIN scopes c ON c.id = s.scope_id
            WHERE s.trace_id = ? ORDER BY s.start_ns, s.span_id
            """), arguments: [key])
        let spans = try rows.map { row -> StoredSpan in
            let payload: Data = row[0], resourceBody: Data = row[1], scopeBody: Data = row[2]
            let span = try OTLPProtoDecoder.decodeSpan([UInt8](payload))
            if cache.resources[resourceBody] == nil { cache.resources[resourceBody] = try OTLPProtoDecoder.decodeResourceBody([UInt8](resourceBody)) }
            if cache.scopes[scopeBody] == nil { cache.scopes[scopeBody] = try OTLPProtoDecoder.decodeScopeBody([UInt8](scopeBody)) }
            let (resource, resourceURL) = cache.resources[resourceBody]!
            let (scope, scopeURL) = cache.scopes[scopeBody]!
            return StoredSpan(span: span, summary: SpanSummary(span: span), resource: resource, resourceSchemaURL: resourceURL,
                              scope: scope, scopeSchemaURL: scopeURL)
        }
        return StoredTrace(summary: summary, spans: spans)
    }

    /// Columns of `traces t` read by `summary(_:)`; text as blobs, since NUL characters are valid in trace data.
    private static let traceColumns = """
        t.trace_id, t.root_span_id, CAST(t.root_name AS BLOB), t.start_ns, t.end_ns, t.span_count, t.error_count,
        t.input_tokens, t.output_tokens, t.total_tokens, t.operations, CAST(t.session_id AS BLOB), CAST(t.user_id AS BLOB),
        (SELECT group_concat(CAST(model AS BLOB), x'1f') FROM (SELECT model FROM trace_models m WHERE m.trace_id = t.trace_id ORDER BY model)),
        t.root_kind
        """

    private static func summary(_ row: Row) throws -> TraceSummary {
        let traceBytes: Data = row[0]
        guard let traceID = TraceID(bytes: [UInt8](traceBytes)) else {
            throw SQLiteStoreError.corruptRow(table: "traces", reason: "trace id of \(traceBytes.count) bytes")
        }
        let rootBytes: Data? = row[1]
        let models: Data? = row[13]
        var summary = TraceSummary(
            traceID: traceID,
            rootSpanID: rootBytes.flatMap { SpanID(bytes: [UInt8]($0)) },
            rootName: text(row[2]),
            startTimeUnixNano: UInt64(bitPattern: row[3] as Int64),
            endTimeUnixNano: UInt64(bitPattern: row[4] as Int64),
            spanCount: row[5], errorCount: row[6], inputTokens: row[7], outputTokens: row[8], totalTokens: row[9],
            models: models.map { String(decoding: $0, as: UTF8.self).split(separator: "\u{1F}").map(String.init) } ?? [],
            operations: SpanOperation.decode(mask: row[10]),
            sessionID: text(row[11]), userID: text(row[12]))
        summary.rootKind = TraceRootKind(rawValue: row[14]) ?? .none
        return summary
    }

    private static func text(_ data: Data?) -> String? { data.map { String(decoding: $0, as: UTF8.self) } }
}
