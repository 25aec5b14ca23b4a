@testable import AssayCore
import AssayOTLP
@testable import AssayEval
import Foundation
import Testing

@Suite("Recording the judge's calls")
struct JudgeRecordingTests {
    @Test("a judge call is recorded as a GenAI chat span with token usage")
    func chatSpan() async throws {
        try await OpenAIStub.run { stub in
            let harness = JudgeHarness()
            _ = try await harness.judge(stub.baseURL, model: "ok-0.8", [("temperature", .num(0.2))]).score(parisInput)
            let stored = try #require(try harness.spans().first)
            let a = stored.span.attributes
            #expect(stored.span.name == "chat ok-0.8")
            #expect(stored.span.kind == .client)
            #expect(stored.span.status.code == .unset)
            #expect(stored.resource.serviceName == "assay-judge")
            #expect(a[key: "gen_ai.operation.name"] == .string("chat"))
            #expect(a[key: "gen_ai.provider.name"] == .string("openai"))
            #expect(a[key: "gen_ai.request.model"] == .string("ok-0.8"))
            #expect(a[key: "gen_ai.response.model"] == .string("ok-0.8-2025"))
            #expect(a[key: "gen_ai.request.temperature"] == .double(0.2))
            #expect(a[key: "gen_ai.request.max_tokens"] == .int(512))
            #expect(a[key: "gen_ai.usage.input_tokens"] == .int(42))
            #expect(a[key: "gen_ai.usage.output_tokens"] == .int(7))
            #expect(a[key: "assay.judge.scorer"] == .string("capital"))
            #expect(a[key: "server.port"] == .int(Int64(stub.port)))
            #expect(a[key: "http.response.status_code"] == .int(200))
            let input = try JSONValue.parse(try #require(a[key: "gen_ai.input.messages"]?.stringValue))
            #expect(input.elements?.map { $0["role"]?.string } == ["system", "user"])
            #expect(input.elements?[1]["parts"]?.elements?[0]["content"]?.string?.contains("<observed_output>\nParis\n</observed_output>") == true)
            let output = try JSONValue.parse(try #require(a[key: "gen_ai.output.messages"]?.stringValue))
            #expect(output.elements?[0]["finish_reason"]?.string == "stop")
            #expect(stored.summary.inputTokens == 42)
        }
    }

    @Test("failed attempts are recorded with status error and error.type")
    func failedAttempts() async throws {
        try await OpenAIStub.run { stub in
            let harness = JudgeHarness()
            _ = try await harness.judge(stub.baseURL, model: "flaky-500-1").score(parisInput)
            let spans = try harness.spans()
            #expect(spans.map(\.span.status.code) == [.error, .unset])
            #expect(spans.map { $0.span.attributes[key: "error.type"] } == [.string("500"), nil])
            #expect(spans.map { $0.span.attributes[key: "assay.judge.attempt"] } == [.int(1), .int(2)])
            #expect(Set(spans.map(\.span.traceID)).count == 2, "each call is its own trace")
        }
    }

    @Test("a malformed verdict is recorded as an error span")
    func malformedSpan() async throws {
        try await OpenAIStub.run { stub in
            let harness = JudgeHarness()
            _ = try await harness.judge(stub.baseURL, model: "wrong-keys").score(parisInput)
            let span = try #require(try harness.spans().first).span
            #expect(span.status.code == .error)
            #expect(span.attributes[key: "error.type"] == .string("malformed_verdict"))
        }
    }

    @Test("the key appears in no score, cache file or recorded span")
    func keyNeverLeaks() async throws {
        try await OpenAIStub.run { stub in
            let harness = JudgeHarness()
            var scores: [Score] = []
            for (model, extra) in [("ok-0.8", []), ("fence", []), ("malformed", []), ("always-503", [("max_retries", JSONValue.num(1))]),
                                   ("bad-request", []), ("flaky-429-1", [])] as [(String, [(String, JSONValue)])] {
                let judge = try harness.judge(stub.baseURL, model: model, extra)
                scores.append(await judge.score(parisInput))
                scores.append(await judge.score(parisInput))
            }
            scores.append(try await harness.embedding(stub.baseURL, model: "embed-same").score(parisInput))
            #expect(try await stub.requests("ok-0.8").authorization == "Bearer \(sentinelKey)", "the key was sent")
            var texts = scores.flatMap { [$0.explanation, $0.parameters, $0.outcome.reasonText] + $0.metadata.map { $0.key + $0.value } }
            texts += harness.cacheFiles()
            let spans = try harness.spans()
            #expect(spans.count >= 10)
            for stored in spans {
                texts += [stored.span.name, stored.span.status.message] + stored.span.attributes.map { $0.key + $0.value.displayText }
                texts += stored.resource.attributes.map(\.value.displayText)
                texts.append(String(decoding: OTLPProtoEncoder.encode(stored.span), as: UTF8.self))
            }
            #expect(!harness.cacheFiles().isEmpty)
            #expect(texts.allSatisfy { !$0.contains(sentinelKey) && !$0.contains("SENTINEL") })
            #expect(texts.allSatisfy { !$0.lowercased().contains("authorization") && !$0.contains("Bearer") })
        }
    }

    @Test("a key echoed by the server is redacted before it is parsed, shown or cached")
    func echoedKeyIsRedacted() async throws {
        let echo = ScriptedTransport([.success(ScriptedTransport.chat(#"{"score": 1, "reason": "your key is \#(sentinelKey)"}"#))])
        let harness = JudgeHarness()
        let parameters = JSONValue.object([("base_url", .string("http://judge.invalid/v1")), ("model", .string("m")),
                                           ("api_key_env", .string(keyVariable)), ("rubric", .string("r"))])
        let score = try await LLMJudgeScorer.make(parameters: parameters, threshold: nil, name: nil,
                                                  context: harness.context(transport: echo)).score(parisInput)
        #expect(score.explanation == #"the judge scored 1: "your key is [REDACTED]""#)
        #expect(harness.cacheFiles().allSatisfy { !$0.contains(sentinelKey) })
        #expect(try harness.spans().allSatisfy { !($0.span.attributes[key: "gen_ai.output.messages"]?.displayText.contains(sentinelKey) ?? true) })
    }
}

extension ScoreOutcome {
    /// The unscored reason's sentence, or "".
    var reasonText: String {
        if case .unscored(let reason) = self { return reason.description }
        return ""
    }
}
