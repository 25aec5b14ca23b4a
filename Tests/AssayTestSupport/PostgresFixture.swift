import Foundation
import Synchronization

/// A real PostgreSQL server for the tests: `ASSAY_TEST_POSTGRES_URL` (which `.ci/run` sets after
/// starting a cluster with `scripts/postgres-test-cluster`), else, outside CI, a cluster this fixture
/// starts once per test process with that script. Under `CI=true` a missing server fails the test.
public enum PostgresFixture {
    private static let server = Mutex<Result<String, any Error>?>(nil)

    /// The URL of a role that may create databases.
    public static func serverURL() throws -> String {
        try server.withLock { cached in
            if let cached { return try cached.get() }
            let result: Result<String, any Error>
            do { result = .success(try start()) } catch { result = .failure(error) }
            cached = result
            return try result.get()
        }
    }

    private static func start() throws -> String {
        let env = ProcessInfo.processInfo.environment
        if let url = env["ASSAY_TEST_POSTGRES_URL"], !url.isEmpty { return url }
        if env["CI"] == "true" {
            throw FixtureError("no PostgreSQL for the tests: ASSAY_TEST_POSTGRES_URL is not set (.ci/run starts one with scripts/postgres-test-cluster)")
        }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/postgres-test-cluster").path
        let (status, output) = run(script, ["assaytest"])
        guard status == 0, let url = output.split(separator: "\n").last.map(String.init), url.hasPrefix("postgres://") else {
            throw FixtureError("could not start PostgreSQL with \(script) (set ASSAY_TEST_POSTGRES_URL to use a running server): \(output)")
        }
        return url
    }

    /// A new, empty database on the server; returns its URL.
    public static func freshDatabase(_ prefix: String = "assay_test") throws -> String {
        let server = try serverURL()
        let name = "\(prefix)_\(UInt64.random(in: 0...UInt64.max) % 1_000_000_000_000)"
        let (status, output) = run("/usr/bin/env", ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", server, "-c", "CREATE DATABASE \(name)"])
        guard status == 0 else { throw FixtureError("CREATE DATABASE \(name) failed: \(output)") }
        return url(server, database: name)
    }

    /// The password in a postgres:// URL ("" when it has none).
    public static func password(of url: String) -> String {
        guard let scheme = url.range(of: "://"), let at = url[scheme.upperBound...].firstIndex(of: "@") else { return "" }
        let credentials = url[scheme.upperBound..<at]
        return credentials.firstIndex(of: ":").map { String(credentials[credentials.index(after: $0)...]) } ?? ""
    }

    /// `url` naming another database on the same server.
    public static func url(_ url: String, database: String) -> String {
        guard let slash = url.range(of: "/", options: .backwards) else { return url }
        return String(url[..<slash.upperBound]) + database
    }

    /// Runs a program; returns its exit status and its output (standard output and error together).
    @discardableResult
    public static func run(_ program: String, _ arguments: [String]) -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch { return (-1, "\(program): \(error)") }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
