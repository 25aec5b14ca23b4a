import Foundation

/// `assay serve` as a child process on a free loopback port, for the collector benchmarks.
final class ServeProcess: @unchecked Sendable {
    private let process = Process()
    /// The port it listens on.
    let port: Int

    /// Starts `assay serve --port 0 --db database` with `arguments` and waits until it listens.
    /// `environment` is added to this process's own (a PostgreSQL password as `PGPASSWORD`, so that
    /// it is neither in the arguments nor in what `assay serve` prints).
    init(assay: String, database: String, arguments: [String], environment: [String: String] = [:]) throws {
        let stderr = Pipe()
        process.executableURL = URL(fileURLWithPath: assay)
        process.arguments = ["serve", "--port", "0", "--db", database, "--log-level", "error"] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardError = stderr
        try process.run()
        var text = ""
        while !text.contains("/v1/traces") {
            let data = stderr.fileHandleForReading.availableData
            guard !data.isEmpty else { throw BenchError("assay serve exited: \(text)") }
            text += String(decoding: data, as: UTF8.self)
        }
        guard let range = text.range(of: #"127\.0\.0\.1:\d+"#, options: .regularExpression), let port = Int(text[range].dropFirst(10)) else {
            throw BenchError("no port in: \(text)")
        }
        self.port = port
    }

    /// Its peak resident memory so far (`VmHWM`), in bytes; 0 once it has exited.
    func highWaterMark() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kb = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") else { return 0 }
        return kb * 1024
    }

    /// Stops it (SIGTERM: it drains its queue and commits first) and waits until it has exited.
    func stop() {
        process.terminate()
        process.waitUntilExit()
    }
}
