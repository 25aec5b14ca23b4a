import AssayPostgres
import Foundation

/// `assay-bench collector --db postgres://…`: protobuf load from keep-alive clients on one `assay serve`
/// and on two sharing one database, each on a fresh database, against the database's own ceiling for the
/// same rows (`PostgresCopyCeiling`). The databases are made on the URL's server and dropped at the end.
struct PostgresCollectorBenchmark {
    /// The release `assay` executable.
    var assay: String
    /// The `--db` URL: a role that may create databases, and the database it connects to for that.
    var url: String
    /// Concurrent clients, split evenly between the servers.
    var clients: Int
    /// Requests per phase.
    var requests: Int
    /// Traces per request (6 spans each).
    var traces: Int

    /// Runs the three phases and prints a line each, the ratios and the goals.
    func run() throws {
        let databases = try PostgresBenchDatabases(url: url)
        defer { databases.dropAll() }
        let version = try PostgresBenchDatabases.execute(["SHOW server_version"], on: databases.server).first ?? "?"
        print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores; \(clients) clients on loopback, \(traces * 6) spans a request, "
              + "\(requests) requests a phase; PostgreSQL \(version) at \(databases.server.description), on the same cores")
        let bodies = CollectorBenchmark.generate(format: "protobuf", seed: 12, count: requests, traces: traces)
        let one = try load(bodies, servers: 1, database: databases.create())
        print(one.line(label: "protobuf, one assay serve"))
        let two = try load(bodies, servers: 2, database: databases.create())
        print(two.line(label: "protobuf, two assay serve on one database, \(clients / 2) clients each (peak RSS of the larger)"))
        let ceiling = try PostgresCopyCeiling.measure(bodies: bodies, url: databases.create(), connections: clients)
        print(String(format: "database ceiling (the same rows prepared as the store does, COPY into the same tables and indexes, %d connections): "
                     + "%.2f s, %.0f rows/s (%d spans + %d traces), %.0f spans/s",
                     clients, ceiling.seconds, ceiling.rowsPerSecond, ceiling.spans, ceiling.traces, ceiling.spansPerSecond))
        let rate = { (r: CollectorBenchmark.Result) in Double(r.spans) / r.seconds }
        print(String(format: "ratio collector / ceiling (spans/s): one assay serve %.2f, two %.2f",
                     rate(one) / ceiling.spansPerSecond, rate(two) / ceiling.spansPerSecond))
        print("goals: >= 20,000 spans/s with two collectors on this machine (database included), and >= 50% of the ceiling")
    }

    /// Starts `servers` `assay serve` on `database` (one after the other, so that one migrates it), loads
    /// them, stops them, and checks that the database holds every span answered 200.
    private func load(_ bodies: [CollectorBenchmark.Body], servers count: Int, database: PostgresURL) throws -> CollectorBenchmark.Result {
        let (db, environment) = PostgresBenchDatabases.serveArgument(database)
        var servers: [ServeProcess] = []
        defer { for server in servers { server.stop() } }
        for _ in 0..<count { servers.append(try ServeProcess(assay: assay, database: db, arguments: [], environment: environment)) }
        let result = CollectorBenchmark.drive(bodies: bodies, clients: clients, servers: servers, contentType: "application/x-protobuf")
        for server in servers { server.stop() }
        servers = []
        let stored = try PostgresBenchDatabases.execute(["SELECT count(*)::text FROM spans"], on: database).first.flatMap { Int($0) } ?? -1
        if stored != result.spans { print("  note: the database holds \(stored) spans; \(result.spans) were answered 200") }
        return result
    }
}
