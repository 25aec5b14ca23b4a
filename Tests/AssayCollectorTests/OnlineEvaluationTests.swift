import AssayCore
import AssaySQLite
import Foundation
import Testing

/// `assay serve --score` under traffic from the real OpenTelemetry Python SDK (CI installs it into `.venv`).
@Suite("Online evaluation in the collector", .serialized)
struct OnlineEvaluationTests {
    struct Sent: Decodable {
        var id: String
        var bad: Bool
        var remote: Bool
        var traceID: TraceID { TraceID(hex: id)! }
    }

    static let script = Paths.packageRoot.appendingPathComponent("Tests/AssayCollectorTests/Clients/online_traffic.py").path

    /// A scorer folder: the reply must greet the customer.
    static func scorers(in folder: URL, slow: Bool = false) throws -> URL {
        let dir = folder.appendingPathComponent("Scorers")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try """
            component: reply
            selector: op=chat last
            threshold: 1
            scorers:
              - kind: regex
                name: greeting
                pattern: "^Hello"
            """.write(to: dir.appendingPathComponent("reply.yaml"), atomically: true, encoding: .utf8)
        if slow {
            try """
                component: slow
                selector: op=chat last
                scorers:
                  - kind: command
                    command: ["/bin/sh", "-c", "cat > /dev/null; sleep 1.5; echo '{\\"score\\": 1}'"]
                    timeout_seconds: 30
                """.write(to: dir.appendingPathComponent("slow.yaml"), atomically: true, encoding: .utf8)
        }
        return dir
    }

    /// Runs the SDK client against the server; returns what it sent.
    static func send(_ server: ServerProcess, count: Int, bad: Int = 0, remote: Bool = false, folder: URL) throws -> [Sent] {
        guard FileManager.default.isExecutableFile(atPath: RealClientTests.python) else {
            throw TestFailure("no Python with the OpenTelemetry SDK at \(RealClientTests.python); see .ci/run")
        }
        let out = folder.appendingPathComponent("sent-\(UUID().uuidString).json")
        let client = Process()
        client.executableURL = URL(fileURLWithPath: RealClientTests.python)
        client.arguments = [script, "--endpoint", "http://127.0.0.1:\(server.port)/v1/traces", "--count", String(count), "--bad", String(bad),
                            "--out", out.path] + (remote ? ["--remote"] : [])
        try client.run()
        client.waitUntilExit()
        guard client.terminationStatus == 0 else { throw TestFailure("the SDK client failed") }
        return try JSONDecoder().decode([Sent].self, from: Data(contentsOf: out))
    }

    /// Waits until online evaluation has handled every trace it will handle.
    static func waitUntilEvaluated(_ store: SQLiteTraceStore, _ ids: [TraceID], timeout: TimeInterval = 60) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try ids.allSatisfy({ try store.evaluation(of: $0) != nil }) { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw TestFailure("online evaluation did not handle every trace within \(Int(timeout)) s")
    }

    /// The collector's metrics text.
    static func metrics(_ port: Int) throws -> String {
        let fd = try RawHTTP.connect(port)
        defer { close(fd) }
        try RawHTTP.send(fd, Array("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8))
        return String(decoding: try RawHTTP.receive(fd).body, as: UTF8.self)
    }

    @Test("exactly the traces that fail a scorer get failing online feedback and a flag; a remote-parent trace is named by its top span")
    func flagsFailures() throws {
        let folder = try Paths.temporaryFolder()
        let db = folder.appendingPathComponent("db.sqlite")
        let server = try ServerProcess(database: db, arguments: ["--score", Self.scorers(in: folder).path, "--quiet-period", "0.3"])
        let sent = try Self.send(server, count: 6, bad: 2, remote: true, folder: folder)
        let store = try SQLiteTraceStore(path: db.path)
        try Self.waitUntilEvaluated(store, sent.map(\.traceID))
        #expect(server.stop() == 0)

        let feedback = try store.feedback(for: sent.map(\.traceID))
        for s in sent {
            let items = feedback[s.traceID] ?? []
            #expect(items.count == 1 && items.allSatisfy { $0.feedback.source == .online && $0.feedback.author == "score:reply" }, "\(s.id)")
            #expect(items.first?.feedback.labels["reply"] == (s.bad ? "fail" : "pass"), "\(s.id)")
            #expect(items.first?.feedback.needsReview == s.bad, "\(s.id)")
            #expect(try store.evaluation(of: s.traceID) == .scored)
        }
        var flagged = TraceQuery(limit: 100)
        flagged.feedback.flagged = true
        #expect(Set(try store.traces(matching: flagged).map(\.traceID)) == Set(sent.filter(\.bad).map(\.traceID)))

        let remote = try #require(sent.first { $0.remote })
        let listed = try store.traces(matching: TraceQuery(name: "POST /reply"))
        #expect(listed.map(\.traceID) == [remote.traceID])
        #expect(listed.first?.rootKind == .remoteParent)
    }

    @Test("sampling is decided by trace id, the same across a restart, and a restart scores what was left")
    func samplingAndRestart() throws {
        let folder = try Paths.temporaryFolder()
        let db = folder.appendingPathComponent("db.sqlite")
        let scorers = try Self.scorers(in: folder).path
        // The first collector never finds a trace complete: it stops with all of them unevaluated.
        let first = try ServerProcess(database: db, arguments: ["--score", scorers, "--sample", "0.5", "--quiet-period", "3600"])
        let sent = try Self.send(first, count: 24, folder: folder)
        let store = try SQLiteTraceStore(path: db.path)
        #expect(try sent.allSatisfy { try store.evaluation(of: $0.traceID) == nil })
        #expect(first.stop() == 0)
        #expect(try store.unevaluatedTraceCount() == 24)

        let second = try ServerProcess(database: db, arguments: ["--score", scorers, "--sample", "0.5", "--quiet-period", "0"])
        try Self.waitUntilEvaluated(store, sent.map(\.traceID))
        #expect(second.stop() == 0)
        let scored = Set(try sent.filter { try store.evaluation(of: $0.traceID) == .scored }.map(\.traceID))
        let sampledOut = Set(try sent.filter { try store.evaluation(of: $0.traceID) == .sampledOut }.map(\.traceID))
        #expect(scored.count + sampledOut.count == 24)
        #expect(!scored.isEmpty && !sampledOut.isEmpty)
        #expect(scored == Set(sent.map(\.traceID).filter { OnlineSampling.isSampled($0, rate: 0.5) }))
        let feedback = try store.feedback(for: sent.map(\.traceID))
        #expect(Set(feedback.keys) == scored)
    }

    @Test("a slow scorer does not hold up ingest: spans sent while it works are committed at once")
    func slowScorerDoesNotBlockIngest() throws {
        let folder = try Paths.temporaryFolder()
        let db = folder.appendingPathComponent("db.sqlite")
        let server = try ServerProcess(database: db, arguments: ["--score", Self.scorers(in: folder, slow: true).path,
                                                                "--quiet-period", "0", "--score-concurrency", "1"])
        let slow = try Self.send(server, count: 3, folder: folder)
        let store = try SQLiteTraceStore(path: db.path)
        // Wait until the scorer is busy with them: a sweep took the three (each takes 1.5 s, one at a time).
        let deadline = Date().addingTimeInterval(30)
        while !(try Self.metrics(server.port)).contains("assay_online_queue_traces 3"), Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        let more = try Self.send(server, count: 4, folder: folder)
        // Every exported span is committed (the SDK got its 200s) while the slow traces still wait.
        let stored = try store.traces(more.map(\.traceID))
        #expect(stored.count == 4 && stored.allSatisfy { $0.spans.count == 2 })
        #expect(try slow.contains { try store.evaluation(of: $0.traceID) == nil }, "the slow scorer finished before the second export")
        try Self.waitUntilEvaluated(store, (slow + more).map(\.traceID), timeout: 90)
        #expect(server.stop() == 0)
    }
}
