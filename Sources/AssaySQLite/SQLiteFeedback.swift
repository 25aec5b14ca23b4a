import AssayCore
import Foundation
import GRDB

/// Feedback in the SQLite store: the `feedback` table keeps each item's JSON line, with the columns
/// the list filters need; scores and labels have their own tables so that filters use indexes.
enum SQLiteFeedback {
    /// Writes feedback inside a store transaction.
    final class Writer {
        private let db: Database

        init(db: Database) { self.db = db }

        func unknownTargets(_ feedback: [Feedback]) throws -> [UnknownFeedbackTarget] {
            var known: [TraceID: Bool] = [:]
            var problems: [UnknownFeedbackTarget] = []
            for (i, f) in feedback.enumerated() {
                let key = Data(f.traceID.bytes)
                if known[f.traceID] == nil {
                    known[f.traceID] = try Bool.fetchOne(db, sql: "SELECT 1 FROM traces WHERE trace_id = ?", arguments: [key]) ?? false
                }
                if known[f.traceID] != true {
                    problems.append(UnknownFeedbackTarget(index: i, traceID: f.traceID, spanID: nil))
                } else if let span = f.spanID,
                          try Bool.fetchOne(db, sql: "SELECT 1 FROM spans WHERE trace_id = ? AND span_id = ?",
                                            arguments: [key, Data(span.bytes)]) == nil {
                    problems.append(UnknownFeedbackTarget(index: i, traceID: f.traceID, spanID: span))
                } else if let session = f.sessionID,
                          try Bool.fetchOne(db, sql: "SELECT 1 FROM traces WHERE trace_id = ? AND session_id = ?", arguments: [key, session]) == nil {
                    problems.append(UnknownFeedbackTarget(index: i, traceID: f.traceID, spanID: nil, sessionID: session))
                }
            }
            return problems
        }

        func add(_ feedback: [Feedback]) throws -> FeedbackCounts {
            var counts = FeedbackCounts()
            for f in feedback {
                let trace = Data(f.traceID.bytes)
                let span = f.spanID.map { Data($0.bytes) }
                let time = Int64(clamping: f.timeUnixNano)
                let rating: Int64? = f.rating.map { $0 == .up ? 1 : -1 }
                try db.execute(sql: """
                    INSERT OR IGNORE INTO feedback (id, trace_id, span_id, session_id, author, source, time_ns, is_current, rating,
                        needs_review, has_correction, body) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)
                    """, arguments: [f.id.rawValue, trace, span, f.sessionID, f.author, f.source.rawValue, time, rating,
                                     f.needsReview, f.correction != nil, FeedbackJSON.line(f)])
                guard db.changesCount > 0 else {
                    counts.present += 1
                    continue
                }
                counts.added += 1
                for (name, value) in f.scores {
                    try db.execute(sql: "INSERT INTO feedback_scores (feedback_id, name, value) VALUES (?, ?, ?)", arguments: [f.id.rawValue, name, value])
                }
                for (name, value) in f.labels {
                    try db.execute(sql: "INSERT INTO feedback_labels (feedback_id, name, value) VALUES (?, ?, ?)", arguments: [f.id.rawValue, name, value])
                }
                // The newest item per review key is current; on equal times the later insert wins.
                let current = try Row.fetchOne(db, sql: """
                    SELECT id, time_ns FROM feedback
                    WHERE trace_id = ? AND span_id IS ? AND session_id IS ? AND author = ? AND source = ? AND is_current = 1
                    """, arguments: [trace, span, f.sessionID, f.author, f.source.rawValue])
                if let current, (current["time_ns"] as Int64) > time { continue }
                if let current {
                    try db.execute(sql: "UPDATE feedback SET is_current = 0 WHERE id = ?", arguments: [current["id"] as String])
                }
                try db.execute(sql: "UPDATE feedback SET is_current = 1 WHERE id = ?", arguments: [f.id.rawValue])
            }
            return counts
        }
    }

    /// All feedback on the traces, oldest first (by time, then insertion).
    static func read(_ ids: [TraceID], in db: Database) throws -> [TraceID: [StoredFeedback]] {
        var result: [TraceID: [StoredFeedback]] = [:]
        for id in Set(ids) {
            let rows = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT body, is_current FROM feedback WHERE trace_id = ? ORDER BY time_ns, rowid
                """), arguments: [Data(id.bytes)])
            guard !rows.isEmpty else { continue }
            result[id] = try rows.map { row in
                let body: String = row[0]
                do {
                    let feedback = try FeedbackJSON.decode(try JSONValue.parse(body), now: 0)
                    return StoredFeedback(feedback: feedback, isCurrent: row[1])
                } catch {
                    throw SQLiteStoreError.corruptRow(table: "feedback", reason: "\(error)")
                }
            }
        }
        return result
    }

    /// Adds the SQL conditions of a feedback filter on `traces t`.
    static func conditions(_ filter: FeedbackFilter, into conditions: inout [String], arguments: inout [any DatabaseValueConvertible]) {
        // With a source, every predicate holds on that source's feedback: its value is bound first.
        let from = filter.source.map { _ in " AND source = ?" } ?? ""
        func current(_ predicate: String) -> String {
            if let source = filter.source { arguments.append(source.rawValue) }
            return "t.trace_id IN (SELECT trace_id FROM feedback WHERE is_current = 1\(from) AND \(predicate))"
        }
        if filter.hasFeedback {
            if let source = filter.source { arguments.append(source.rawValue) }
            conditions.append("t.trace_id IN (SELECT trace_id FROM feedback WHERE 1\(from))")
        }
        if filter.source != nil { conditions.append(current("1")) }
        if filter.flagged { conditions.append(current("needs_review = 1")) }
        if filter.ratedDown { conditions.append(current("rating = -1")) }
        if filter.ratedUp { conditions.append(current("rating = 1")) }
        if filter.hasCorrection { conditions.append(current("has_correction = 1")) }
        if let s = filter.scoreBelow {
            conditions.append(current("id IN (SELECT feedback_id FROM feedback_scores WHERE name = ? AND value < ?)"))
            arguments.append(s.name)
            arguments.append(s.value)
        }
        if let l = filter.label {
            conditions.append(current("id IN (SELECT feedback_id FROM feedback_labels WHERE name = ? AND value = ?)"))
            arguments.append(l.name)
            arguments.append(l.value)
        }
    }
}
