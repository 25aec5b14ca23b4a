import ArgumentParser
import AssayCore
import AssayOTLP
import AssaySQLite
import Foundation

/// Load on `assay serve` over loopback: several keep-alive clients posting batches of realistic spans,
/// for JSON and for protobuf, then an overload phase that shows back-pressure instead of growth.
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

    func run() throws {
        let assay = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("assay").path
        guard FileManager.default.isExecutableFile(atPath: assay) else { throw BenchError("build assay first: \(assay) is missing") }
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

    struct Body {
        var bytes: [UInt8]
        var spans: Int
    }

    private func generate(format: String, seed: UInt64, count: Int) -> [Body] {
        var generator = AgentTraceGenerator(seed: seed)
        return (0..<count).map { _ in
            let document = generator.document(traces: traces)
            let bytes = format == "json" ? OTLPJSONEncoder.encode(document) : OTLPProtoEncoder.encode(document)
            return Body(bytes: bytes, spans: document.spanCount)
        }
    }

    struct Result {
        var spans = 0
        var bytes = 0
        var seconds = 0.0
        var latencies: [Double] = []
        var refused = 0
        var failed = 0
        var peakRSS = 0

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
        let server = try Server(assay: assay, database: folder + "/db.sqlite", arguments: serverArguments)
        defer { server.stop() }
        let contentType = format == "json" ? "application/json" : "application/x-protobuf"
        let state = LoadState(count: bodies.count)
        let start = DispatchTime.now().uptimeNanoseconds
        let threads = (0..<clients).map { _ in
            let done = DispatchSemaphore(value: 0)
            Thread.detachNewThread {
                defer { done.signal() }
                guard let client = try? KeepAliveClient(port: server.port) else { state.fail(); return }
                while let index = state.next() {
                    let body = bodies[index]
                    while true {
                        let sent = DispatchTime.now().uptimeNanoseconds
                        guard let status = try? client.post(path: "/v1/traces", contentType: contentType, body: body.bytes) else { state.fail(); return }
                        if status == 503 {
                            state.refuse()
                            usleep(20_000)
                            continue
                        }
                        if status == 200 {
                            state.accept(spans: body.spans, bytes: body.bytes.count, seconds: Double(DispatchTime.now().uptimeNanoseconds - sent) / 1e9)
                        } else {
                            state.fail()
                        }
                        break
                    }
                }
            }
            return done
        }
        var peak = 0
        for thread in threads {
            while thread.wait(timeout: .now() + .milliseconds(20)) == .timedOut { peak = max(peak, server.highWaterMark()) }
        }
        var result = state.result
        result.seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        result.peakRSS = max(peak, server.highWaterMark())
        try afterLoad(folder + "/db.sqlite")
        return result
    }
}

/// Shared progress of the load clients.
private final class LoadState: @unchecked Sendable {
    private let lock = NSLock()
    private var nextIndex = 0
    private let count: Int
    private var value = CollectorBenchmark.Result()

    init(count: Int) { self.count = count }

    func next() -> Int? {
        lock.withLock {
            guard nextIndex < count else { return nil }
            defer { nextIndex += 1 }
            return nextIndex
        }
    }

    func accept(spans: Int, bytes: Int, seconds: Double) {
        lock.withLock {
            value.spans += spans
            value.bytes += bytes
            value.latencies.append(seconds)
        }
    }

    func refuse() { lock.withLock { value.refused += 1 } }
    func fail() { lock.withLock { value.failed += 1 } }
    var result: CollectorBenchmark.Result { lock.withLock { value } }
}

/// `assay serve` as a child process on a free port.
private final class Server: @unchecked Sendable {
    let process = Process()
    let port: Int

    init(assay: String, database: String, arguments: [String]) throws {
        let stderr = Pipe()
        process.executableURL = URL(fileURLWithPath: assay)
        process.arguments = ["serve", "--port", "0", "--db", database, "--log-level", "error"] + arguments
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

    func highWaterMark() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kb = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") else { return 0 }
        return kb * 1024
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }
}
