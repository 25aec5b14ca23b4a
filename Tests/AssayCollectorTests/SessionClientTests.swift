import Foundation
import Testing

/// Conversations exported by the real OpenTelemetry Python SDK to `assay serve`, one per session-id
/// convention, read back with `assay sessions list` and `assay sessions show --json`.
@Suite("Sessions from the real OpenTelemetry SDK", .serialized)
struct SessionClientTests {
    static let script = Paths.packageRoot.appendingPathComponent("Tests/AssayCollectorTests/Clients/export_sessions.py").path

    /// What the client sent for one conversation.
    struct Sent: Decodable {
        struct Turn: Decodable {
            var traceId: String
            var input: String
            var answer: String
            var tools: [String]
            var inputTokens: Int
            var outputTokens: Int
            var errors: [String]
        }
        var id: String
        var key: String
        var turns: [Turn]
    }

    /// Runs `assay` with `arguments`; returns its standard output, failing on a non-zero exit.
    static func assay(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = Paths.assay
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestFailure("assay \(arguments.joined(separator: " ")) exited \(process.terminationStatus): \(String(decoding: stderr, as: UTF8.self))")
        }
        return String(decoding: stdout, as: UTF8.self)
    }

    @Test("assembles each convention's session from its traces: turns in order with input, answer, tools, tokens and errors")
    func sessionsFromSDK() throws {
        guard FileManager.default.isExecutableFile(atPath: RealClientTests.python) else {
            throw TestFailure("no Python with the OpenTelemetry SDK at \(RealClientTests.python); see .ci/run")
        }
        let folder = try Paths.temporaryFolder()
        let db = folder.appendingPathComponent("db.sqlite")
        let server = try ServerProcess(database: db)
        let expectFile = folder.appendingPathComponent("sent.json")
        let client = Process()
        client.executableURL = URL(fileURLWithPath: RealClientTests.python)
        client.arguments = [Self.script, "--endpoint", "http://127.0.0.1:\(server.port)/v1/traces", "--expect", expectFile.path]
        try client.run()
        client.waitUntilExit()
        #expect(client.terminationStatus == 0, "the SDK's export failed")
        #expect(server.stop() == 0)

        let sent = try JSONDecoder().decode([Sent].self, from: Data(contentsOf: expectFile))
        #expect(sent.map(\.key) == ["gen_ai.conversation.id", "session.id", "traceloop.association.properties.session_id"])
        #expect(sent.contains { $0.turns.contains { !$0.errors.isEmpty } } && sent.contains { $0.turns.contains { !$0.tools.isEmpty } })

        let listed = try #require(try JSONSerialization.jsonObject(with: Data(try Self.assay(["sessions", "list", "--json", "--db", db.path]).utf8))
            as? [[String: Any]])
        // Newest activity first: the conversations were sent in order.
        #expect(listed.map { $0["sessionId"] as? String } == sent.reversed().map(\.id))
        let table = try Self.assay(["sessions", "list", "--db", db.path])
        for session in sent { #expect(table.contains(session.id), "\(session.key)") }

        for session in sent {
            let summary = try #require(listed.first { $0["sessionId"] as? String == session.id })
            #expect(summary["turns"] as? Int == session.turns.count, "\(session.key)")
            #expect(summary["inputTokens"] as? Int == session.turns.reduce(0) { $0 + $1.inputTokens }, "\(session.key)")
            #expect(summary["outputTokens"] as? Int == session.turns.reduce(0) { $0 + $1.outputTokens }, "\(session.key)")
            #expect(summary["errorTurns"] as? Int == session.turns.filter { !$0.errors.isEmpty }.count, "\(session.key)")

            let shown = try #require(try JSONSerialization.jsonObject(with: Data(try Self.assay(["sessions", "show", session.id, "--json", "--db", db.path]).utf8))
                as? [String: Any])
            #expect(shown["sessionId"] as? String == session.id)
            let turns = try #require(shown["turns"] as? [[String: Any]])
            #expect(turns.map { $0["index"] as? Int } == Array(1...session.turns.count), "\(session.key)")
            #expect(turns.map { $0["traceId"] as? String } == session.turns.map(\.traceId), "\(session.key): turns out of order")
            #expect(turns.map { $0["input"] as? String } == session.turns.map(\.input), "\(session.key)")
            #expect(turns.map { $0["answer"] as? String } == session.turns.map(\.answer), "\(session.key)")
            #expect(turns.map { $0["tools"] as? [String] } == session.turns.map(\.tools), "\(session.key)")
            #expect(turns.map { $0["inputTokens"] as? Int } == session.turns.map(\.inputTokens), "\(session.key)")
            #expect(turns.map { $0["outputTokens"] as? Int } == session.turns.map(\.outputTokens), "\(session.key)")
            #expect(turns.map { $0["errors"] as? [String] } == session.turns.map(\.errors), "\(session.key)")
            #expect(turns.allSatisfy { $0["cost"] as? String != "unknown" }, "\(session.key): gpt-4o-mini is priced")

            let text = try Self.assay(["sessions", "show", session.id, "--db", db.path])
            #expect(text.hasPrefix("Session \(session.id): \(session.turns.count) turns"))
            for (i, turn) in session.turns.enumerated() {
                #expect(text.contains("Turn \(i + 1)  \(turn.traceId)"), "\(session.key) turn \(i + 1)")
            }
        }
    }
}
