package import AssayCore
import Foundation

/// LLM-as-judge (kind `llm_judge`): asks a model behind an OpenAI-compatible Chat Completions endpoint
/// to grade the observed output against a rubric, and scores its structured verdict.
///
/// | parameter | default | meaning |
/// |---|---|---|
/// | `base_url`, `model`, `api_key_env`, `provider`, `timeout_seconds`, `max_retries` | see `JudgeEndpoint` | where to call |
/// | `rubric` | required | what a good output is |
/// | `scale` | `score` | `score` (a number 0…1) or `pass_fail` (1 or 0) |
/// | `temperature` | 0 | 0 to 2 |
/// | `max_tokens` | 512 | 1 to 100000 |
/// | `include_expected` | true | send the expected value (when the example has one) |
///
/// The threshold defaults to 0.5 for `score` and 1 for `pass_fail`. The request asks for
/// `response_format: {"type": "json_object"}`; a verdict that is not exactly
/// `{"score": 0…1, "reason": "…"}` (or `{"pass": bool, "reason": "…"}`) is unscored and not cached.
/// Without an expected value the user message holds only the observed output (a rubric-only judge).
/// Well-formed verdicts are cached in `JudgeCache`: a hit makes no call and gives the same score
/// (metadata `judge_cache` is `hit`). Every HTTP call is given to the context's recorder; cache hits
/// are not recorded. The key is read from the environment at call time and never appears in a
/// score, a cache file or a recorded call.
///
/// ```swift
/// let judge = try LLMJudgeScorer.make(parameters: JSONValue.parse(#"""
///     {"base_url": "https://api.openai.com/v1", "model": "gpt-4o-mini", "api_key_env": "OPENAI_API_KEY",
///      "rubric": "The answer names the capital and nothing else."}
///     """#), threshold: nil, name: "capital", context: JudgeContext())
/// ```
package struct LLMJudgeScorer: Scorer {
    package let name: String
    package var kind: ScorerKind { .llmJudge }
    package let parametersJSON: String
    package let threshold: Double
    /// Where to call.
    package let endpoint: JudgeEndpoint
    let rubric: String
    let scale: JudgeScale
    let temperature: Double
    let maxTokens: Int
    let includeExpected: Bool
    let context: JudgeContext

    /// Makes a judge, checking its parameters (see the table above).
    /// - Throws: `AssayError` naming the bad parameter.
    package static func make(parameters: JSONValue, threshold: Double?, name: String?, context: JudgeContext) throws(AssayError) -> LLMJudgeScorer {
        let kind = "llm_judge"
        let p = try ScorerParameters(kind: kind, value: parameters)
        try p.only(JudgeEndpoint.parameterNames.union(["rubric", "scale", "temperature", "max_tokens", "include_expected"]))
        let endpoint = try JudgeEndpoint(p)
        let scale = try p.choice("scale", default: JudgeScale.score)
        return LLMJudgeScorer(
            name: name ?? kind, parametersJSON: parameters.isNull ? "{}" : parameters.canonicalJSON,
            threshold: try ScorerParameters.threshold(threshold, kind: kind, default: scale == .score ? 0.5 : 1),
            endpoint: endpoint, rubric: try p.requiredString("rubric"), scale: scale,
            temperature: try p.number("temperature", in: 0...2, default: 0),
            maxTokens: try p.integer("max_tokens", in: 1...100_000, default: 512),
            includeExpected: try p.bool("include_expected", default: true), context: context)
    }

    package func score(_ input: ScorerInput) async -> Score {
        do {
            let observed = try input.judgeObservedText()
            let expected = includeExpected ? input.expected.map(\.text) : nil
            let messages = JudgePrompt.messages(rubric: rubric, scale: scale, observed: observed, expected: expected)
            let body = requestBody(messages)
            let cache = JudgeCache(folder: context.cacheFolder)
            let key = JudgeCache.key(.object([("kind", .string(kind.name)), ("url", .string(endpoint.baseURL + "/chat/completions")),
                                              ("scale", .string(scale.rawValue))] + body.members!.map { ($0.key, $0.value) }))
            if let cached = cache.verdict(forKey: key, kind: kind.name), let members = cached.members,
               let verdict = try? JudgeVerdict.parse(members, scale: scale) {
                return scored(verdict, cacheHit: true)
            }
            let verdict = try await ask(body, messages: messages)
            var score = scored(verdict, cacheHit: false)
            do { try cache.store(verdict.json, forKey: key, kind: kind.name, model: endpoint.model) } catch {
                score.metadata["judge_cache_error"] = "could not write \(cache.path(forKey: key))"
            }
            return score
        } catch {
            return Score(scorer: name, kind: kind, parameters: parametersJSON, threshold: threshold,
                         outcome: .unscored(error), explanation: error.description)
        }
    }

    /// The Chat Completions request body (also the cache key's material, with the URL and scale).
    private func requestBody(_ messages: [JSONValue]) -> JSONValue {
        .object([("model", .string(endpoint.model)), ("messages", .array(messages)),
                 ("temperature", .number(String(temperature))), ("max_tokens", .number(String(maxTokens))),
                 ("response_format", .object([("type", .string("json_object"))]))])
    }

    /// Calls the endpoint, records the successful call, and parses the verdict.
    private func ask(_ body: JSONValue, messages: [JSONValue]) async throws(UnscoredReason) -> JudgeVerdict {
        var template = JudgeCall(operation: .chat, scorer: name, provider: endpoint.provider,
                                 url: endpoint.baseURL + "/chat/completions", requestModel: endpoint.model)
        template.temperature = temperature
        template.maxTokens = maxTokens
        template.inputMessagesJSON = JudgePrompt.genAIMessages(messages.map { ($0["role"]?.string ?? "", $0["content"]?.string ?? "") })
        let exchange = try await JudgeClient(endpoint: endpoint, context: context).post("chat/completions", body: body, call: template)
        let response = exchange.body
        var call = exchange.call
        call.responseModel = response["model"]?.string
        call.responseID = response["id"]?.string
        call.inputTokens = response["usage"]?["prompt_tokens"]?.double.map { Int($0) }
        call.outputTokens = response["usage"]?["completion_tokens"]?.double.map { Int($0) }
        let choice = response["choices"]?.elements?.first
        call.finishReasons = choice?["finish_reason"]?.string.map { [$0] } ?? []
        guard let content = choice?["message"]?["content"]?.string else {
            call.errorType = "invalid_response"
            call.errorMessage = "no choices[0].message.content"
            await context.recorder?.record(call)
            throw .scorerFailed("the judge's response had no choices[0].message.content text")
        }
        call.outputMessagesJSON = JudgePrompt.genAIMessages([("assistant", content)], finishReason: call.finishReasons.first)
        do {
            let verdict = try JudgeVerdict.parse(content: content, scale: scale)
            await context.recorder?.record(call)
            return verdict
        } catch {
            call.errorType = "malformed_verdict"
            call.errorMessage = error.problem
            await context.recorder?.record(call)
            throw error.unscoredReason
        }
    }

    private func scored(_ verdict: JudgeVerdict, cacheHit: Bool) -> Score {
        let passed = verdict.value >= threshold
        let what = scale == .score ? "scored \(verdict.value.judgeText)" : (verdict.value == 1 ? "passed it" : "failed it")
        return Score(scorer: name, kind: kind, parameters: parametersJSON, threshold: threshold,
                     outcome: .scored(value: verdict.value, passed: passed),
                     explanation: "the judge \(what): \(JudgeText.quote(verdict.reason))",
                     metrics: [ScoreMetric("judge_value", verdict.value)],
                     metadata: ["judge_model": endpoint.model, "judge_reason": String(verdict.reason.prefix(1000)),
                                "judge_cache": cacheHit ? "hit" : "miss"])
    }
}
