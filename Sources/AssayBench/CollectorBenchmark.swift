import ArgumentParser
import AssayCore
import AssayOTLP
import AssayPostgres
import AssaySQLite
import Foundation

/// Load on `assay serve` over loopback: several keep-alive clients posting batches of realistic spans,
/// for JSON and for protobuf, then an overload phase that shows back-pressure instead of growth.
/// With `--db postgres://…`, the team store instead: one and two collectors on one database against the
/// database's own ceiling (`PostgresCollectorBenchmark`), or its list queries (`PostgresListQueries`).
struct CollectorBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collector",
        abstract: "Accepted spans/s and request latency of assay serve, JSON and protobuf, and memory under overload.")

    @Option(help: "Concurrent clients.")
    var clients = 8

    @Option(help: "Requests per format.")
    var requests = 240

    @Option(help: "Traces per request (6 spans each).")
    var traces = 84

    @Option(help: "Clients in the overload phase (0 to skip).")
    var overloadClients = 48

    @Flag(help: "Instead: protobuf throughput with online scoring on (cheap scorers on every trace) against the same run without, in one run.")
    var online = false

    @Option(help: "With --online: rounds of (off, on), alternating; the ratio is of the medians.")
    var rounds = 3

    @Option(help: ArgumentHelp(
        "Instead of fresh SQLite files: a PostgreSQL server, as the URL of a role that may create databases (the password may be in PGPASSWORD). Protobuf load on one assay serve and on two sharing a database, and the database's COPY ceiling for the same rows, each in a fresh database assay_bench_<random> dropped at the end.",
        valueName: "postgres-url"))
    var db: String?

    @Flag(help: "With --db: instead, time the list queries of assay traces list on a fresh database of --list-spans spans, and show their plans.")
    var listQueries = false

    @Option(help: "With --list-queries: spans written first (traces of 6 spans).")
    var listSpans = 1_000_000

    func validate() throws {
        if let db, !PostgresURL.isPostgres(db) {
            throw ValidationError("--db takes a postgres:// URL; without it, each phase uses a fresh SQLite file")
        }
        if db != nil && online { throw ValidationError("--online is for SQLite: leave out --db") }
        if listQueries && db == nil { throw ValidationError("--list-queries needs --db postgres://…") }
        if clients < 1 || requests < 1 || traces < 1 || listSpans < 6 { throw ValidationError("--clients, --requests, --traces and --list-spans must be positive") }
    }

    func run() throws {
        let assay = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("assay").path
        if let db, listQueries { return try PostgresListQueries(url: db, spans: listSpans).run() }
        guard FileManager.default.isExecutableFile(atPath: assay) else { throw BenchError("build assay first: \(assay) is missing") }
        if let db { return try PostgresCollectorBenchmark(assay: assay, url: db, clients: clients, requests: requests, traces: traces).run() }
        print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores; \(clients) clients on loopback, \(traces * 6) spans a request")
        if online { return try runOnline(assay: assay) }
        // Every body is built before any load starts, so generating them never competes with the server.
        let json = generate(format: "json", seed: 11, count: requests)
        let protobuf = generate(format: "protobuf", seed: 12, count: requests)
        let overload = overloadClients > 0 ? generate(format: "protobuf", seed: 13, count: requests * 2) : []
        for (format, bodies) in [("json", json), ("protobuf", protobuf)] {
            let result = try load(assay: assay, format: format, bodies: bodies, clients: clients, serverArguments: [])
            print(result.line(label: format))
        }
        if overloadClients > 0 {
            let result = try load(assay: assay, format: "protobuf", bodies: overload, clients: overloadClients,
                                  serverArguments: ["--max-queued-spans", "20000"])
            print(result.line(label: "overload, \(overloadClients) clients (16 handled at once, queue 20,000 spans)"))
        }
        print("targets (issue 3): >= 25,000 spans/s JSON and >= 40,000 protobuf at 8 clients, p99 < 250 ms, memory bounded under overload")
    }

    /// The same protobuf load without and with `--score`; then how long scoring takes to catch up.
    private func runOnline(assay: String) throws {
        let bodies = generate(format: "protobuf", seed: 12, count: requests)
        let scorers = NSTemporaryDirectory() + "assay-bench-scorers-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: scorers, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scorers) }
        // Cheap scorers that apply to every generated trace: the reply's text and the trace's error spans.
        try """
            component: reply
            selector: op=chat last
            scorers:
              - kind: regex
                pattern: "\\\\S"
            """.write(toFile: scorers + "/reply.yaml", atomically: true, encoding: .utf8)
        try """
            component: health
            selector: op=agent first
            scorers:
              - kind: no_error_spans
            """.write(toFile: scorers + "/health.yaml", atomically: true, encoding: .utf8)
        var offRates: [Double] = [], onRates: [Double] = []
        for round in 1...max(1, rounds) {
            let off = try load(assay: assay, format: "protobuf", bodies: bodies, clients: clients, serverArguments: [])
            print(off.line(label: "round \(round), protobuf, scoring off"))
            offRates.append(Double(off.spans) / off.seconds)
            var drain = (traces: 0, seconds: 0.0, left: 0)
            let on = try load(assay: assay, format: "protobuf", bodies: bodies, clients: clients,
                              serverArguments: ["--score", scorers, "--quiet-period", "0", "--score-concurrency", "2"]) { database in
                let store = try SQLiteTraceStore(path: database)
                let start = DispatchTime.now().uptimeNanoseconds
                let waiting = try store.unevaluatedTraceCount()
                let deadline = Date().addingTimeInterval(600)
                var left = waiting
                while left > 0, Date() < deadline {
                    Thread.sleep(forTimeInterval: 0.2)
                    left = try store.unevaluatedTraceCount()
                }
                drain = (waiting - left, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, left)
            }
            print(on.line(label: "round \(round), protobuf, scoring on "))
            onRates.append(Double(on.spans) / on.seconds)
            let total = bodies.count * traces
            print(String(format: "  scored during the load: %d of %d traces; the other %d in %.1f s after it (%.0f traces/s)%@",
                         total - drain.traces - drain.left, total, drain.traces, drain.seconds, Double(drain.traces) / max(drain.seconds, 1e-9),
                         drain.left > 0 ? ", \(drain.left) left at the deadline" : ""))
        }
        func median(_ v: [Double]) -> Double { let s = v.sorted(); return s[s.count / 2] }
        print(String(format: "median spans/s: off %.0f, on %.0f; ratio (on / off) %.2f; goal >= 0.80", median(offRates), median(onRates),
                     median(onRates) / median(offRates)))
    }

    /// One request body and the spans it holds.
    struct Body {
        var bytes: [UInt8]
        var spans: Int
    }

    private func generate(format: String, seed: UInt64, count: Int) -> [Body] {
        Self.generate(format: format, seed: seed, count: count, traces: traces)
    }

    /// `count` request bodies of `traces` seeded agent traces each, as OTLP/JSON or protobuf.
    static func generate(format: String, seed: UInt64, count: Int, traces: Int) -> [Body] {
        var generator = AgentTraceGenerator(seed: seed)
        return (0..<count).map { _ in
            let document = generator.document(traces: traces)
            let bytes = format == "json" ? OTLPJSONEncoder.encode(document) : OTLPProtoEncoder.encode(document)
            return Body(bytes: bytes, spans: document.spanCount)
        }
    }

    /// What a load measured: spans and bytes answered 200 (committed), the wall time, each such
    /// request's latency in seconds, 503s, failures and the servers' peak RSS.
    struct Result {
        var spans = 0
        var bytes = 0
        var seconds = 0.0
        var latencies: [Double] = []
        var refused = 0
        var failed = 0
        var peakRSS = 0

        /// The result as one line of the report.
        func line(label: String) -> String {
            let sorted = latencies.sorted()
            func percentile(_ p: Double) -> Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
            return String(format: "%@: %.0f spans/s accepted (%.1f MB/s of bodies), p50 %.1f ms, p99 %.1f ms, %d answered 503, %d failed, server peak RSS %.0f MB",
                          label, Double(spans) / seconds, Double(bytes) / 1e6 / seconds, percentile(0.5) * 1000, percentile(0.99) * 1000,
                          refused, failed, Double(peakRSS) / 1e6)
        }
    }

    private func load(assay: String, format: String, bodies: [Body], clients: Int, serverArguments: [String],
                      afterLoad: (String) throws -> Void = { _ in }) throws -> Result {
        let folder = NSTemporaryDirectory() + "assay-bench-collector-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let server = try ServeProcess(assay: assay, database: folder + "/db.sqlite", arguments: serverArguments)
        defer { server.stop() }
        let result = Self.drive(bodies: bodies, clients: clients, servers: [server],
                                contentType: format == "json" ? "application/json" : "application/x-protobuf")
        try afterLoad(folder + "/db.sqlite")
        return result
    }
}
