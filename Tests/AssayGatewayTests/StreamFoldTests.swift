@testable import AssayGateway
import AssayCore
import Testing

@Suite("Streams folded back into responses")
struct StreamFoldTests {
    static let chat = #"{"model":"m","messages":[{"role":"system","content":"be brief"},{"role":"user","content":"what is the capital of France"}],"stream":true,"stream_options":{"include_usage":true}}"#
    static let chatTools = #"{"model":"m","messages":[{"role":"user","content":"look it up"}],"tools":[{"type":"function","function":{"name":"lookup","parameters":{}}}],"stream":true,"stream_options":{"include_usage":true}}"#
    static let responses = #"{"model":"m","input":"hello there","instructions":"be kind","stream":true}"#
    static let messages = #"{"model":"m","max_tokens":100,"system":"be brief","messages":[{"role":"user","content":"hi"}],"stream":true}"#
    static let messagesTools = #"{"model":"m","max_tokens":100,"messages":[{"role":"user","content":"find it"}],"tools":[{"name":"lookup","input_schema":{}}],"stream":true}"#

    /// Feeds a stream's bytes in pieces cut at seeded random places.
    static func fold(_ api: ProviderAPI, _ events: [[UInt8]], seed: UInt64) -> StreamFold {
        var bytes: [UInt8] = []
        for e in events { bytes += e }
        var rng = SplitMix64(seed: seed)
        var parser = ServerSentEvents()
        var fold = StreamFold(api)
        var i = 0
        while i < bytes.count {
            let n = 1 + Int(rng.next() % 40)
            for e in parser.feed(bytes[i..<min(bytes.count, i + n)]) { fold.add(e) }
            i += n
        }
        if let rest = parser.finish() { fold.add(rest) }
        return fold
    }

    @Test("a simulated stream cut anywhere folds into the same messages, finish reasons and usage as the whole response",
          arguments: [(ProviderAPI.chatCompletions, chat), (.chatCompletions, chatTools), (.responses, responses), (.messages, messages), (.messages, messagesTools)])
    func foldMatchesWholeResponse(api: ProviderAPI, request: String) throws {
        let json = try JSONValue.parse(request)
        let body = SimulatedProvider.respond(api, model: "sim-mid", request: json)
        var whole = CallSummary()
        whole.readResponse(api, body)
        for seed in UInt64(1)...20 {
            let fold = Self.fold(api, SimulatedProvider.stream(api, body: body, includeUsage: true), seed: seed)
            var streamed = CallSummary()
            streamed.readResponse(api, fold.body)
            #expect(streamed.outputMessages.map(\.compactJSON) == whole.outputMessages.map(\.compactJSON), "seed \(seed)")
            #expect(streamed.finishReasons == whole.finishReasons)
            #expect(streamed.usage == whole.usage)
            #expect(streamed.responseModel == "sim-mid")
            #expect(fold.error == nil)
        }
        #expect(whole.usage.reported && whole.usage.inputTokens > 0 && whole.usage.outputTokens > 0)
    }

    @Test("a stream's events are split at blank lines whatever the line endings, with their event names and data")
    func eventsSplitAtBlankLines() {
        var parser = ServerSentEvents()
        let text = "event: a\r\ndata: {\"x\":1}\r\n\r\ndata: one\ndata: two\n\n: comment\n\ndata: [DONE]\n\n"
        let events = parser.feed(Array(text.utf8))
        #expect(events.map(\.name) == ["a", nil, nil, nil])
        #expect(events.map(\.data) == ["{\"x\":1}", "one\ntwo", "", "[DONE]"])
        #expect(events.reduce(0) { $0 + $1.raw.count } == text.utf8.count, "the raw bytes are kept for replay")
        #expect(parser.finish() == nil)
    }

    @Test("an error event in a stream is kept as the call's error")
    func errorEventKept() throws {
        var fold = StreamFold(.messages)
        var parser = ServerSentEvents()
        let text = "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n"
        for e in parser.feed(Array(text.utf8)) { fold.add(e) }
        #expect(fold.error?["type"]?.string == "overloaded_error")
    }
}
