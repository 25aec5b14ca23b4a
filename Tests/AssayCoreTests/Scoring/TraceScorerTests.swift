import Testing
@testable import AssayCore
import AssayTestSupport

struct TraceScorerTests {
    static let spans: [StoredSpan] = [
        .stub(id: 1, name: "agent", start: 0, end: 2_500_000_000),
        .chat(id: 2, start: 100, input: 1_000, output: 50),
        .chat(id: 3, start: 200, input: 4_000, output: 60),
        .tool("search", id: 4, start: 300, status: .error),
        .chat(id: 5, start: 400, input: 5_000, output: 70),
    ]
    static let input = ScorerInput(spans: [spans[1]], trace: .stub(spans))

    @Test("latency budget on the trace or on the selected spans")
    func latency() {
        let trace = BuiltinScorers.stub("latency_budget", #"{"max_ms": 2000}"#).evaluate(Self.input)
        #expect(trace.passed == false && trace.metric("latency_ms") == 2_500)
        let selected = BuiltinScorers.stub("latency_budget", #"{"max_ms": 2000, "scope": "spans"}"#).evaluate(Self.input)
        #expect(selected.passed == true && selected.metric("latency_ms") == 0.0005)
        #expect(BuiltinScorers.stub("latency_budget", #"{"max_ms": 1}"#).evaluate(ScorerInput()).outcome == .unscored(.noSpanMatched))
    }

    @Test("token budget sums model-call tokens")
    func tokens() {
        let s = BuiltinScorers.stub("token_budget", #"{"max_tokens": 10000}"#).evaluate(Self.input)
        #expect(s.passed == false && s.metric("tokens") == 10_180 && s.metric("model_calls") == 3)
        #expect(BuiltinScorers.stub("token_budget", #"{"max_tokens": 10000, "count": "input"}"#).evaluate(Self.input).passed == true)
        #expect(BuiltinScorers.stub("token_budget", #"{"max_tokens": 10179}"#).evaluate(Self.input).passed == false)
        let uncounted = ScorerInput(trace: .stub([.chat(id: 1, start: 1)]))
        #expect(BuiltinScorers.stub("token_budget", #"{"max_tokens": 1}"#).evaluate(uncounted).outcome == .unscored(.notObserved("token counts")))
    }

    @Test("cost budget is unscored when the cost is unknown")
    func cost() {
        let scorer = BuiltinScorers.stub("cost_budget", #"{"max_usd": 0.05}"#)
        #expect(scorer.evaluate(ScorerInput(costUSD: 0.049)).passed == true)
        #expect(scorer.evaluate(ScorerInput(costUSD: 0.051)).passed == false)
        #expect(scorer.evaluate(ScorerInput()).outcome == .unscored(.notObserved("a cost")))
    }

    @Test("no error spans names the failed spans without their messages")
    func errors() {
        let s = BuiltinScorers.stub("no_error_spans").evaluate(Self.input)
        #expect(s.passed == false && s.metric("error_spans") == 1)
        #expect(s.explanation == "1 of 5 spans failed: \"execute_tool search\"")
        #expect(BuiltinScorers.stub("no_error_spans", #"{"scope": "spans"}"#).evaluate(Self.input).passed == true)
    }

    @Test("context growth measures the largest input and call-to-call growth")
    func growth() {
        let s = BuiltinScorers.stub("context_growth", #"{"max_input_tokens": 4500}"#).evaluate(Self.input)
        #expect(s.passed == false && s.metric("max_input_tokens") == 5_000 && s.metric("max_growth") == 3_000 && s.metric("max_growth_ratio") == 4)
        #expect(BuiltinScorers.stub("context_growth", #"{"max_input_tokens": 8000, "max_growth": 2000}"#).evaluate(Self.input).passed == false)
        #expect(BuiltinScorers.stub("context_growth", #"{"max_input_tokens": 8000, "max_growth_ratio": 5}"#).evaluate(Self.input).passed == true)
        let noCalls = ScorerInput(trace: .stub([.tool("x", id: 1, start: 1)]))
        #expect(BuiltinScorers.stub("context_growth", #"{"max_growth": 1}"#).evaluate(noCalls).outcome == .unscored(.notObserved("any LLM calls")))
    }

    @Test("context growth of shrinking or single contexts")
    func growthEdges() {
        #expect(ContextGrowth(inputTokens: [5, 3]).maxGrowth == 0)
        #expect(ContextGrowth(inputTokens: [7]).maxGrowthRatio == 1 && ContextGrowth(inputTokens: []).maxInputTokens == 0)
        #expect(ContextGrowth(inputTokens: [0, 10, 15]).maxGrowthRatio == 1.5)
    }

    @Test("a confusion matrix over label scores")
    func confusion() {
        let scorer = BuiltinScorers.stub("label")
        var matrix = ConfusionMatrix()
        for (o, e) in [("cat", "cat"), ("dog", "cat"), ("dog", "dog"), ("cat", "cat")] { matrix.add(scorer.score(text: o, expected: e)) }
        matrix.add(scorer.score(text: "x", expected: nil))
        #expect(matrix.total == 4 && matrix.labels == ["cat", "dog"] && matrix.count(expected: "cat", observed: "dog") == 1)
        #expect(matrix.accuracy == 0.75 && matrix.precision(of: "dog") == 0.5 && matrix.recall(of: "cat") == 2.0 / 3)
        #expect(matrix.recall(of: "bird") == nil && ConfusionMatrix().accuracy == nil)
        #expect(abs(matrix.macroF1! - (0.8 + 2.0 / 3) / 2) < 1e-12)
    }
}
