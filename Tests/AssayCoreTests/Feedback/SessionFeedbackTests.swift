import Foundation
import Testing
@testable import AssayCore

/// Feedback on a whole session in its JSON form: `sessionId`, and the anchor on the session's first trace.
@Suite("Feedback on sessions, as JSON")
struct SessionFeedbackTests {
    static let trace = "4bf92f3577b34da6a3ce929d0e0e4736"

    func parse(_ line: String, anchor: @escaping (String) -> TraceID? = { _ in nil }) -> Result<[Feedback], AssayError> {
        FeedbackLines.parse(line + "\n", source: "f.jsonl", now: 1, defaultAuthor: "x", sessionAnchor: anchor)
    }

    @Test("reads and writes sessionId, which round-trips and is part of the content id")
    func roundTrip() throws {
        let items = try parse(#"{"traceId":"\#(Self.trace)","sessionId":"conv-42","rating":"down","author":"ana"}"#).get()
        let item = try #require(items.first)
        #expect(item.sessionID == "conv-42" && item.spanID == nil && item.reviewKey.sessionID == "conv-42")
        let line = FeedbackJSON.line(item)
        #expect(line.contains(#""spanId":null,"sessionId":"conv-42","rating":"down""#))
        #expect(try parse(line).get() == [item])
        let plain = try parse(#"{"traceId":"\#(Self.trace)","rating":"down","author":"ana"}"#).get()[0]
        #expect(plain.id != item.id)
        #expect(!FeedbackJSON.line(plain).contains("sessionId"))
    }

    @Test("keeps the content ids of feedback without a session as they were before sessions")
    func stableIDs() {
        let f = Feedback(traceID: TraceID(hex: Self.trace)!, rating: .up, author: "a", source: .human, timeUnixNano: 5)
        let canonical = FeedbackJSON.canonical(f, includingID: false)
        #expect(!canonical.contains("sessionId"))
        #expect(f.id.rawValue == "fb-" + SHA256.hex(canonical).prefix(16))
    }

    @Test("anchors an item with a sessionId and no traceId on the session's first trace")
    func anchor() throws {
        let first = TraceID(high: 1, low: 2)!
        let items = try parse(#"{"sessionId":"conv-42","flagged":true}"#) { $0 == "conv-42" ? first : nil }.get()
        #expect(items.first?.traceID == first && items.first?.sessionID == "conv-42" && items.first?.needsReview == true)
    }

    @Test("reports bad session items as file:line: path: problem", arguments: [
        (#"{"sessionId":"nope","rating":"up"}"#, "f.jsonl:1: sessionId: no session nope in the store"),
        (#"{"rating":"up"}"#, "f.jsonl:1: traceId: required: the trace's 32 hex digit id (or a sessionId)"),
        (#"{"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","sessionId":"","rating":"up"}"#, "f.jsonl:1: sessionId: expected a session id of 1 to 1024 bytes"),
        (#"{"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","sessionId":7,"rating":"up"}"#, "f.jsonl:1: sessionId: expected a session id"),
        (#"{"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","sessionId":"s","spanId":"00f067aa0ba902b7","rating":"up"}"#,
         "f.jsonl:1: spanId: feedback with a sessionId is on the whole session"),
        (#"{"traceId":5,"rating":"up"}"#, "f.jsonl:1: traceId: expected a string of 32 hex digits"),
    ])
    func problems(line: String, expected: String) {
        guard case .failure(let error) = parse(line) else { Issue.record("accepted \(line)"); return }
        #expect(error.description.hasPrefix(expected), "\(error.description)")
    }
}
