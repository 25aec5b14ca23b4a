import AssayCore
import AssayOTLP
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import AssayCollector

/// `POST /v1/feedback` with a `sessionId`: feedback on a whole session, through the router.
@Suite("POST /v1/feedback on sessions, through the router")
struct SessionFeedbackRouteTests {
    static func trace(_ n: UInt64) -> TraceID { TraceID(high: 5, low: n)! }

    /// Session `conv-1` has turns 2 (first) and 1; trace 3 is of another session.
    func store() throws -> InMemoryTraceStore {
        let store = InMemoryTraceStore()
        var builder = IngestBatchBuilder()
        for (n, session, start) in [(UInt64(1), "conv-1", UInt64(20)), (2, "conv-1", 10), (3, "conv-2", 30)] {
            builder.add(TracesData(resourceSpans: [ResourceSpans(scopeSpans: [ScopeSpans(spans: [
                Span(traceID: Self.trace(n), spanID: SpanID(n)!, name: "agent", startTimeUnixNano: start, endTimeUnixNano: start + 1,
                     attributes: [Attribute("gen_ai.conversation.id", .string(session))]),
            ])])]))
        }
        _ = try store.write { try $0.write(builder.batch) }
        return store
    }

    @Test("stores feedback with a sessionId and no traceId on the session's first trace, as JSON and as JSON Lines")
    func anchored() async throws {
        let store = try store()
        try await withCollector(store: store) { client in
            let body = #"{"sessionId":"conv-1","rating":"down","flagged":true,"author":"ana"}"#
            try await client.execute(uri: "/v1/feedback", method: .post, headers: Bodies.headers("application/json"), body: ByteBuffer(string: body)) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains(#""accepted":1"#))
            }
            let lines = #"{"sessionId":"conv-1","comment":"asked twice","author":"ben"}"# + "\n"
            try await client.execute(uri: "/v1/feedback", method: .post, headers: Bodies.headers("application/x-ndjson"), body: ByteBuffer(string: lines)) { response in
                #expect(response.status == .ok)
            }
        }
        let items = try store.feedback(for: [Self.trace(2)])[Self.trace(2)] ?? []
        #expect(items.map(\.feedback.sessionID) == ["conv-1", "conv-1"])
        #expect(items.map(\.feedback.author) == ["ana", "ben"])
        #expect(try store.sessions(matching: SessionQuery(flagged: true)).map(\.id) == ["conv-1"])
    }

    @Test("refuses an unknown session with 400 at sessionId, and a trace outside the item's session with 422; nothing stored")
    func refused() async throws {
        let store = try store()
        try await withCollector(store: store) { client in
            let unknown = #"[{"traceId":"\#(Self.trace(2))","rating":"up"},{"sessionId":"nope","rating":"up"}]"#
            try await client.execute(uri: "/v1/feedback", method: .post, headers: Bodies.headers("application/json"), body: ByteBuffer(string: unknown)) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("[1].sessionId: no session nope in the store"))
            }
            let outside = #"{"traceId":"\#(Self.trace(3))","sessionId":"conv-1","rating":"up"}"#
            try await client.execute(uri: "/v1/feedback", method: .post, headers: Bodies.headers("application/json"), body: ByteBuffer(string: outside)) { response in
                #expect(response.status == .unprocessableContent)
                let text = String(buffer: response.body)
                #expect(text.contains(#""sessionId":"conv-1""#) && text.contains("is not a turn of session conv-1"))
            }
            let span = #"{"sessionId":"conv-1","spanId":"0000000000000002","rating":"up"}"#
            try await client.execute(uri: "/v1/feedback", method: .post, headers: Bodies.headers("application/json"), body: ByteBuffer(string: span)) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("spanId: feedback with a sessionId is on the whole session"))
            }
        }
        #expect(try store.feedback(for: [Self.trace(1), Self.trace(2), Self.trace(3)]).isEmpty)
    }
}
