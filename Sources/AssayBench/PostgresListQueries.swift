import AssayCore
import AssayPostgres
import Foundation
import Synchronization

/// `assay-bench collector --db postgres://… --list-queries`: the list queries of `assay traces list` on
/// a fresh database of a million spans or more, written through the store's own writer; each query's
/// median time of 5 through `traces(matching:)` and its plan as run.
struct PostgresListQueries {
    /// The `--db` URL: a role that may create databases, and the database it connects to for that.
    var url: String
    /// Spans to write (traces of 6 spans).
    var spans: Int
    /// Threads generating and writing at once, each its own transactions.
    var writers = 2
    /// Traces per write transaction.
    var tracesPerWrite = 3_000
    /// The goal for each query's median time, in milliseconds.
    static let goalMillis = 100.0

    /// Fills the database, runs ANALYZE, times each query and prints its plan.
    func run() throws {
        let databases = try PostgresBenchDatabases(url: url)
        defer { databases.dropAll() }
        let database = try databases.create()
        let version = try PostgresBenchDatabases.execute(["SHOW server_version"], on: databases.server).first ?? "?"
        print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores; PostgreSQL \(version) at \(databases.server.description)")
        let store = try PostgresTraceStore(url: database)
        let start = DispatchTime.now().uptimeNanoseconds
        let sampled = try fill(store)
        let fillSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        try addFeedback(sampled, to: store)
        try PostgresBenchDatabases.execute(["ANALYZE"], on: database)
        let counts = try PostgresBenchDatabases.execute([
            "SELECT (SELECT count(*) FROM spans)::text || ' spans in ' || (SELECT count(*) FROM traces)::text || ' traces, '"
                + " || (SELECT count(*) FROM feedback)::text || ' feedback items; database ' || pg_size_pretty(pg_database_size(current_database()))",
        ], on: database).first ?? "?"
        print(String(format: "filled through the store's writer (%d threads, %d traces a transaction) in %.1f s, %.0f spans/s: %@",
                     writers, tracesPerWrite, fillSeconds, Double(spans) / fillSeconds, counts))
        guard let newest = try store.traces(matching: TraceQuery(limit: 1)).first else { throw BenchError("no trace was stored") }
        let queries = PostgresTraceStore.explainedQueries.map { ($0.0, Self.realistic($0.1, like: newest)) }
        print("each query as `assay traces list` makes it (limit 50), with values from the newest trace; median of 5 runs:")
        var missed = try time(queries, on: store)
        print("plans as run (EXPLAIN (ANALYZE, BUFFERS), a sixth run):")
        try printPlans(queries, on: store)
        // Reviews lag traffic: many flagged, low-scored traces, all of them old.
        let lagging = try lagReviews(store, database: database)
        let feedbackQueries = queries.compactMap { name, query -> (String, TraceQuery)? in
            if query.feedback.flagged { return (name, query) }
            guard query.feedback.scoreBelow != nil else { return nil }
            var q = query
            q.feedback.scoreBelow = .init(name: "review", value: 0.5)
            return (name, q)
        }
        print("then the \(lagging) oldest traces flagged, with a low score named review that no other trace has (reviews lag traffic); ANALYZE; median of 5 runs:")
        missed += try time(feedbackQueries, on: store).map { $0 + " (lagging reviews)" }
        try printPlans(feedbackQueries, on: store)
        print(missed.isEmpty ? "every query meets the goal" : "missed the goal: \(missed.joined(separator: ", "))")
    }

    /// Times each query (median of 5); returns the names of those that missed the goal.
    private func time(_ queries: [(String, TraceQuery)], on store: PostgresTraceStore) throws -> [String] {
        var missed: [String] = []
        for (name, query) in queries {
            var millis: [Double] = [], rows = 0
            for _ in 0..<5 {
                let t = DispatchTime.now().uptimeNanoseconds
                rows = try store.traces(matching: query).count
                millis.append(Double(DispatchTime.now().uptimeNanoseconds - t) / 1e6)
            }
            millis.sort()
            let met = millis[2] < Self.goalMillis
            if !met { missed.append(name) }
            print(String(format: "  %@: %.1f ms (%.1f to %.1f), %d traces; goal < %.0f ms %@", name, millis[2], millis[0], millis[4], rows,
                         Self.goalMillis, met ? "met" : "MISSED"))
        }
        return missed
    }

    private func printPlans(_ queries: [(String, TraceQuery)], on store: PostgresTraceStore) throws {
        for (name, plan) in try store.explainListQueries(queries, analyze: true) {
            print("-- \(name): \(Self.describe(queries.first { $0.0 == name }!.1))")
            for line in plan.split(separator: "\n") { print("   " + line) }
        }
    }

    /// Flags the 10,000 oldest traces with a low quality score, the farthest from the newest, which
    /// a list walks from; returns how many.
    private func lagReviews(_ store: PostgresTraceStore, database: PostgresURL) throws -> Int {
        let older = try store.traces(matching: TraceQuery(limit: Int.max)).suffix(10_000).map(\.traceID)
        let now = WallClock.nowNanos()
        // A score name of their own: only these old traces match `--score-below review=…`.
        let items = older.map { Feedback(traceID: $0, scores: ["review": 0.1], needsReview: true, author: "assay-bench-lag", source: .human, timeUnixNano: now) }
        for start in stride(from: 0, to: items.count, by: 500) { try store.add(Array(items[start..<min(start + 500, items.count)])) }
        try PostgresBenchDatabases.execute(["ANALYZE"], on: database)
        return items.count
    }

    /// The query with values the data holds: the newest trace's root name, model and session, a window
    /// of one hour ending an hour before it, and the benchmark's feedback score.
    static func realistic(_ query: TraceQuery, like newest: TraceSummary) -> TraceQuery {
        var q = query
        let hour: UInt64 = 3_600_000_000_000
        if q.startFrom != nil || q.startBefore != nil {
            q.startFrom = newest.startTimeUnixNano - 2 * hour
            q.startBefore = newest.startTimeUnixNano - hour
        }
        if q.name != nil {
            let root = newest.rootName ?? ""
            q.name = q.nameIsPattern ? (root.split(separator: " ").first.map(String.init) ?? root) + " *" : root
        }
        if q.model != nil { q.model = newest.models.first }
        if q.sessionID != nil { q.sessionID = newest.sessionID }
        if q.feedback.scoreBelow != nil { q.feedback.scoreBelow = .init(name: "quality", value: 0.5) }
        return q
    }

    private static func describe(_ q: TraceQuery) -> String {
        var parts: [String] = []
        if let from = q.startFrom, let before = q.startBefore { parts.append("start in [\(from), \(before))") }
        if let name = q.name { parts.append("name '\(name)'") }
        if let status = q.status { parts.append("status \(status)") }
        if let model = q.model { parts.append("model '\(model)'") }
        if let session = q.sessionID { parts.append("session '\(session)'") }
        if q.feedback.flagged { parts.append("flagged") }
        if let s = q.feedback.scoreBelow { parts.append("score \(s.name) < \(s.value)") }
        return parts.isEmpty ? "no filter" : parts.joined(separator: ", ")
    }

    /// Writes `spans` spans from `writers` threads, each with its own seeded generator; returns one
    /// trace in 100, to receive feedback.
    private func fill(_ store: PostgresTraceStore) throws -> [TraceID] {
        let total = (spans + 5) / 6
        let outcome = FillOutcome()
        DispatchQueue.concurrentPerform(iterations: writers) { w in
            var generator = AgentTraceGenerator(seed: 100 + UInt64(w))
            var left = total / writers + (w < total % writers ? 1 : 0)
            var sampled: [TraceID] = []
            do {
                while left > 0 {
                    let n = min(left, tracesPerWrite)
                    let batch = IngestBatch(generator.document(traces: n))
                    var seen: Set<TraceID> = []
                    for span in batch.spans where seen.insert(span.traceID).inserted && seen.count % 100 == 1 { sampled.append(span.traceID) }
                    let counts = try store.write { try $0.write(batch) }
                    guard counts.spansNew == batch.spans.count else {
                        throw BenchError("a write stored \(counts.spansNew) of \(batch.spans.count) spans")
                    }
                    left -= n
                }
                outcome.state.withLock { $0.sampled += sampled }
            } catch {
                outcome.state.withLock { $0.failure = "\(error)" }
            }
        }
        let (sampled, failure) = outcome.state.withLock { ($0.sampled, $0.failure) }
        if let failure { throw BenchError("filling the database: \(failure)") }
        return sampled
    }

    /// Gives each sampled trace a human's feedback: a `quality` score from 0 to 0.9, a third of them flagged.
    private func addFeedback(_ traces: [TraceID], to store: PostgresTraceStore) throws {
        let now = WallClock.nowNanos()
        let items = traces.enumerated().map { i, id in
            Feedback(traceID: id, scores: ["quality": Double(i % 10) / 10], needsReview: i % 3 == 0, author: "assay-bench",
                     source: .human, timeUnixNano: now)
        }
        for start in stride(from: 0, to: items.count, by: 500) { try store.add(Array(items[start..<min(start + 500, items.count)])) }
    }
}

/// What the writer threads of the fill leave behind.
private final class FillOutcome: Sendable {
    let state = Mutex<(sampled: [TraceID], failure: String?)>(([], nil))
}
