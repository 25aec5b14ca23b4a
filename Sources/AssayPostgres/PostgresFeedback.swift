import AssayCore
import NIOCore
import PostgresNIO

/// Feedback in the PostgreSQL store, laid out as in SQLite: each item's JSON line in `feedback` with the
/// columns the list filters need, scores and labels in their own indexed tables.
enum PostgresFeedback {
    /// Writes feedback inside a store transaction.
    final class Writer {
        private let db: PostgresDB

        init(db: PostgresDB) { self.db = db }

        func unknownTargets(_ feedback: [Feedback]) throws -> [UnknownFeedbackTarget] {
            var known: [TraceID: Bool] = [:]
            var problems: [UnknownFeedbackTarget] = []
            for (i, f) in feedback.enumerated() {
                if known[f.traceID] == nil {
                    var binds = PostgresBindings()
                    binds.append(ByteBuffer(f.traceID.bytes))
                    known[f.traceID] = try !db.query("SELECT 1 FROM traces WHERE trace_id = $1", binds).isEmpty
                }
                if known[f.traceID] != true {
                    problems.append(UnknownFeedbackTarget(index: i, traceID: f.traceID, spanID: nil))
                } else if let span = f.spanID {
                    var binds = PostgresBindings()
                    binds.append(ByteBuffer(f.traceID.bytes))
                    binds.append(ByteBuffer(span.bytes))
                    if try db.query("SELECT 1 FROM spans WHERE trace_id = $1 AND span_id = $2", binds).isEmpty {
                        problems.append(UnknownFeedbackTarget(index: i, traceID: f.traceID, spanID: span))
                    }
                } else if let session = f.sessionID {
                    var binds = PostgresBindings()
                    binds.append(ByteBuffer(f.traceID.bytes))
                    binds.append(pgText(session))
                    if try db.query("SELECT 1 FROM traces WHERE trace_id = $1 AND session_id = $2", binds).isEmpty {
                        problems.append(UnknownFeedbackTarget(index: i, traceID: f.traceID, spanID: nil, sessionID: session))
                    }
                }
            }
            return problems
        }

        func add(_ feedback: [Feedback]) throws -> FeedbackCounts {
            var counts = FeedbackCounts()
            guard !feedback.isEmpty else { return counts }
            // Writers of feedback on one trace take turns: the trace rows are locked in id order, so
            // "the newest item per review key is current" holds across collectors.
            let traces = Set(feedback.map(\.traceID)).sorted { $0.bytes.lexicographicallyPrecedes($1.bytes) }
            var lock = PostgresBindings()
            lock.append(traces.map { ByteBuffer($0.bytes) })
            try db.query("SELECT 1 FROM traces WHERE trace_id = ANY($1::bytea[]) ORDER BY trace_id FOR UPDATE", lock)
            for f in feedback {
                let time = Int64(clamping: f.timeUnixNano)
                var binds = PostgresBindings(capacity: 11)
                binds.append(f.id.rawValue)
                binds.append(ByteBuffer(f.traceID.bytes))
                binds.append(f.spanID.map { ByteBuffer($0.bytes) })
                binds.append(pgText(f.author))
                binds.append(f.source.rawValue)
                binds.append(time)
                binds.append(f.rating.map { Int64($0 == .up ? 1 : -1) })
                binds.append(f.needsReview)
                binds.append(f.correction != nil)
                binds.append(pgText(FeedbackJSON.line(f)))
                binds.append(f.sessionID.map(pgText))
                let inserted = try db.query("""
                    INSERT INTO feedback (id, trace_id, span_id, author, source, time_ns, is_current, rating, needs_review,
                        has_correction, body, session_id) VALUES ($1, $2, $3, $4, $5, $6, false, $7, $8, $9, $10, $11)
                    ON CONFLICT (id) DO NOTHING RETURNING seq
                    """, binds)
                guard !inserted.isEmpty else {
                    counts.present += 1
                    continue
                }
                counts.added += 1
                if !f.scores.isEmpty {
                    var b = PostgresBindings()
                    b.append(f.id.rawValue)
                    b.append(f.scores.map { pgText($0.key) })
                    b.append(f.scores.map(\.value))
                    try db.query("INSERT INTO feedback_scores (feedback_id, name, value) SELECT $1, n, v FROM unnest($2::text[], $3::float8[]) AS u(n, v)", b)
                }
                if !f.labels.isEmpty {
                    var b = PostgresBindings()
                    b.append(f.id.rawValue)
                    b.append(f.labels.map { pgText($0.key) })
                    b.append(f.labels.map { pgText($0.value) })
                    try db.query("INSERT INTO feedback_labels (feedback_id, name, value) SELECT $1, n, v FROM unnest($2::text[], $3::text[]) AS u(n, v)", b)
                }
                // The newest item per review key is current; on equal times the later insert wins.
                var key = PostgresBindings()
                key.append(ByteBuffer(f.traceID.bytes))
                key.append(f.spanID.map { ByteBuffer($0.bytes) })
                key.append(pgText(f.author))
                key.append(f.source.rawValue)
                key.append(f.sessionID.map(pgText))
                let current = try db.query("""
                    SELECT id, time_ns FROM feedback
                    WHERE trace_id = $1 AND span_id IS NOT DISTINCT FROM $2 AND author = $3 AND source = $4
                      AND session_id IS NOT DISTINCT FROM $5 AND is_current
                    """, key)
                if let row = current.first, try row.int64(1) > time { continue }
                var swap = PostgresBindings()
                swap.append(f.id.rawValue)
                swap.append(try current.first?.text(0))
                try db.query("UPDATE feedback SET is_current = (id = $1) WHERE id = $1 OR id = $2", swap)
            }
            // The trace row says whether its current feedback asks for review (the `traces_flagged` index).
            try db.query("""
                UPDATE traces t SET needs_review = EXISTS (SELECT 1 FROM feedback f WHERE f.trace_id = t.trace_id AND f.is_current AND f.needs_review)
                WHERE t.trace_id = ANY($1::bytea[])
                """, lock)
            return counts
        }
    }

    /// All feedback on the traces, oldest first (by time, then insertion).
    static func read(_ ids: [TraceID], in db: PostgresDB) throws -> [TraceID: [StoredFeedback]] {
        guard !ids.isEmpty else { return [:] }
        var binds = PostgresBindings()
        binds.append(Set(ids).map { ByteBuffer($0.bytes) })
        var result: [TraceID: [StoredFeedback]] = [:]
        for row in try db.query("SELECT trace_id, body, is_current FROM feedback WHERE trace_id = ANY($1::bytea[]) ORDER BY trace_id, time_ns, seq", binds) {
            guard let id = TraceID(bytes: try row.bytes(0)) else { throw PostgresStoreError.corruptRow(table: "feedback", reason: "a trace id has the wrong length") }
            do {
                let feedback = try FeedbackJSON.decode(try JSONValue.parse(try row.text(1)), now: 0)
                result[id, default: []].append(StoredFeedback(feedback: feedback, isCurrent: try row.bool(2)))
            } catch let error as PostgresStoreError {
                throw error
            } catch {
                throw PostgresStoreError.corruptRow(table: "feedback", reason: "\(error)")
            }
        }
        return result
    }

    /// The traces with a current score of this name below this value (from `source` when given), at
    /// most `limit`, through the scores' (name, value) index.
    static func scoredBelow(_ score: FeedbackFilter.ScoreBound, source: FeedbackSource?, limit: Int, in db: PostgresDB) throws -> [TraceID] {
        var binds = PostgresBindings()
        binds.append(pgText(score.name))
        binds.append(score.value)
        binds.append(Int64(limit))
        binds.append(source?.rawValue ?? "")
        return try db.query("""
            SELECT DISTINCT f.trace_id FROM feedback_scores s JOIN feedback f ON f.id = s.feedback_id
            WHERE s.name = $1 AND s.value < $2 AND f.is_current AND ($4 = '' OR f.source = $4)
            LIMIT $3
            """, binds).compactMap { TraceID(bytes: try $0.bytes(0)) }
    }

    /// Adds the SQL conditions of a feedback filter on `traces t`, binding values through `bind`.
    static func conditions(_ filter: FeedbackFilter, into conditions: inout [String], bind: (any PostgresDynamicTypeEncodable) -> String) {
        // With a source, every predicate holds on that source's feedback.
        let from = filter.source.map { " AND source = \(bind($0.rawValue))" } ?? ""
        func current(_ predicate: String) -> String {
            "t.trace_id IN (SELECT trace_id FROM feedback WHERE is_current\(from) AND \(predicate))"
        }
        if filter.hasFeedback { conditions.append("t.trace_id IN (SELECT trace_id FROM feedback WHERE true\(from))") }
        if filter.source != nil { conditions.append(current("true")) }
        if filter.flagged {
            // Any source: the trace row's flag, which the `traces_flagged` index yields in start order.
            conditions.append(filter.source == nil ? "t.needs_review" : current("needs_review"))
        }
        if filter.ratedDown { conditions.append(current("rating = -1")) }
        if filter.ratedUp { conditions.append(current("rating = 1")) }
        if filter.hasCorrection { conditions.append(current("has_correction")) }
        if let s = filter.scoreBelow {
            conditions.append(current("id IN (SELECT feedback_id FROM feedback_scores WHERE name = \(bind(s.name)) AND value < \(bind(s.value)))"))
        }
        if let l = filter.label {
            conditions.append(current("id IN (SELECT feedback_id FROM feedback_labels WHERE name = \(bind(l.name)) AND value = \(bind(l.value)))"))
        }
    }
}
