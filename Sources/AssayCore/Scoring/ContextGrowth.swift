/// How an agent's context grows over its LLM calls: the largest input token count and the largest
/// step from one call to the next. Long contexts degrade answers, so a budget on both catches agents
/// that keep appending to their prompt.
public struct ContextGrowth: Sendable, Hashable {
    /// The input token counts of the calls, in start order.
    public let inputTokens: [Int64]

    /// Creates the measures for input token counts in call order.
    public init(inputTokens: [Int64]) { self.inputTokens = inputTokens }

    /// The largest input token count; 0 without calls.
    public var maxInputTokens: Int64 { inputTokens.max() ?? 0 }

    /// The largest increase from one call to the next; 0 with fewer than two calls or no increase.
    public var maxGrowth: Int64 {
        zip(inputTokens, inputTokens.dropFirst()).map { $1 - $0 }.max().map { max($0, 0) } ?? 0
    }

    /// The largest ratio of a call's input tokens to the previous call's (previous counts of 0 are
    /// skipped); 1 with fewer than two calls.
    public var maxGrowthRatio: Double {
        zip(inputTokens, inputTokens.dropFirst()).filter { $0.0 > 0 }.map { Double($1) / Double($0) }.max() ?? 1
    }
}

/// `context_growth`: over the chat spans in scope, in start order, the largest input token count is
/// at most `max_input_tokens`, and (when given) the largest call-to-call growth is at most
/// `max_growth` tokens and `max_growth_ratio` times. At least one limit is required.
struct ContextGrowthRule: ScoringRule {
    static let parameters: Set<String> = ["max_input_tokens", "max_growth", "max_growth_ratio", "scope"]
    let maxInputTokens: Int?
    let maxGrowth: Int?
    let maxGrowthRatio: Double?
    let scope: SpanScope

    init(_ p: ScorerParameters) throws(AssayError) {
        try p.only(Self.parameters)
        maxInputTokens = try p.integer("max_input_tokens", minimum: 0)
        maxGrowth = try p.integer("max_growth", minimum: 0)
        maxGrowthRatio = try p.number("max_growth_ratio", minimum: 0)
        scope = try p.choice("scope", default: .trace)
        if maxInputTokens == nil, maxGrowth == nil, maxGrowthRatio == nil {
            throw p.error("max_input_tokens", "required (or max_growth, max_growth_ratio)")
        }
    }

    func evaluate(_ input: ScorerInput) throws(UnscoredReason) -> Evaluation {
        let spans = input.spans(in: scope)
        if spans.isEmpty { throw .noSpanMatched }
        let calls = spans.filter { $0.summary.operation == .chat }.sorted { $0.span.startTimeUnixNano < $1.span.startTimeUnixNano }
        if calls.isEmpty { throw .notObserved("any LLM calls") }
        let counts = calls.compactMap(\.summary.inputTokens)
        if counts.isEmpty { throw .notObserved("input token counts") }
        let g = ContextGrowth(inputTokens: counts)
        var over: [String] = []
        if let limit = maxInputTokens, g.maxInputTokens > Int64(limit) { over.append("largest input \(g.maxInputTokens) > \(limit) tokens") }
        if let limit = maxGrowth, g.maxGrowth > Int64(limit) { over.append("growth \(g.maxGrowth) > \(limit) tokens") }
        if let limit = maxGrowthRatio, g.maxGrowthRatio > limit { over.append("growth ×\(String(format4: g.maxGrowthRatio)) > ×\(limit.formatted)") }
        let summary = "largest input \(g.maxInputTokens) tokens over \(counts.count) calls, largest growth \(g.maxGrowth) tokens (×\(String(format4: g.maxGrowthRatio)))"
        return Evaluation(value: over.isEmpty ? 1 : 0, passed: over.isEmpty, explanation: over.isEmpty ? summary : over.joined(separator: "; "),
                          metrics: [ScoreMetric("max_input_tokens", Double(g.maxInputTokens)), ScoreMetric("max_growth", Double(g.maxGrowth)),
                                    ScoreMetric("max_growth_ratio", g.maxGrowthRatio), ScoreMetric("llm_calls", Double(counts.count))])
    }
}
