import AssayCore
import AssayPostgres
import AssayTestSupport
import Foundation
import Testing

/// Several `assay serve` on one PostgreSQL database, under the real OpenTelemetry Python SDK.
@Suite("Collectors sharing a PostgreSQL store", .serialized)
struct TeamStoreCollectorTests {
    static let script = Paths.packageRoot.appendingPathComponent("Tests/AssayCollectorTests/Clients/two_collectors.py").path

    @Test("two collectors on one database, one killed with SIGKILL under load: every acknowledged span is stored once, rollups exact")
    func killOneUnderLoad() throws {
        guard FileManager.default.isExecutableFile(atPath: RealClientTests.python) else {
            throw TestFailure("no Python with the OpenTelemetry SDK at \(RealClientTests.python); see .ci/run")
        }
        let url = try PostgresFixture.freshDatabase()
        let folder = try Paths.temporaryFolder()
        let a = try ServerProcess(db: url), b = try ServerProcess(db: url)
        let acked = folder.appendingPathComponent("acked.txt"), started = folder.appendingPathComponent("started")
        let client = Process()
        client.executableURL = URL(fileURLWithPath: RealClientTests.python)
        client.arguments = [Self.script, "--endpoints", "http://127.0.0.1:\(a.port)/v1/traces,http://127.0.0.1:\(b.port)/v1/traces",
                            "--traces", "600", "--out", acked.path, "--started", started.path]
        try client.run()
        // Under load, one collector dies without a chance to finish anything.
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: started.path), client.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        let underLoad = client.isRunning && FileManager.default.fileExists(atPath: started.path)
        b.stop(signal: SIGKILL)
        client.waitUntilExit()
        #expect(underLoad, "the collector was killed while the client was still sending")
        #expect(client.terminationStatus == 0)
        a.stop()
        let lines = try String(contentsOf: acked, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines.count == 600 * 5, "the balancer sends a batch that fails on one collector to the other")
        let store = try PostgresTraceStore(url: PostgresURL(url))
        var byTrace: [TraceID: Set<SpanID>] = [:]
        for line in lines {
            let parts = line.split(separator: " ")
            guard parts.count == 2, let t = TraceID(hex: String(parts[0])), let s = SpanID(hex: String(parts[1])) else { continue }
            byTrace[t, default: []].insert(s)
        }
        let stored = try store.traces(Array(byTrace.keys))
        #expect(stored.count == byTrace.count)
        var missing = 0, miscounted = 0
        for trace in stored {
            let ids = trace.spans.map(\.span.spanID)
            missing += byTrace[trace.summary.traceID]!.subtracting(ids).count
            // Once: no span twice, and the rollup counts each span once even when its batch was retried.
            if Set(ids).count != ids.count || trace.summary.spanCount != Int64(ids.count) || trace.summary.inputTokens != Int64(4 * 100 + 6) {
                miscounted += 1
            }
        }
        #expect(missing == 0 && miscounted == 0, "\(missing) acknowledged spans missing, \(miscounted) traces miscounted")
        #expect(stored.allSatisfy { $0.summary.rootName == "invoke_agent email_assistant" && $0.summary.rootKind == .root })
    }
}
