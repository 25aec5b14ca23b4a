import Foundation
import Testing

/// `assay sessions list|show`, `assay feedback add|list|import` on sessions, run as a user would.
@Suite("assay sessions")
struct SessionsCLITests {
    /// 2026-11-21T10:00:00Z in nanoseconds.
    static let base: UInt64 = 1_795_255_200_000_000_000
    static let second: UInt64 = 1_000_000_000

    static func trace(_ n: Int) -> String { String(format: "%032x", 0xabc000 + n) }
    static func span(_ n: Int, _ k: Int) -> String { String(format: "%016x", n * 16 + k) }

    static func attribute(_ key: String, _ value: Any) -> [String: Any] {
        if let n = value as? Int { return ["key": key, "value": ["intValue": String(n)]] }
        return ["key": key, "value": ["stringValue": "\(value)"]]
    }

    /// One turn as an OTLP/JSON line: an agent root with input and output, a model call with tokens,
    /// and optionally a tool call that failed.
    static func turn(_ n: Int, session: String, key: String = "session.id", at seconds: UInt64, input: String, answer: String,
                     tool: String? = nil, fails: Bool = false) throws -> String {
        let start = base + seconds * second
        func time(_ offset: UInt64) -> String { String(start + offset * second / 10) }
        var spans: [[String: Any]] = [
            ["traceId": trace(n), "spanId": span(n, 1), "name": "invoke_agent assistant", "kind": 1,
             "startTimeUnixNano": time(0), "endTimeUnixNano": time(9),
             "attributes": [attribute(key, session), attribute("input.value", input), attribute("output.value", answer)]],
            ["traceId": trace(n), "spanId": span(n, 2), "parentSpanId": span(n, 1), "name": "chat gpt-4o-mini", "kind": 3,
             "startTimeUnixNano": time(1), "endTimeUnixNano": time(3),
             "attributes": [attribute("gen_ai.operation.name", "chat"), attribute("gen_ai.request.model", "gpt-4o-mini"),
                            attribute("gen_ai.usage.input_tokens", 100 * n), attribute("gen_ai.usage.output_tokens", 20)]],
        ]
        if let tool {
            var s: [String: Any] = ["traceId": trace(n), "spanId": span(n, 3), "parentSpanId": span(n, 1), "name": "execute_tool \(tool)",
                                    "kind": 1, "startTimeUnixNano": time(4), "endTimeUnixNano": time(6),
                                    "attributes": [attribute("gen_ai.operation.name", "execute_tool"), attribute("gen_ai.tool.name", tool)]]
            if fails { s["status"] = ["code": 2, "message": "calendar unavailable"] }
            spans.append(s)
        }
        let document: [String: Any] = ["resourceSpans": [["scopeSpans": [["scope": ["name": "test"], "spans": spans]]]]]
        return String(decoding: try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys]), as: UTF8.self)
    }

    /// A workspace whose store holds two sessions: `s1` (3 turns, sent out of order; the second calls a
    /// tool that fails) and `s2` (one turn, later), and a trace of no session.
    static func workspace() throws -> URL {
        let w = try AssayProcess.workspace()
        let lines = [
            try turn(3, session: "s1", at: 30, input: "Which day did we agree on?", answer: "Thursday."),
            try turn(1, session: "s1", at: 10, input: "Can we meet Thursday?", answer: "Sure, I drafted a reply."),
            try turn(2, session: "s1", at: 20, input: "Book the room.", answer: "The calendar is down.", tool: "book_room", fails: true),
            try turn(4, session: "s2", key: "gen_ai.conversation.id", at: 100, input: "Hello \u{1B}[31mred", answer: "Hi."),
        ]
        try (lines.joined(separator: "\n") + "\n").write(to: w.appendingPathComponent("traffic.jsonl"), atomically: true, encoding: .utf8)
        let ingest = try AssayProcess.run(["ingest", "traffic.jsonl"], in: w)
        #expect(ingest.status == 0, "\(ingest.stderr)")
        return w
    }

    static func json(_ text: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) }

    @Test("lists sessions newest activity first, with turns, tokens and turns with errors, as a table and as JSON")
    func list() throws {
        let w = try Self.workspace()
        let table = try AssayProcess.run(["sessions", "list"], in: w)
        #expect(table.status == 0, "\(table.stderr)")
        let lines = table.stdout.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("SESSION") && lines[0].contains("TURNS") && lines[0].contains("ERRORS") && lines[0].contains("FLAGGED"))
        #expect(lines[1].hasPrefix("s2 ") && lines[2].hasPrefix("s1 "))
        #expect(lines[2].contains("2026-11-21T10:00:10.000Z") && lines[2].contains("2026-11-21T10:00:30.900Z"))
        let sessions = try #require(try Self.json(try AssayProcess.run(["sessions", "list", "--json"], in: w).stdout) as? [[String: Any]])
        #expect(sessions.map { $0["sessionId"] as? String } == ["s2", "s1"])
        let s1 = sessions[1]
        #expect(s1["turns"] as? Int == 3 && s1["inputTokens"] as? Int == 600 && s1["outputTokens"] as? Int == 60)
        #expect(s1["errorTurns"] as? Int == 1 && s1["flagged"] as? Bool == false)
        #expect(s1["startTimeUnixNano"] as? String == String(Self.base + 10 * Self.second))
        let window = try AssayProcess.run(["sessions", "list", "--since", "2026-11-21T10:00:25Z", "--until", "2026-11-21T10:00:35Z", "--json"], in: w)
        #expect((try Self.json(window.stdout) as? [[String: Any]])?.map { $0["sessionId"] as? String } == ["s1"])
        let limited = try AssayProcess.run(["sessions", "list", "--limit", "1"], in: w)
        #expect(limited.stdout.split(separator: "\n").count == 2)
        let none = try AssayProcess.run(["sessions", "list", "--since", "2030-01-01T00:00:00Z"], in: w)
        #expect(none.status == 0 && none.stdout == "No sessions match.\n")
    }

    @Test("shows a session's turns in order with input, answer, tools, tokens, errors; text is terminal-safe, JSON whole")
    func show() throws {
        let w = try Self.workspace()
        let text = try AssayProcess.run(["sessions", "show", "s1"], in: w)
        #expect(text.status == 0, "\(text.stderr)")
        let out = text.stdout
        #expect(out.hasPrefix("Session s1: 3 turns, 2026-11-21T10:00:10.000Z to 2026-11-21T10:00:30.900Z, 660 tokens"))
        #expect(out.contains("1 turn with errors"))
        let turn1 = try #require(out.range(of: "Turn 1  \(Self.trace(1))")), turn2 = try #require(out.range(of: "Turn 2  \(Self.trace(2))"))
        let turn3 = try #require(out.range(of: "Turn 3  \(Self.trace(3))"))
        #expect(turn1.lowerBound < turn2.lowerBound && turn2.lowerBound < turn3.lowerBound)
        #expect(out.contains("  input:    Can we meet Thursday?\n  answer:   Sure, I drafted a reply.\n  tools:    -\n"))
        #expect(out.contains("  tools:    book_room\n  error:    execute_tool book_room: calendar unavailable\n"))
        #expect(out.contains("Turn 2  \(Self.trace(2))  2026-11-21T10:00:20.000Z  220 tokens (200 in, 20 out)  cost "))
        let red = try AssayProcess.run(["sessions", "show", "s2"], in: w)
        #expect(red.stdout.contains("Hello \\u{1b}[31mred") && !red.stdout.contains("\u{1B}"))

        let json = try #require(try Self.json(try AssayProcess.run(["sessions", "show", "s1", "--json"], in: w).stdout) as? [String: Any])
        #expect(json["sessionId"] as? String == "s1" && json["turnCount"] as? Int == 3 && json["errorTurns"] as? Int == 1)
        let turns = try #require(json["turns"] as? [[String: Any]])
        #expect(turns.map { $0["index"] as? Int } == [1, 2, 3])
        #expect(turns.map { $0["traceId"] as? String } == [Self.trace(1), Self.trace(2), Self.trace(3)])
        #expect(turns.map { $0["input"] as? String } == ["Can we meet Thursday?", "Book the room.", "Which day did we agree on?"])
        #expect(turns.map { $0["answer"] as? String } == ["Sure, I drafted a reply.", "The calendar is down.", "Thursday."])
        #expect(turns[1]["tools"] as? [String] == ["book_room"])
        #expect(turns[1]["errors"] as? [String] == ["execute_tool book_room: calendar unavailable"])
        #expect(turns.map { $0["inputTokens"] as? Int } == [100, 200, 300])
        #expect(turns[0]["cost"] as? String != "unknown" && turns[0]["costUSD"] as? Double != nil)
        let raw = try AssayProcess.run(["sessions", "show", "s2", "--json"], in: w).stdout
        #expect(((try Self.json(raw) as? [String: Any])?["turns"] as? [[String: Any]])?.first?["input"] as? String == "Hello \u{1B}[31mred")
    }

    @Test("an unknown session id is an error naming the store, exit 1")
    func unknown() throws {
        let w = try Self.workspace()
        let out = try AssayProcess.run(["sessions", "show", "nope"], in: w)
        #expect(out.status == 1)
        #expect(out.stderr == "Error: .assay/assay.sqlite: no session nope in the store\n")
        #expect(out.stdout.isEmpty)
    }

    @Test("feedback add --session stores the review on the session's first trace; list, show and --flagged see it")
    func feedbackOnSession() throws {
        let w = try Self.workspace()
        let added = try AssayProcess.run(["feedback", "add", "--session", "s1", "--down", "--flag", "--correction", "Thursday 10:00",
                                          "--author", "ana"], in: w)
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.stdout.contains("on session s1 (stored on its first trace \(Self.trace(1)))"))
        let flagged = try AssayProcess.run(["sessions", "list", "--flagged", "--json"], in: w)
        #expect((try Self.json(flagged.stdout) as? [[String: Any]])?.map { $0["sessionId"] as? String } == ["s1"])
        #expect(try AssayProcess.run(["feedback", Self.trace(2), "--comment", "slow", "--author", "ben"], in: w).status == 0)
        let listed = try AssayProcess.run(["feedback", "list", "--session", "s1"], in: w)
        let listedLines = listed.stdout.split(separator: "\n")
        #expect(listed.status == 0 && listedLines.count == 2)
        #expect(listedLines.first?.contains("session s1  ana (human)  down  flagged  correction \"Thursday 10:00\"") == true)
        #expect(listedLines.last?.hasPrefix("turn 2  ") == true && listedLines.last?.contains("trace  ben (human)  comment \"slow\"") == true)
        let lines = try AssayProcess.run(["feedback", "list", Self.trace(1), "--json"], in: w).stdout.split(separator: "\n")
        let item = try #require(try Self.json(String(lines[0])) as? [String: Any])
        #expect(item["sessionId"] as? String == "s1" && item["traceId"] as? String == Self.trace(1) && item["current"] as? Bool == true)
        let show = try AssayProcess.run(["sessions", "show", "s1"], in: w).stdout
        #expect(show.contains("flagged\nFeedback on the session:\n  "))
        let json = try #require(try Self.json(try AssayProcess.run(["sessions", "show", "s1", "--json"], in: w).stdout) as? [String: Any])
        #expect((json["feedback"] as? [[String: Any]])?.first?["sessionId"] as? String == "s1")
        #expect(((json["turns"] as? [[String: Any]])?.first?["feedback"] as? [Any])?.isEmpty == true)
        // A newer review of the session by the same author replaces the flag.
        _ = try AssayProcess.run(["feedback", "add", "--session", "s1", "--up", "--author", "ana"], in: w)
        #expect(try AssayProcess.run(["sessions", "list", "--flagged"], in: w).stdout == "No sessions match.\n")

        let missing = try AssayProcess.run(["feedback", "add", "--session", "nope", "--up"], in: w)
        #expect(missing.status == 1)
        #expect(missing.stderr == "Error: .assay/assay.sqlite: no session nope in the store\n")
        let missingList = try AssayProcess.run(["feedback", "list", "--session", "nope"], in: w)
        #expect(missingList.status == 1 && missingList.stderr.contains("no session nope in the store"))
    }

    @Test("a flagged turn flags its session; the same author's newer review of the turn clears it")
    func flaggedByTurn() throws {
        let w = try Self.workspace()
        #expect(try AssayProcess.run(["feedback", Self.trace(4), "--flag", "--author", "ben"], in: w).status == 0)
        let table = try AssayProcess.run(["sessions", "list", "--flagged"], in: w).stdout.split(separator: "\n")
        #expect(table.count == 2 && table[1].hasPrefix("s2 ") && table[1].contains("flagged"))
        #expect(try AssayProcess.run(["feedback", Self.trace(4), "--up", "--author", "ben"], in: w).status == 0)
        #expect(try AssayProcess.run(["sessions", "list", "--flagged"], in: w).stdout == "No sessions match.\n")
        // Another author's flag on a turn of s1 still counts.
        #expect(try AssayProcess.run(["feedback", Self.trace(3), "--flag", "--author", "cy"], in: w).status == 0)
        let json = try AssayProcess.run(["sessions", "list", "--flagged", "--json"], in: w).stdout
        #expect((try Self.json(json) as? [[String: Any]])?.map { $0["sessionId"] as? String } == ["s1"])
    }

    @Test("feedback import anchors items with a sessionId and no traceId on the session's first trace")
    func importSession() throws {
        let w = try Self.workspace()
        try #"{"sessionId":"s1","rating":"down","flagged":true,"author":"ana"}"#.write(to: w.appendingPathComponent("fb.jsonl"), atomically: true, encoding: .utf8)
        let out = try AssayProcess.run(["feedback", "import", "fb.jsonl"], in: w)
        #expect(out.status == 0, "\(out.stderr)")
        let listed = try AssayProcess.run(["feedback", "list", Self.trace(1)], in: w).stdout
        #expect(listed.contains("session s1  ana (human)  down  flagged"))
        try #"{"sessionId":"nope","rating":"down"}"#.write(to: w.appendingPathComponent("bad.jsonl"), atomically: true, encoding: .utf8)
        let bad = try AssayProcess.run(["feedback", "import", "bad.jsonl"], in: w)
        #expect(bad.status == 1 && bad.stderr.contains("bad.jsonl:1: sessionId: no session nope in the store"))
    }

    @Test("exits 2 on usage errors", arguments: [
        ["sessions", "list", "--since", "yesterday"], ["sessions", "list", "--limit", "-1"], ["sessions", "show"],
        ["feedback", "add", "--session", "s1", Self.trace(1), "--up"], ["feedback", "add", "--session", "s1", "--span", "0000000000000001", "--up"],
        ["feedback", "add", "--session", "s1"], ["feedback", "add", "--up"], ["feedback", "list", "--session", "s1", Self.trace(1)],
    ])
    func usageErrors(arguments: [String]) throws {
        let out = try AssayProcess.run(arguments, in: try AssayProcess.workspace())
        #expect(out.status == 2, "\(arguments): \(out.stderr)")
        #expect(!out.stderr.isEmpty)
    }

    @Test("each sessions command's help says what it does and gives an example", arguments: [
        ["sessions", "--help"], ["sessions", "list", "--help"], ["sessions", "show", "--help"],
    ])
    func help(arguments: [String]) throws {
        let out = try AssayProcess.run(arguments, in: try AssayProcess.workspace())
        #expect(out.status == 0)
        #expect(out.stdout.contains("OVERVIEW:") || out.stdout.contains("USAGE:"))
        #expect(out.stdout.lowercased().contains("example"))
    }
}
