import AssayPostgres
import Foundation
import Logging
import PostgresNIO

/// Fresh databases (`assay_bench_<random>`) on the server of a `--db` URL, created for one benchmark
/// run and dropped at its end, and plain statements on them. Nothing here prints the password.
final class PostgresBenchDatabases {
    /// The URL given; its database is used only to create and drop the others.
    let server: PostgresURL
    private var created: [String] = []

    /// Parses the `--db` URL (the password may come from `PGPASSWORD`).
    init(url: String) throws { server = try PostgresURL(url) }

    /// Creates an empty database on the server; returns its URL.
    func create() throws -> PostgresURL {
        let name = "assay_bench_" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
        try Self.execute(["CREATE DATABASE \(name)"], on: server)
        created.append(name)
        var url = server
        url.database = name
        return url
    }

    /// Drops every database created, saying which could not be. A plain `DROP DATABASE` first: it stops
    /// an autovacuum worker busy there, which `WITH (FORCE)` may not (only a superuser may signal it);
    /// then, for a session a stopped server left behind, `WITH (FORCE)`.
    func dropAll() {
        for name in created {
            var failure = ""
            for attempt in 0..<6 {
                do {
                    try Self.execute(["DROP DATABASE IF EXISTS \(name)" + (attempt % 2 == 1 ? " WITH (FORCE)" : "")], on: server)
                    failure = ""
                    break
                } catch {
                    failure = "\(error)"
                    Thread.sleep(forTimeInterval: 0.5)
                }
            }
            if !failure.isEmpty { print("note: database \(name) could not be dropped (drop it by hand): \(failure)") }
        }
        created.removeAll()
    }

    /// `assay serve`'s `--db` for a database, without the password, and the environment that gives it
    /// the password (`PGPASSWORD`).
    static func serveArgument(_ url: PostgresURL) -> (db: String, environment: [String: String]) {
        let user = url.user.addingPercentEncoding(withAllowedCharacters: .urlUserAllowed) ?? url.user
        let host = url.socketFolder != nil ? "localhost" : url.host.contains(":") ? "[\(url.host)]" : url.host
        var db = "postgres://\(user)@\(host):\(url.port)/\(url.database)?sslmode=\(url.tls.rawValue)"
        if let folder = url.socketFolder { db += "&host=\(folder)" }
        return (db, url.password.map { ["PGPASSWORD": $0] } ?? [:])
    }

    /// Runs statements one after another on a new connection to `url`; returns the first column of
    /// the last one's rows, which must be text (cast it: `count(*)::text`).
    @discardableResult
    static func execute(_ statements: [String], on url: PostgresURL) throws -> [String] {
        try runBlocking {
            let connection = try await connect(url, id: 0)
            do {
                var last: [String] = []
                for sql in statements {
                    last = []
                    for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger) {
                        last.append(try row.decode(String.self))
                    }
                }
                try await connection.close()
                return last
            } catch {
                try? await connection.close()
                throw BenchError("\(url.description): \(describe(error))")
            }
        }
    }

    /// Opens a connection to `url` on postgres-nio's default event loops.
    static func connect(_ url: PostgresURL, id: Int) async throws -> PostgresConnection {
        do {
            return try await PostgresConnection.connect(configuration: try url.connectionConfiguration(), id: id, logger: logger)
        } catch {
            throw BenchError("\(url.description): \(describe(error))")
        }
    }

    /// A failure's SQLSTATE and message, never the statement's bound values.
    static func describe(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return "\(error)" }
        if let info = error.serverInfo { return "PostgreSQL error \(info[.sqlState] ?? "?"): \(info[.message] ?? "no message")" }
        return "\(error.code)" + (error.underlying.map { ": \($0)" } ?? "")
    }

    /// postgres-nio's logger for the benchmarks: errors are thrown, nothing is logged.
    static let logger: Logger = {
        var logger = Logger(label: "assay-bench.postgres")
        logger.logLevel = .critical
        return logger
    }()
}
