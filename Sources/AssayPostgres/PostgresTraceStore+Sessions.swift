public import AssayCore
import PostgresNIO

extension PostgresTraceStore {
    /// The sessions matching `query`: the traces with a session id grouped by it (the
    /// `traces_by_session` index); a time window first picks the sessions with a turn in it through
    /// `traces_by_start`. A session is flagged when one of its trace rows is (`needs_review`, kept by
    /// the feedback writer; feedback on the whole session is stored on its first trace).
    public func sessions(matching query: SessionQuery) throws -> [SessionSummary] {
        let (sql, binds) = Self.sessionsSQL(query)
        return try read { db in
            try db.query(sql, binds).map { row in
                SessionSummary(id: try row.text(0), traceCount: Int(try row.int64(1)),
                               startTimeUnixNano: UInt64(bitPattern: try row.int64(2)), endTimeUnixNano: UInt64(bitPattern: try row.int64(3)),
                               inputTokens: try row.int64(4), outputTokens: try row.int64(5), errorTraces: Int(try row.int64(6)),
                               userID: try row.optionalText(8), isFlagged: try row.bool(7))
            }
        }
    }

    /// The SQL and binds that list sessions for a query. Ties in activity are ordered by the id's
    /// bytes (`COLLATE "C"`), as in SQLite and the reference store.
    static func sessionsSQL(_ query: SessionQuery) -> (String, PostgresBindings) {
        var binds = PostgresBindings()
        func bind(_ value: any PostgresDynamicTypeEncodable) -> String {
            binds.append(value)
            return "$\(binds.count)"
        }
        var window = ""
        if query.hasWindow {
            var bounds = ["w.session_id IS NOT NULL"]
            if let v = query.startFrom { bounds.append("w.start_ns >= \(bind(Int64(bitPattern: v)))") }
            if let v = query.startBefore { bounds.append("w.start_ns < \(bind(Int64(bitPattern: v)))") }
            window = " AND t.session_id IN (SELECT w.session_id FROM traces w WHERE \(bounds.joined(separator: " AND ")))"
        }
        let sql = """
            SELECT t.session_id, count(*), min(t.start_ns), max(t.end_ns), GREATEST(LEAST(sum(t.input_tokens), 9200000000000000000), -9200000000000000000)::bigint, GREATEST(LEAST(sum(t.output_tokens), 9200000000000000000), -9200000000000000000)::bigint,
                count(*) FILTER (WHERE t.error_count > 0), bool_or(t.needs_review),
                (array_agg(t.user_id ORDER BY t.start_ns, t.trace_id) FILTER (WHERE t.user_id IS NOT NULL))[1]
            FROM traces t
            WHERE t.session_id IS NOT NULL\(window)
            GROUP BY t.session_id
            \(query.flagged ? "HAVING bool_or(t.needs_review)" : "")
            ORDER BY max(t.end_ns) DESC, t.session_id COLLATE "C" DESC LIMIT \(bind(Int64(max(0, query.limit))))
            """
        return (sql, binds)
    }
}
