/// `latency_budget`: the duration, from the earliest start to the latest end of the spans in scope
/// (the trace's own duration for `scope: trace` when the trace is known), is at most `max_ms`.
struct LatencyBudgetRule: ScoringRule {
    static let parameters: Set<String> = ["max_ms", "scope"]
    let maxNanos: UInt64
    let scope: SpanScope

    init(_ p: ScorerParameters) throws(AssayError) {
        try p.only(Self.parameters)
        guard let ms = try p.number("max_ms", minimum: 0, exclusive: true) else { throw p.error("max_ms", "required, in milliseconds") }
        guard ms < 1e12 else { throw p.error("max_ms", "expected at most 10^12 milliseconds") }
        maxNanos = UInt64(ms * 1_000_000)
        scope = try p.choice("scope", default: .trace)
    }

    func evaluate(_ input: ScorerInput) throws(UnscoredReason) -> Evaluation {
        let nanos: UInt64
        if scope == .trace, let trace = input.trace {
            nanos = trace.summary.durationNanos
        } else {
            let spans = input.spans(in: scope)
            guard let start = spans.map(\.span.startTimeUnixNano).min(), let end = spans.map(\.span.endTimeUnixNano).max() else { throw .noSpanMatched }
            nanos = end >= start ? end - start : 0
        }
        let ok = nanos <= maxNanos
        let ms = Double(nanos) / 1e6, budget = Double(maxNanos) / 1e6
        return Evaluation(value: ok ? 1 : 0, passed: ok, explanation: "took \(ms.formatted) ms, budget \(budget.formatted) ms",
                          metrics: [ScoreMetric("latency_ms", ms), ScoreMetric("max_ms", budget)])
    }
}

/// `token_budget`: tokens over the model calls (chat and embeddings spans) in scope are at most
/// `max_tokens`; `count` chooses total (default), input or output tokens.
struct TokenBudgetRule: ScoringRule {
    enum Count: String, Sendable, CaseIterable { case total, input, output }
    static let parameters: Set<String> = ["max_tokens", "count", "scope"]
    let maxTokens: Int
    let count: Count
    let scope: SpanScope

    init(_ p: ScorerParameters) throws(AssayError) {
        try p.only(Self.parameters)
        guard let n = try p.integer("max_tokens", minimum: 0) else { throw p.error("max_tokens", "required") }
        maxTokens = n
        count = try p.choice("count", default: .total)
        scope = try p.choice("scope", default: .trace)
    }

    func evaluate(_ input: ScorerInput) throws(UnscoredReason) -> Evaluation {
        let spans = input.spans(in: scope)
        if spans.isEmpty { throw .noSpanMatched }
        let calls = spans.filter { $0.summary.operation == .chat || $0.summary.operation == .embeddings }
        let counts = calls.compactMap { s -> Int64? in
            switch count {
            case .total: s.summary.totalTokens
            case .input: s.summary.inputTokens
            case .output: s.summary.outputTokens
            }
        }
        if counts.isEmpty && !calls.isEmpty { throw .notObserved("token counts") }
        // Each count is at most 10^12 (SpanSummary), so the sum cannot overflow.
        let used = counts.reduce(0, +)
        let ok = used <= Int64(maxTokens)
        return Evaluation(value: ok ? 1 : 0, passed: ok, explanation: "\(used) \(count.rawValue) tokens over \(calls.count) model calls, budget \(maxTokens)",
                          metrics: [ScoreMetric("tokens", Double(used)), ScoreMetric("max_tokens", Double(maxTokens)), ScoreMetric("model_calls", Double(calls.count))])
    }
}

/// `cost_budget`: the run's cost (`ScorerInput.costUSD`) is at most `max_usd`; unscored when unknown.
struct CostBudgetRule: ScoringRule {
    static let parameters: Set<String> = ["max_usd"]
    let maxUSD: Double

    init(_ p: ScorerParameters) throws(AssayError) {
        try p.only(Self.parameters)
        guard let usd = try p.number("max_usd", minimum: 0) else { throw p.error("max_usd", "required, in US dollars") }
        maxUSD = usd
    }

    func evaluate(_ input: ScorerInput) throws(UnscoredReason) -> Evaluation {
        guard let cost = input.costUSD, cost.isFinite else { throw .notObserved("a cost") }
        let ok = cost <= maxUSD
        return Evaluation(value: ok ? 1 : 0, passed: ok, explanation: "cost $\(String(format4: cost)), budget $\(String(format4: maxUSD))",
                          metrics: [ScoreMetric("cost_usd", cost), ScoreMetric("max_usd", maxUSD)])
    }
}

/// `no_error_spans`: no span in scope has status `error`. The explanation names the failed spans
/// (span names and error types only, never status messages or attribute text).
struct NoErrorSpansRule: ScoringRule {
    static let parameters: Set<String> = ["scope"]
    let scope: SpanScope

    init(_ p: ScorerParameters) throws(AssayError) {
        try p.only(Self.parameters)
        scope = try p.choice("scope", default: .trace)
    }

    func evaluate(_ input: ScorerInput) throws(UnscoredReason) -> Evaluation {
        let spans = input.spans(in: scope)
        if spans.isEmpty { throw .noSpanMatched }
        let failed = spans.filter { $0.span.status.code == .error }
        let names = failed.map { s in s.summary.errorType.map { "\(s.span.name) (\(String($0.prefix(40))))" } ?? s.span.name }
        return .verdict(failed.isEmpty, failed.isEmpty ? "none of the \(spans.count) spans failed"
            : "\(failed.count) of \(spans.count) spans failed: \(Quote.list(names))",
            metrics: [ScoreMetric("error_spans", Double(failed.count)), ScoreMetric("spans", Double(spans.count))])
    }
}
