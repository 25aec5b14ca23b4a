public import AssayCore
import Foundation
import GRDB

extension SQLiteTraceStore {
    /// The sessions matching `query`: the traces with a session id grouped by it, through the
    /// `traces_by_session` index; a time window first picks the sessions with a turn in it through
    /// `traces_by_start`. A session is flagged when one of its traces has current feedback that asks
    /// for review (feedback on the whole session is stored on its first trace).
    public func sessions(matching query: SessionQuery) throws -> [SessionSummary] {
        let (sql, arguments) = Self.sessionsSQL(query)
        return try pool.read { db in
            var sessions = try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                SessionSummary(id: Self.string(row[0]) ?? "", traceCount: row[1],
                               startTimeUnixNano: UInt64(bitPattern: row[2] as Int64), endTimeUnixNano: UInt64(bitPattern: row[3] as Int64),
                               inputTokens: row[4], outputTokens: row[5], errorTraces: row[6], isFlagged: row[7])
            }
            // The user of the earliest turn that names one, for the sessions listed only.
            let user = try db.cachedStatement(sql: """
                SELECT CAST(user_id AS BLOB) FROM traces
                WHERE session_id = ? AND user_id IS NOT NULL ORDER BY start_ns, trace_id LIMIT 1
                """)
            for i in sessions.indices {
                sessions[i].userID = try Data.fetchOne(user, arguments: [sessions[i].id]).flatMap(Self.string)
            }
            return sessions
        }
    }

    /// The SQL and arguments that list sessions for a query.
    static func sessionsSQL(_ query: SessionQuery) -> (String, StatementArguments) {
        var arguments: [any DatabaseValueConvertible] = []
        var window = ""
        if query.hasWindow {
            var bounds = ["w.session_id IS NOT NULL"]
            if let v = query.startFrom { bounds.append("w.start_ns >= ?"); arguments.append(Int64(bitPattern: v)) }
            if let v = query.startBefore { bounds.append("w.start_ns < ?"); arguments.append(Int64(bitPattern: v)) }
            window = " AND t.session_id IN (SELECT w.session_id FROM traces w WHERE \(bounds.joined(separator: " AND ")))"
        }
        let flagged = "t.trace_id IN (SELECT trace_id FROM feedback WHERE is_current = 1 AND needs_review = 1)"
        let sql = """
            SELECT CAST(t.session_id AS BLOB), count(*), min(t.start_ns), max(t.end_ns), CAST(max(min(total(t.input_tokens), 9.2e18), -9.2e18) AS INTEGER), CAST(max(min(total(t.output_tokens), 9.2e18), -9.2e18) AS INTEGER),
                sum(t.error_count > 0), max(\(flagged))
            FROM traces t
            WHERE t.session_id IS NOT NULL\(window)
            GROUP BY t.session_id
            \(query.flagged ? "HAVING max(\(flagged)) = 1" : "")
            ORDER BY max(t.end_ns) DESC, t.session_id DESC LIMIT ?
            """
        arguments.append(max(0, query.limit))
        return (sql, StatementArguments(arguments))
    }

    /// SQLite's query plan for the session lists, for tests that keep them on indexes.
    package func explainSessionQueries() throws -> [(String, String)] {
        let queries: [(String, SessionQuery)] = [
            ("all", SessionQuery()), ("window", SessionQuery(startFrom: 1, startBefore: 2)), ("flagged", SessionQuery(flagged: true)),
        ]
        return try pool.read { db in
            try queries.map { name, query in
                let (sql, arguments) = Self.sessionsSQL(query)
                let rows = try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments)
                return (name, rows.map { $0["detail"] as String? ?? "" }.joined(separator: "; "))
            }
        }
    }

    private static func string(_ data: Data?) -> String? { data.map { String(decoding: $0, as: UTF8.self) } }
}
