@testable import AssayCore
@testable import AssayEval
import Testing

@Suite("Embedding similarity against a loopback server")
struct EmbeddingSimilarityScorerTests {
    @Test("identical vectors score 1, and the result is cached")
    func identical() async throws {
        try await OpenAIStub.run { stub in
            let harness = JudgeHarness()
            let first = try await harness.embedding(stub.baseURL, model: "embed-same").score(parisInput)
            #expect(first.outcome == .scored(value: 1, passed: true))
            #expect(first.threshold == 0.8)
            let again = try await harness.embedding(stub.baseURL, model: "embed-same").score(parisInput)
            #expect(again.outcome == first.outcome)
            #expect(again.metadata["judge_cache"] == "hit")
            #expect(try await stub.requests("embed-same").count == 1)
            let span = try #require(try harness.spans().first).span
            #expect(span.name == "embeddings embed-same")
            #expect(span.attributes[key: "gen_ai.operation.name"] == .string("embeddings"))
            #expect(span.attributes[key: "gen_ai.usage.input_tokens"] == .int(10))
        }
    }

    @Test("orthogonal and opposite vectors score 0; the raw cosine is a metric",
          arguments: [("embed-ortho", 0.0), ("embed-opposite", -1.0)])
    func dissimilar(model: String, cosine: Double) async throws {
        try await OpenAIStub.run { stub in
            let score = try await JudgeHarness().embedding(stub.baseURL, model: model).score(parisInput)
            #expect(score.outcome == .scored(value: 0, passed: false))
            #expect(score.metric("cosine") == cosine)
        }
    }

    @Test("an example without an expected value is unscored without a call")
    func needsExpected() async throws {
        let harness = JudgeHarness()
        let score = try await harness.embedding("http://127.0.0.1:1/v1", model: "embed-same").score(ScorerInput(observed: .string("Paris")))
        #expect(score.outcome == .unscored(.missingExpected))
        #expect(try harness.spans().isEmpty)
    }

    @Test("malformed embeddings (lengths differ, one missing, all zeros) are unscored and not cached", arguments: [
        #"{"data":[{"embedding":[1,0]},{"embedding":[1,0,0]}]}"#,
        #"{"data":[{"embedding":[1,0]}]}"#,
        #"{"data":[{"embedding":[0,0]},{"embedding":[1,0]}]}"#,
    ])
    func badVectors(body: String) async throws {
        let transport = ScriptedTransport([.success(JudgeHTTPResponse(status: 200, body: Array(body.utf8)))])
        let harness = JudgeHarness()
        let parameters = JSONValue.object([("base_url", .string("http://embed.invalid/v1")), ("model", .string("e"))])
        let scorer = try EmbeddingSimilarityScorer.make(parameters: parameters, threshold: nil, name: nil, context: harness.context(transport: transport))
        let score = await scorer.score(parisInput)
        #expect(score.value == nil)
        #expect(score.explanation.contains("the embeddings response was malformed"))
        #expect(harness.cacheFiles().isEmpty)
    }
}
