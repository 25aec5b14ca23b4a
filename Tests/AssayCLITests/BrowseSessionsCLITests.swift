import Foundation
import Testing

/// `assay browse` over stored traces that form two sessions, one a runner-style conversation whose
/// first turn asks for an approval and whose next exchange carries the human decision, with hostile
/// strings in its session id, inputs and answers; then the session view checked in headless Chromium
/// by the page checker. Screenshots land in `Reports/browse-sessions/`.
@Suite("assay browse sessions, in a real browser")
struct BrowseSessionsCLITests {
    /// The hostile session's id: markup, a script, a bidi override.
    static let hostileSession = "conv </script><script>window.__pwned=1</script> \u{202E}evil"

    @Test("writes a page whose Sessions tab reads each session as a conversation, with approvals, context growth and review")
    func sessionsInChromium() throws {
        let dir = try AssayProcess.workspace()
        try Data(Self.traces()).write(to: dir.appendingPathComponent("sessions.json"))
        let ingest = try AssayProcess.run(["ingest", "sessions.json"], in: dir)
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let browse = try AssayProcess.run(["browse", "--title", "Sessions", "--out", "Reports/sessions.html"], in: dir)
        #expect(browse.status == 0, "\(browse.stderr)")
        #expect(browse.stdout.contains("Reports/sessions.html: 6 traces"), "\(browse.stdout)")
        let page = dir.appendingPathComponent("Reports/sessions.html")

        // Every turn is in the file and nobody reviewed the sessions: the page derives them from the traces.
        #expect((try Self.data(of: page)["sessions"] as? [Any])?.isEmpty == true)
        // A page that holds only the last turn still sends a review of the session to its first trace.
        let partial = try AssayProcess.run(["browse", "--limit", "4", "--out", "Reports/partial.html"], in: dir)
        #expect(partial.status == 0, "\(partial.stderr)")
        let sessions = try #require(try Self.data(of: dir.appendingPathComponent("Reports/partial.html"))["sessions"] as? [[String: Any]])
        #expect(sessions.count == 1 && sessions.first?["id"] as? String == Self.hostileSession)
        #expect(sessions.first?["firstTraceId"] as? String == Self.id(1) && sessions.first?["traceCount"] as? Int == 3)

        let screens = AssayProcess.packageRoot.appendingPathComponent("Reports/browse-sessions")
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        check.arguments = ["python3", "-B", BrowseCLITests.checker, "--page", page.path, "--screens", screens.path]
        let out = Pipe()
        check.standardOutput = out
        check.standardError = out
        try check.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        check.waitUntilExit()
        if check.terminationStatus == 2 && text.contains("headless Chromium is available") {
            // Chromium is missing: a failure in CI, a note on a developer's machine.
            if ProcessInfo.processInfo.environment["CI"]?.lowercased() == "true" {
                Issue.record("CI needs Chromium for the session view (apt-get install chromium):\n\(text.suffix(1000))")
            } else {
                print("note: the session view was not checked in a browser: Chromium is not available")
            }
            return
        }
        #expect(check.terminationStatus == 0, "the page checker failed:\n\(text.suffix(4000))")
        for line in ["PASS #session=<id> opens the session view (3 turns)", "PASS the turns are the session's traces in start order",
                     "PASS approvals are shown: 1 request(s) for a decision, 1 decision(s)",
                     "PASS the context-growth chart has a point per turn with token counts (3)",
                     "PASS a turn's Open trace button opens its trace", "PASS a trace of a session links to the session",
                     "PASS u and f review the whole session", "PASS hostile session ids and turn texts (1 sessions)"] {
            #expect(text.contains(line), "missing: \(line)\n\(text.suffix(3000))")
        }
        #expect(text.contains(" passed, 0 failed"), "\(text.suffix(2000))")
        #expect(FileManager.default.fileExists(atPath: screens.appendingPathComponent("session-view.png").path))
    }

    /// The page's data document.
    static func data(of page: URL) throws -> [String: Any] {
        let html = try String(contentsOf: page, encoding: .utf8)
        let open = try #require(html.range(of: #"<script type="application/json" id="assay-data">"#))
        let close = try #require(html.range(of: "</script>", range: open.upperBound..<html.endIndex))
        let json = Data(html[open.upperBound..<close.lowerBound].utf8)
        return try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
    }

    static func id(_ n: Int) -> String { String(format: "5e55%028x", n) }

    /// Six traces as OTLP JSON: the hostile conversation (turn 1's message asks for an approval, its
    /// resume carries an edit, turn 2 answers from memory) and a two-turn OpenInference session.
    static func traces() throws -> Data {
        let base: UInt64 = 1_772_442_000_000_000_000
        var spans: [[String: Any]] = []
        func attrs(_ pairs: [(String, Any)]) -> [[String: Any]] {
            pairs.map { key, value in
                let typed: [String: String] = if let n = value as? Int { ["intValue": String(n)] } else { ["stringValue": "\(value)"] }
                return ["key": key, "value": typed]
            }
        }
        func span(_ trace: Int, _ n: Int, parent: Int?, _ name: String, at: UInt64, ms: UInt64, error: String? = nil, _ a: [(String, Any)]) {
            var s: [String: Any] = ["traceId": id(trace), "spanId": String(format: "%016x", trace * 16 + n), "name": name,
                                    "startTimeUnixNano": String(base + at * 1_000_000), "endTimeUnixNano": String(base + (at + ms) * 1_000_000),
                                    "attributes": attrs(a)]
            if let parent { s["parentSpanId"] = String(format: "%016x", trace * 16 + parent) }
            if let error { s["status"] = ["code": 2, "message": error] }
            spans.append(s)
        }
        func turn(_ trace: Int, session: (String, String), at: UInt64, runner: [(String, Any)], input: String, output: String,
                  inputTokens: Int, tool: String?, toolError: String? = nil) {
            span(trace, 1, parent: nil, "invoke_agent mail-agent", at: at, ms: 3000,
                 [("gen_ai.operation.name", "invoke_agent"), session, ("input.value", input), ("output.value", output)] + runner)
            span(trace, 2, parent: 1, "chat gpt-4o-mini", at: at + 100, ms: 1200,
                 [("gen_ai.operation.name", "chat"), ("gen_ai.request.model", "gpt-4o-mini"), ("gen_ai.usage.input_tokens", inputTokens),
                  ("gen_ai.usage.output_tokens", 40)])
            if let tool {
                span(trace, 3, parent: 1, "execute_tool \(tool)", at: at + 1400, ms: 300, error: toolError,
                     [("gen_ai.operation.name", "execute_tool"), ("gen_ai.tool.name", tool)])
            }
        }
        let conv = ("gen_ai.conversation.id", hostileSession)
        let ask = #"{"interrupt":{"id":"draft-1","kind":"approval","message":"Send this reply to Ana? <img src=x onerror=window.__pwned=1>","draft":"Hi Ana, Thursday works."}}"#
        turn(1, session: conv, at: 0, runner: [("assay.turn", 1), ("assay.exchange", "message")],
             input: "From: Ana </script><script>window.__pwned=1</script>\nCan we meet Thursday? Draft a reply accepting.",
             output: ask, inputTokens: 1200, tool: "calendar.lookup")
        turn(2, session: conv, at: 60_000, runner: [("assay.turn", 1), ("assay.exchange", "resume"), ("assay.decision", "edit")],
             input: #"{"interrupt_id":"draft-1","decision":"edit","text":"Hi Ana, Thursday 10:00 works. javascript:window.__pwned=1 \u202Eevil"}"#,
             output: "I sent your reply to Ana.", inputTokens: 1900, tool: "mail.send")
        turn(3, session: conv, at: 120_000, runner: [("assay.turn", 2), ("assay.exchange", "message")],
             input: "Ana asks which day we agreed on. Answer her.", output: "Thursday \u{0000}\u{001B}[31m", inputTokens: 2600,
             tool: "mail.search", toolError: "timeout after 30 s")
        let support = ("session.id", "support-42")
        turn(4, session: support, at: 200_000, runner: [], input: "How do I rotate the API key our CI uses?",
             output: "Create a second key, switch CI to it, then revoke the first.", inputTokens: 300, tool: nil)
        turn(5, session: support, at: 260_000, runner: [], input: "And without breaking running jobs?",
             output: "Running jobs keep the old key until they finish; revoke it after the last one.", inputTokens: 520, tool: "search_docs")
        span(6, 1, parent: nil, "nightly_reindex", at: 300_000, ms: 5000, [("gen_ai.operation.name", "chain")])
        let document: [String: Any] = ["resourceSpans": [["resource": ["attributes": attrs([("service.name", "mail-agent")])],
                                                          "scopeSpans": [["scope": ["name": "test"], "spans": spans]]]]]
        return try JSONSerialization.data(withJSONObject: document)
    }
}
