package import AssayCore

/// Embedding similarity (kind `embedding_similarity`): embeds the observed output and the expected
/// value through an OpenAI-compatible `/embeddings` endpoint and scores their cosine similarity.
///
/// Parameters are the endpoint's (`base_url`, `model`, `api_key_env`, `provider`, `timeout_seconds`,
/// `max_retries`; see `JudgeEndpoint`). The value is the raw cosine clamped to 0…1 (opposite and
/// orthogonal texts both score 0), recorded unclamped as the `cosine` metric; the threshold defaults
/// to 0.8. Needs an expected value. Results are cached in `JudgeCache` keyed by the URL, model and
/// both texts; each HTTP call is recorded as an `embeddings` span.
package struct EmbeddingSimilarityScorer: Scorer {
    package let name: String
    package var kind: ScorerKind { .embeddingSimilarity }
    package let parametersJSON: String
    package let threshold: Double
    /// Where to call.
    package let endpoint: JudgeEndpoint
    let context: JudgeContext

    /// Makes the scorer, checking its parameters.
    /// - Throws: `AssayError` naming the bad parameter.
    package static func make(parameters: JSONValue, threshold: Double?, name: String?, context: JudgeContext) throws(AssayError) -> EmbeddingSimilarityScorer {
        let kind = "embedding_similarity"
        let p = try ScorerParameters(kind: kind, value: parameters)
        try p.only(JudgeEndpoint.parameterNames)
        return EmbeddingSimilarityScorer(
            name: name ?? kind, parametersJSON: parameters.isNull ? "{}" : parameters.canonicalJSON,
            threshold: try ScorerParameters.threshold(threshold, kind: kind, default: 0.8),
            endpoint: try JudgeEndpoint(p), context: context)
    }

    package func score(_ input: ScorerInput) async -> Score {
        do throws(UnscoredReason) {
            let observed = try input.judgeObservedText()
            guard let expected = input.expected else { throw UnscoredReason.missingExpected }
            let body = JSONValue.object([("model", .string(endpoint.model)), ("input", .array([.string(observed), .string(expected.text)]))])
            let cache = JudgeCache(folder: context.cacheFolder)
            let key = JudgeCache.key(.object([("kind", .string(kind.name)), ("url", .string(endpoint.baseURL + "/embeddings")),
                                              ("model", .string(endpoint.model)), ("input", body["input"]!)]))
            if let cached = cache.verdict(forKey: key, kind: kind.name)?["cosine"]?.double, (-1.0001...1.0001).contains(cached) {
                return scored(cosine: cached, cacheHit: true)
            }
            let cosine = try await embedAndCompare(body)
            var score = scored(cosine: cosine, cacheHit: false)
            do { try cache.store(.object([("cosine", .number(String(cosine)))]), forKey: key, kind: kind.name, model: endpoint.model) } catch {
                score.metadata["judge_cache_error"] = "could not write \(cache.path(forKey: key))"
            }
            return score
        } catch {
            return Score(scorer: name, kind: kind, parameters: parametersJSON, threshold: threshold,
                         outcome: .unscored(error), explanation: error.description)
        }
    }

    /// Calls the endpoint, records the call, and returns the cosine of the two embeddings.
    private func embedAndCompare(_ body: JSONValue) async throws(UnscoredReason) -> Double {
        let template = JudgeCall(operation: .embeddings, scorer: name, provider: endpoint.provider,
                                 url: endpoint.baseURL + "/embeddings", requestModel: endpoint.model)
        let exchange = try await JudgeClient(endpoint: endpoint, context: context).post("embeddings", body: body, call: template)
        var call = exchange.call
        call.responseModel = exchange.body["model"]?.string
        call.inputTokens = exchange.body["usage"]?["prompt_tokens"]?.double.map { Int($0) }
        do throws(EvalError) {
            let vectors = try Self.vectors(exchange.body)
            guard let cosine = Self.cosine(vectors[0], vectors[1]) else { throw EvalError.malformedAnswer("an embedding is all zeros") }
            await context.recorder?.record(call)
            return cosine
        } catch {
            call.errorType = "invalid_response"
            call.errorMessage = error.problem
            await context.recorder?.record(call)
            throw .scorerFailed("the embeddings response was malformed: \(error.problem)")
        }
    }

    /// The two embeddings from `data`, ordered by `index` when given.
    static func vectors(_ response: JSONValue) throws(EvalError) -> [[Double]] {
        guard let data = response["data"]?.elements, data.count == 2 else {
            throw EvalError.malformedAnswer("expected data with 2 embeddings, got \(response["data"]?.elements?.count ?? 0)")
        }
        var byIndex: [(Int, [Double])] = []
        for (position, item) in data.enumerated() {
            guard let values = item["embedding"]?.elements, !values.isEmpty else { throw EvalError.malformedAnswer("data[\(position)].embedding is not a list of numbers") }
            let vector = values.compactMap(\.double)
            guard vector.count == values.count else { throw EvalError.malformedAnswer("data[\(position)].embedding holds a value that is not a finite number") }
            byIndex.append((item["index"]?.double.map { Int($0) } ?? position, vector))
        }
        let vectors = byIndex.sorted { $0.0 < $1.0 }.map(\.1)
        guard vectors[0].count == vectors[1].count else {
            throw EvalError.malformedAnswer("the embeddings differ in length (\(vectors[0].count) and \(vectors[1].count))")
        }
        return vectors
    }

    /// Cosine similarity; nil when a vector has zero length.
    static func cosine(_ a: [Double], _ b: [Double]) -> Double? {
        var dot = 0.0, na = 0.0, nb = 0.0
        for (x, y) in zip(a, b) { dot += x * y; na += x * x; nb += y * y }
        guard na > 0, nb > 0 else { return nil }
        return max(-1, min(1, dot / (na.squareRoot() * nb.squareRoot())))
    }

    private func scored(cosine: Double, cacheHit: Bool) -> Score {
        let value = max(0, min(1, cosine))
        return Score(scorer: name, kind: kind, parameters: parametersJSON, threshold: threshold,
                     outcome: .scored(value: value, passed: value >= threshold),
                     explanation: "cosine similarity \((cosine * 10_000).rounded() / 10_000) between the observed and expected texts",
                     metrics: [ScoreMetric("cosine", cosine)],
                     metadata: ["judge_model": endpoint.model, "judge_cache": cacheHit ? "hit" : "miss"])
    }
}
