import Foundation
import Testing
@testable import AssayCore
import AssayTestSupport
import AssayOTLP

/// A store holding one agent trace: root (input, output), a triage chat call, a retrieval and a tool call.
func agentStore(trace: UInt64 = 1, input: String = "Where is my refund?", output: String = "It is on its way.") throws -> InMemoryTraceStore {
    let store = InMemoryTraceStore()
    let batch = IngestBatch(TracesData.stub(agentSpans(trace: trace, input: input, output: output)))
    _ = try store.write { try $0.write(batch) }
    return store
}

func agentSpans(trace: UInt64, input: String, output: String) -> [Span] {
    [
        .stub(trace: trace, id: 1, name: "invoke_agent support", start: 1_000, end: 9_000,
              attributes: [Attribute("gen_ai.operation.name", .string("invoke_agent")), Attribute("input.value", .string(input)),
                           Attribute("output.value", .string(output))]),
        .stub(trace: trace, id: 2, parent: 1, name: "chat classify", start: 2_000, end: 3_000,
              attributes: [Attribute("gen_ai.operation.name", .string("chat")), Attribute("gen_ai.request.model", .string("small")),
                           Attribute("output.value", .string("refund"))]),
        .stub(trace: trace, id: 3, parent: 1, name: "retrieval kb", start: 3_000, end: 4_000,
              attributes: [Attribute("openinference.span.kind", .string("RETRIEVER")),
                           Attribute("retrieval.documents.0.document.id", .string("kb-7")),
                           Attribute("retrieval.documents.1.document.id", .string("kb-2"))]),
        .stub(trace: trace, id: 4, parent: 1, name: "execute_tool lookup_order", start: 4_000, end: 5_000,
              attributes: [Attribute("gen_ai.operation.name", .string("execute_tool")), Attribute("gen_ai.tool.name", .string("lookup_order")),
                           Attribute("gen_ai.tool.call.arguments", .string(#"{"order":"A-1"}"#))]),
    ]
}

func traceID(_ n: UInt64) -> TraceID { TraceID(high: 0, low: n)! }

@Suite("Feedback")
struct FeedbackTests {
    @Test("reads the trace browser's export lines, with the same content giving the same id")
    func browserExport() throws {
        let text = """
            {"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":null,"rating":"up","flagged":false,"correction":null,"comment":null,"author":"reviewer","source":"human","time":"2026-03-09T12:04:55Z"}
            {"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"00f067aa0ba902b7","rating":"down","flagged":true,"correction":"The refund window is 30 days.","comment":"cites the wrong article","author":"reviewer","source":"human","time":"2026-03-09T12:05:10Z"}

            """
        let items = try FeedbackLines.parse(text, source: "export.jsonl", now: 1, defaultAuthor: "x").get()
        #expect(items.count == 2)
        #expect(items[0].rating == .up && items[0].spanID == nil && items[0].timeUnixNano == 1_773_057_895_000_000_000)
        #expect(items[1].needsReview && items[1].correction == .text("The refund window is 30 days."))
        let again = try FeedbackLines.parse(text, source: "export.jsonl", now: 99, defaultAuthor: "y").get()
        #expect(again.map(\.id) == items.map(\.id))
        #expect(Set(items.map(\.id)).count == 2)
    }

    @Test("reports every bad line as file:line: path: problem without quoting the text", arguments: [
        (#"{"traceId":"abc","rating":"up"}"#, "f.jsonl:1: traceId: expected 32 hex digits"),
        (#"{"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","rating":"sideways"}"#, "f.jsonl:1: rating: expected"),
        (#"{"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","scores":{"acc":"high"}}"#, "f.jsonl:1: scores.acc: expected a finite number"),
        (#"{"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","raiting":"up"}"#, "f.jsonl:1: raiting: unknown member"),
        (#"{"traceId":"4bf92f3577b34da6a3ce929d0e0e4736"}"#, "f.jsonl:1: says nothing"),
        (#"{"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","rating":"up""#, "f.jsonl:1:"),
        ("[1,2]", "f.jsonl:1: expected a JSON object"),
    ])
    func badLines(line: String, expected: String) {
        let result = FeedbackLines.parse("\n" + line + "\n", source: "f.jsonl", now: 1, defaultAuthor: "x")
        guard case .failure(let error) = result else { Issue.record("accepted \(line)"); return }
        let text = error.description.replacingOccurrences(of: "f.jsonl:2", with: "f.jsonl:1")
        #expect(text.hasPrefix(expected), "\(text)")
        #expect(!text.contains("sideways") || expected.contains("sideways"))
    }

    @Test("feedback on an unknown trace or span is refused and nothing of the batch is stored")
    func unknownTarget() throws {
        let store = try agentStore()
        let good = Feedback(traceID: traceID(1), rating: .up, author: "a", source: .human, timeUnixNano: 1)
        let badTrace = Feedback(traceID: traceID(2), rating: .down, author: "a", source: .human, timeUnixNano: 1)
        let badSpan = Feedback(traceID: traceID(1), spanID: SpanID(99)!, rating: .down, author: "a", source: .human, timeUnixNano: 1)
        #expect(throws: AssayError.self) { try store.add([good, badTrace, badSpan]) }
        do { try store.add([good, badTrace, badSpan]) } catch let e as AssayError {
            #expect(e.unknownTargets.map(\.index) == [1, 2])
            #expect(e.description.contains("no trace 00000000000000000000000000000002"))
            #expect(e.description.contains("has no span 0000000000000063"))
        }
        #expect(try store.feedback(for: [traceID(1)]).isEmpty)
    }

    @Test("the newest review from an author on a target is current; older ones stay as history")
    func currentReview() throws {
        let store = try agentStore()
        let first = Feedback(traceID: traceID(1), rating: .down, needsReview: true, author: "ana", source: .human, timeUnixNano: 10)
        let second = Feedback(traceID: traceID(1), rating: .up, author: "ana", source: .human, timeUnixNano: 20)
        let other = Feedback(traceID: traceID(1), rating: .down, author: "ben", source: .human, timeUnixNano: 15)
        let late = Feedback(traceID: traceID(1), rating: .down, author: "ana", source: .human, timeUnixNano: 5)
        #expect(try store.add([first, second, other, late]) == FeedbackCounts(added: 4))
        #expect(try store.add([first]) == FeedbackCounts(present: 1))
        let items = try #require(try store.feedback(for: [traceID(1)])[traceID(1)])
        #expect(items.filter(\.isCurrent).map(\.feedback.author).sorted() == ["ana", "ben"])
        #expect(items.first { $0.isCurrent && $0.feedback.author == "ana" }?.feedback.rating == .up)
        var q = TraceQuery()
        q.feedback.flagged = true
        #expect(try store.traces(matching: q).isEmpty, "ana's flag was superseded")
        q = TraceQuery()
        q.feedback.ratedDown = true
        #expect(try store.traces(matching: q).count == 1, "ben's thumbs-down is current")
    }

    @Test("filters on scores, labels and corrections")
    func filters() throws {
        let store = try agentStore()
        try store.add([Feedback(traceID: traceID(1), spanID: SpanID(2)!, scores: ["acc": 0.3], labels: ["intent": "refund"],
                                correction: .text("x"), author: "j", source: .model, timeUnixNano: 1)])
        func count(_ edit: (inout FeedbackFilter) -> Void) throws -> Int {
            var q = TraceQuery()
            edit(&q.feedback)
            return try store.traces(matching: q).count
        }
        #expect(try count { $0.scoreBelow = .init(name: "acc", value: 0.5) } == 1)
        #expect(try count { $0.scoreBelow = .init(name: "acc", value: 0.3) } == 0)
        #expect(try count { $0.label = .init(name: "intent", value: "refund") } == 1)
        #expect(try count { $0.label = .init(name: "intent", value: "other") } == 0)
        #expect(try count { $0.hasCorrection = true } == 1)
        #expect(try count { $0.ratedUp = true } == 0)
    }
}

@Suite("SHA-256")
struct SHA256Tests {
    @Test("matches the FIPS 180-4 test vectors", arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func vectors(input: String, digest: String) { #expect(SHA256.hex(input) == digest) }

    @Test("hashes a million bytes across block boundaries")
    func long() { #expect(SHA256.hex(String(repeating: "a", count: 1_000_000)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0") }
}
