import Foundation
import Testing

/// `assay promote --session` and `--flagged --sessions` on stored conversations, and the `datasets`
/// commands on multi-turn examples (docs/conversations.md, "The dataset format" and "Promotion").
@Suite("assay promote of sessions and multi-turn datasets")
struct ConversationDatasetsCLITests {
    static let ana = "conv-ana-0142"

    /// The trace id for a small number.
    static func trace(_ n: Int) -> String { String(repeating: "0", count: 30) + String(format: "%02x", n) }

    /// One exchange as an OTLP JSON line: a root with the session id, input and output, and a triage call.
    static func exchange(_ n: Int, session: String, start: Int, input: String, output: String) -> String {
        func attr(_ key: String, _ value: String) -> [String: Any] { ["key": key, "value": ["stringValue": value]] }
        func span(_ id: String, parent: String?, name: String, start: Int, attributes: [[String: Any]]) -> [String: Any] {
            var s: [String: Any] = ["traceId": trace(n), "spanId": id, "name": name, "startTimeUnixNano": String(start),
                                    "endTimeUnixNano": String(start + 500), "attributes": attributes]
            if let parent { s["parentSpanId"] = parent }
            return s
        }
        let spans = [
            span("00000000000000a1", parent: nil, name: "invoke_agent mail", start: start, attributes: [
                attr("gen_ai.operation.name", "invoke_agent"), attr("gen_ai.conversation.id", session),
                attr("input.value", input), attr("output.value", output)]),
            span("00000000000000a2", parent: "00000000000000a1", name: "chat classify", start: start + 100, attributes: [
                attr("gen_ai.operation.name", "chat"), attr("gen_ai.request.model", "small"), attr("output.value", "meeting")]),
        ]
        let doc: [String: Any] = ["resourceSpans": [["resource": ["attributes": [attr("service.name", "mail")]],
                                                     "scopeSpans": [["scope": ["name": "tests"], "spans": spans]]]]]
        let data = try! JSONSerialization.data(withJSONObject: doc, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// A workspace with a store holding `conv-ana-0142` (a message answered with an interrupt, the
    /// resume that edits the draft, a second turn) and a trace of another session.
    func workspace() throws -> URL {
        let w = try AssayProcess.workspace()
        let text = Self.exchange(1, session: Self.ana, start: 1_000_000, input: "From: Ana ... Can we meet Thursday? Draft a reply accepting.",
                                 output: #"{"interrupt":{"id":"draft-1","kind":"approval","message":"Send this reply to Ana?"}}"#)
            + Self.exchange(2, session: Self.ana, start: 2_000_000, input: #"{"resume":{"interrupt_id":"draft-1","decision":"edit","text":"Hi Ana, Thursday 10:00 works."}}"#,
                            output: "I sent your reply to Ana.")
            + Self.exchange(3, session: Self.ana, start: 3_000_000, input: "Ana asks which day we agreed on. Answer her.", output: "Thursday")
            + Self.exchange(4, session: "conv-ben", start: 4_000_000, input: "Ben: lunch?", output: "Sure.")
        try text.write(to: w.appendingPathComponent("traces.jsonl"), atomically: true, encoding: .utf8)
        let ingest = try AssayProcess.run(["ingest", "traces.jsonl"], in: w)
        #expect(ingest.status == 0, "\(ingest.stdout)\(ingest.stderr)")
        return w
    }

    func feedback(_ w: URL, _ arguments: [String]) throws {
        let r = try AssayProcess.run(["feedback"] + arguments + ["--author", "ana"], in: w)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    }

    @Test("promote --session writes one multi-turn example; --flagged --sessions again leaves the file byte for byte; a new turn correction changes one line")
    func promoteSession() throws {
        let w = try workspace()
        try feedback(w, [Self.trace(2), "--up"])
        try feedback(w, [Self.trace(3), "--down", "--flag", "--correction", "Thursday 10:00"])
        let first = try AssayProcess.run(["promote", "--to", "threads", "--session", Self.ana, "--component", "triage=op=chat first"], in: w)
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        #expect(first.stdout.contains("promoted 1 session into Datasets/threads.jsonl (threads): 1 added, 0 updated, 0 unchanged"), "\(first.stdout)")
        let file = w.appendingPathComponent("Datasets/threads.jsonl")
        let once = try String(contentsOf: file, encoding: .utf8)
        #expect(once.split(separator: "\n").count == 1)
        #expect(once.hasPrefix(#"{"id":"s-"#) && once.contains(#""decisions":[{"decision":"edit","text":"Hi Ana, Thursday 10:00 works."}]"#), "\(once)")
        #expect(once.contains(#""user":"Ana asks which day we agreed on. Answer her.","expected":"Thursday 10:00","components":{"triage":{"expected":null,"#) && once.contains(#""sessionId":"conv-ana-0142""#), "\(once)")
        #expect(once.contains(#""turnTraceIds":["\#(Self.trace(1))","\#(Self.trace(3))"]"#), "\(once)")

        let again = try AssayProcess.run(["promote", "--to", "threads", "--flagged", "--sessions", "--component", "triage=op=chat first"], in: w)
        #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
        #expect(again.stdout.contains("promoted 1 session into Datasets/threads.jsonl (threads): 0 added, 0 updated, 1 unchanged"), "\(again.stdout)")
        #expect(try String(contentsOf: file, encoding: .utf8) == once, "re-promotion leaves the file byte for byte")

        try feedback(w, [Self.trace(3), "--down", "--flag", "--correction", "Thursday at 10:00"])
        let fixed = try AssayProcess.run(["promote", "--to", "threads", "--flagged", "--sessions", "--component", "triage=op=chat first"], in: w)
        #expect(fixed.stdout.contains("0 added, 1 updated, 0 unchanged"), "\(fixed.stdout)\(fixed.stderr)")
        let twice = try String(contentsOf: file, encoding: .utf8)
        #expect(twice.split(separator: "\n").count == 1 && twice != once)
        #expect(twice.contains(#""expected":"Thursday at 10:00","components":{"triage":{"expected":null,"#) && twice.contains(#""updatedAt":"#), "\(twice)")

        let validate = try AssayProcess.run(["datasets", "validate", "threads"], in: w)
        #expect(validate.status == 0 && validate.stdout.contains("1 example, valid"), "\(validate.stdout)\(validate.stderr)")
        let show = try AssayProcess.run(["datasets", "show", "threads"], in: w)
        #expect(show.status == 0 && show.stdout.contains("TURNS"), "\(show.stdout)\(show.stderr)")
        let row = show.stdout.split(separator: "\n").first { $0.hasPrefix("s-") }.map { $0.split(separator: " ").map(String.init) } ?? []
        #expect(row.count > 3 && row[1] == "needs_expected" && row[2] == "2", "nobody reviewed the whole session: \(show.stdout)")
        let csv = try AssayProcess.run(["datasets", "export", "threads", "--csv"], in: w)
        #expect(csv.stdout.hasPrefix("id,status,input,expected,components,trace_id,promoted_at,turns\r\n"), "\(csv.stdout)")
        #expect(csv.stdout.contains(",needs_expected,From: Ana ... Can we meet Thursday? Draft a reply accepting.,,"), "the first message: \(csv.stdout)")
        #expect(csv.stdout.hasSuffix(",2\r\n"), "\(csv.stdout)")
    }

    @Test("promote --session refuses a session the store does not have; --sessions needs traces to choose from")
    func refusals() throws {
        let w = try workspace()
        let missing = try AssayProcess.run(["promote", "--to", "threads", "--session", "conv-nobody"], in: w)
        #expect(missing.status == 1 && missing.stderr.contains("session conv-nobody is not in the store"), "\(missing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: w.appendingPathComponent("Datasets/threads.jsonl").path))
        let bare = try AssayProcess.run(["promote", "--to", "threads", "--sessions"], in: w)
        #expect(bare.status == 2 && bare.stderr.contains("--sessions promotes the sessions of the chosen traces"), "\(bare.stderr)")
    }

    @Test("validate reports each problem of a multi-turn file with its line and path, and exits 1")
    func validateBadFile() throws {
        let w = try AssayProcess.workspace()
        try FileManager.default.createDirectory(at: w.appendingPathComponent("Datasets"), withIntermediateDirectories: true)
        let lines = [
            #"{"id":"thread-ana","turns":[{"user":"Draft a reply."},{"user":"Send it.","decisions":[{"decision":"edit"}]}],"expected":null}"#,
            #"{"id":"thread-ben","turns":[{"user":"Hi"},{"user":"Bye"}],"expected":null,"memory":[{"fact":"Ben","given_in":2,"used_in":2}]}"#,
            #"{"id":"thread-cy","input":"Hi","turns":[{"user":"Hi"}],"expected":null}"#,
        ]
        try (lines.joined(separator: "\n") + "\n").write(to: w.appendingPathComponent("Datasets/threads.jsonl"), atomically: true, encoding: .utf8)
        let r = try AssayProcess.run(["datasets", "validate", "Datasets/threads.jsonl"], in: w)
        #expect(r.status == 1)
        #expect(r.stderr.contains("Datasets/threads.jsonl:1: turns[1].decisions[0].text: required for an edit"), "\(r.stderr)")
        #expect(r.stderr.contains("Datasets/threads.jsonl:2: memory[0].used_in: must be a later turn than given_in (2)"), "\(r.stderr)")
        #expect(r.stderr.contains("Datasets/threads.jsonl:3: input: a multi-turn example has no input"), "\(r.stderr)")
        #expect(r.stderr.contains("Datasets/threads.jsonl: 3 problems"), "\(r.stderr)")
    }
}
