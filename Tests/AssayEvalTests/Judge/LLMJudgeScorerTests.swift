@testable import AssayCore
@testable import AssayEval
import Foundation
import Testing

@Suite("LLM judge against a loopback server")
struct LLMJudgeScorerTests {
    @Test("a well-formed verdict scores its number and sends the key as a bearer token")
    func goodVerdict() async throws {
        try await OpenAIStub.run { stub in
            let harness = JudgeHarness()
            let score = try await harness.judge(stub.baseURL, model: "ok-0.8").score(parisInput)
            #expect(score.outcome == .scored(value: 0.8, passed: true))
            #expect(score.threshold == 0.5)
            #expect(score.explanation == #"the judge scored 0.8: "The answer matches the rubric.""#)
            #expect(score.metadata["judge_cache"] == "miss")
            #expect(score.kind == .llmJudge && score.scorer == "capital")
            let requests = try await stub.requests("ok-0.8")
            #expect(requests.count == 1)
            #expect(requests.authorization == "Bearer \(sentinelKey)")
        }
    }

    @Test("a score below the threshold fails")
    func belowThreshold() async throws {
        try await OpenAIStub.run { stub in
            let score = try await JudgeHarness().judge(stub.baseURL, model: "ok-0.3").score(parisInput)
            #expect(score.outcome == .scored(value: 0.3, passed: false))
        }
    }

    @Test("pass_fail verdicts score 1 or 0 against a threshold of 1", arguments: [("pass-true", 1.0), ("pass-false", 0.0)])
    func passFail(model: String, value: Double) async throws {
        try await OpenAIStub.run { stub in
            let score = try await JudgeHarness().judge(stub.baseURL, model: model, [("scale", .string("pass_fail"))]).score(parisInput)
            #expect(score.threshold == 1)
            #expect(score.outcome == .scored(value: value, passed: value == 1))
        }
    }

    @Test("a verdict in a json code fence is accepted")
    func fencedVerdict() async throws {
        try await OpenAIStub.run { stub in
            let score = try await JudgeHarness().judge(stub.baseURL, model: "fence").score(parisInput)
            #expect(score.value == 0.7)
        }
    }

    @Test("429 and 5xx answers are retried with backoff, then the verdict scores", arguments: ["flaky-429-2", "flaky-500-2"])
    func retries(model: String) async throws {
        try await OpenAIStub.run { stub in
            let harness = JudgeHarness()
            let score = try await harness.judge(stub.baseURL, model: model).score(parisInput)
            #expect(score.value == 0.9)
            #expect(try await stub.requests(model).count == 3)
            let sleeps = harness.requestedSleeps
            #expect(sleeps.count == 2)
            if model.contains("429") {
                #expect(sleeps == [.seconds(1), .seconds(1)], "Retry-After: 1 is honoured")
            } else {
                #expect(sleeps[0] >= .milliseconds(250) && sleeps[0] <= .milliseconds(500))
                #expect(sleeps[1] >= .milliseconds(500) && sleeps[1] <= .milliseconds(1000))
            }
        }
    }

    @Test("after max_retries the score is unscored with the status and the attempts")
    func givesUp() async throws {
        try await OpenAIStub.run { stub in
            let score = try await JudgeHarness().judge(stub.baseURL, model: "always-503", [("max_retries", .num(2))]).score(parisInput)
            #expect(score.outcome == .unscored(.scorerFailed("the endpoint answered HTTP 503 (3 attempts)")))
            #expect(try await stub.requests("always-503").count == 3)
        }
    }

    @Test("a 400 is not retried")
    func clientErrorNotRetried() async throws {
        try await OpenAIStub.run { stub in
            let harness = JudgeHarness()
            let score = try await harness.judge(stub.baseURL, model: "bad-request").score(parisInput)
            #expect(score.outcome == .unscored(.scorerFailed(#"the endpoint answered HTTP 400: "stub failure""#)))
            #expect(try await stub.requests("bad-request").count == 1)
            #expect(harness.requestedSleeps.isEmpty)
        }
    }

    @Test("malformed verdicts are unscored and not cached", arguments: [
        ("malformed", #"expected a JSON object, got "I think this answer is quite good, maybe 8/10.""#),
        ("wrong-keys", #"expected exactly the keys score and reason, got "grade", "reason""#),
        ("out-of-range", "score must be from 0 to 1, got 1.5"),
    ])
    func malformedVerdicts(model: String, message: String) async throws {
        try await OpenAIStub.run { stub in
            let harness = JudgeHarness()
            let judge = try harness.judge(stub.baseURL, model: model)
            let score = await judge.score(parisInput)
            #expect(score.outcome == .unscored(.scorerFailed("the judge's verdict was malformed: \(message)")))
            #expect(harness.cacheFiles().isEmpty)
            _ = await judge.score(parisInput)
            #expect(try await stub.requests(model).count == 2, "nothing was cached, so the judge is asked again")
        }
    }

    @Test("a judge slower than the timeout is unscored within about the timeout")
    func timeout() async throws {
        try await OpenAIStub.run { stub in
            let judge = try JudgeHarness().judge(stub.baseURL, model: "slow", [("timeout_seconds", .num(0.5)), ("max_retries", .num(0))])
            // The stub would answer after 20 s with a score: an unscored timeout shows the limit worked
            // (no wall-clock bound: a loaded CI machine may be slow to resume the task).
            let score = await judge.score(parisInput)
            #expect(score.outcome == .unscored(.scorerFailed("the judge did not answer within 0.5 s (1 attempt)")))
        }
    }

    @Test("a missing key variable is unscored, naming the variable, and nothing is sent")
    func missingKey() async throws {
        try await OpenAIStub.run { stub in
            let score = try await JudgeHarness().judge(stub.baseURL, model: "ok-0.8", environment: [:]).score(parisInput)
            #expect(score.outcome == .unscored(.scorerFailed("the environment variable \(keyVariable) (api_key_env) is not set")))
            #expect(try await stub.requests("ok-0.8").count == 0)
        }
    }

    @Test("without api_key_env no Authorization header is sent")
    func noKey() async throws {
        try await OpenAIStub.run { stub in
            let parameters = JSONValue.object([("base_url", .string(stub.baseURL)), ("model", .string("ok-0.6")), ("rubric", .string("Correct."))])
            let judge = try LLMJudgeScorer.make(parameters: parameters, threshold: nil, name: nil, context: JudgeHarness().context())
            #expect(await judge.score(parisInput).value == 0.6)
            #expect(try await stub.requests("ok-0.6").authorization == nil)
        }
    }
}

@Suite("LLM judge without a server")
struct LLMJudgeOfflineTests {
    @Test("connection failures are retried, then reported")
    func connectionRefused() async throws {
        let harness = JudgeHarness()
        let score = try await harness.judge("http://127.0.0.1:1/v1", model: "ok-0.8", [("max_retries", .num(2))]).score(parisInput)
        #expect(score.outcome == .unscored(.scorerFailed("could not reach http://127.0.0.1:1/v1 (connection refused) (3 attempts)")))
        #expect(harness.requestedSleeps.count == 2)
    }

    @Test("an example with no observed output is unscored without a call")
    func nothingObserved() async throws {
        let harness = JudgeHarness()
        let score = try await harness.judge("http://127.0.0.1:1/v1", model: "ok-0.8").score(ScorerInput())
        #expect(score.outcome == .unscored(.noSpanMatched))
        #expect(try harness.spans().isEmpty)
    }

    @Test("an injected transport's timeout is retried like a connection failure")
    func injectedTimeout() async throws {
        let transport = ScriptedTransport([.failure(.judgeTimedOut), .success(ScriptedTransport.chat(#"{"score": 1, "reason": "ok"}"#))])
        let harness = JudgeHarness()
        let parameters = JSONValue.object([("base_url", .string("http://judge.invalid/v1")), ("model", .string("m")), ("rubric", .string("r"))])
        let judge = try LLMJudgeScorer.make(parameters: parameters, threshold: nil, name: nil, context: harness.context(transport: transport))
        #expect(await judge.score(parisInput).value == 1)
        #expect(transport.sent == 2)
        let spans = try harness.spans()
        #expect(spans.map { $0.span.attributes[key: "error.type"]?.stringValue } == ["timeout", nil])
    }
}
