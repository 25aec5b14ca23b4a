import Testing
import Foundation
@testable import AssayCore
import AssayTestSupport

struct AgentScorerTests {
    static let search = #"{"query": "weather Paris", "limit": 5}"#

    @Test("tool calls are read from tool spans, arguments compared as JSON")
    func fromToolSpans() {
        let spans: [StoredSpan] = [.tool("search", arguments: #"{"limit": 5.0, "query": "weather Paris"}"#, id: 1, start: 1), .tool("answer", id: 2, start: 2)]
        let expected = JSONValue.parsed(#"[{"name": "search", "arguments": {"query": "weather Paris", "limit": 5}}, "answer"]"#)
        let s = BuiltinScorers.stub("tool_calls").evaluate(ScorerInput(spans: spans, expected: expected))
        #expect(s.passed == true && s.metric("f1") == 1)
    }

    @Test("tool calls fall back to the LLM's requested calls when no tool span ran")
    func fromMessages() {
        let messages = #"[{"role": "assistant", "parts": [{"type": "tool_call", "id": "c1", "name": "search", "arguments": {"query": "weather Paris", "limit": 5}}]}]"#
        let s = BuiltinScorers.stub("tool_calls").evaluate(ScorerInput(spans: [.chat(id: 1, start: 1, toolCalls: messages)],
                                                                       expected: .parsed(#"[{"name": "search", "arguments": "{\"limit\":5,\"query\":\"weather Paris\"}"}]"#)))
        #expect(s.passed == true)
    }

    @Test("precision, recall and F1 over calls, unordered by default")
    func partial() {
        let observed = JSONValue.parsed(#"["b", "a", "c", "d"]"#), expected = JSONValue.parsed(#"["a", "b"]"#)
        let s = BuiltinScorers.stub("tool_calls").evaluate(ScorerInput(observed: observed, expected: expected))
        #expect(s.metric("precision") == 0.5 && s.metric("recall") == 1)
        #expect(abs(s.value! - 2.0 / 3) < 1e-12 && s.passed == false)
        let ordered = BuiltinScorers.stub("tool_calls", #"{"ordered": true}"#).evaluate(ScorerInput(observed: observed, expected: expected))
        #expect(ordered.metric("matched") == 1)
    }

    @Test("argument modes: exact, subset, ignore")
    func argumentModes() {
        let observed = JSONValue.parsed(#"[{"name": "search", "arguments": {"query": "x", "limit": 5}}]"#)
        let expected = JSONValue.parsed(#"[{"name": "search", "arguments": {"query": "x"}}]"#)
        func f1(_ mode: String) -> Double? {
            BuiltinScorers.stub("tool_calls", #"{"arguments": "\#(mode)"}"#).evaluate(ScorerInput(observed: observed, expected: expected)).value
        }
        #expect(f1("exact") == 0 && f1("subset") == 1 && f1("ignore") == 1)
    }

    @Test("no calls expected and none made is a pass; unparseable arguments compare as text")
    func emptyAndMalformed() {
        #expect(BuiltinScorers.stub("tool_calls").evaluate(ScorerInput(observed: .parsed("[]"), expected: .parsed("[]"))).value == 1)
        #expect(BuiltinScorers.stub("tool_calls").evaluate(ScorerInput(observed: .parsed(#"["x"]"#), expected: .parsed("[]"))).value == 0)
        let spans: [StoredSpan] = [.tool("search", arguments: "{not json", id: 1, start: 1)]
        let s = BuiltinScorers.stub("tool_calls").evaluate(ScorerInput(spans: spans, expected: .parsed(#"[{"name": "search", "arguments": {"q": 1}}]"#)))
        #expect(s.value == 0)
        #expect(BuiltinScorers.stub("tool_calls").evaluate(ScorerInput(spans: spans, expected: .parsed(#"{"name": "x"}"#))).outcome.isInvalidExpected)
    }

    @Test("unordered matching finds the best one-to-one assignment")
    func bestMatching() {
        let m = ToolCallMatch.maximumMatching([0, 1], [0, 1]) { o, e in o == 0 || e == 1 }
        #expect(m == 2)
        #expect(ToolCallMatch.commonSubsequence(Array("abcbdab"), Array("bdcaba"), ==) == 4)
    }

    @Test("trajectory scores step sequences by edit distance")
    func trajectory() {
        let spans: [StoredSpan] = [.tool("search", id: 1, start: 1), .tool("read", id: 2, start: 2), .tool("answer", id: 3, start: 3)]
        let s = BuiltinScorers.stub("trajectory").evaluate(ScorerInput(spans: spans, expected: .parsed(#"["search", "answer"]"#)))
        #expect(s.metric("edit_distance") == 1 && abs(s.value! - 2.0 / 3) < 1e-12)
        let byName = BuiltinScorers.stub("trajectory", #"{"steps": "spans"}"#)
            .evaluate(ScorerInput(spans: spans.reversed(), expected: .parsed(#"["execute_tool search", "execute_tool read", "execute_tool answer"]"#)))
        #expect(byName.value == 1)
        #expect(BuiltinScorers.stub("trajectory").evaluate(ScorerInput(observed: .parsed("[]"), expected: .parsed("[]"))).value == 1)
        #expect(BuiltinScorers.stub("trajectory").evaluate(ScorerInput(expected: .parsed("[]"))).outcome == .unscored(.noSpanMatched))
    }

    @Test("retrieval metrics with binary relevance", arguments: [1, 3, 10])
    func metrics(k: Int) {
        let m = RetrievalMetrics(retrieved: ["d3", "d1", "d9", "d1"], relevant: ["d1", "d2"])
        #expect(m.retrieved == ["d3", "d1", "d9"])
        switch k {
        case 1: #expect(m.recall(at: k) == 0 && m.precision(at: k) == 0 && m.reciprocalRank(at: k) == 0 && m.ndcg(at: k) == 0)
        case 3:
            #expect(m.recall(at: k) == 0.5 && m.precision(at: k) == 1.0 / 3 && m.reciprocalRank(at: k) == 0.5)
            #expect(abs(m.ndcg(at: k) - (1 / log2(3.0)) / (1 + 1 / log2(3.0))) < 1e-12)
        default:
            // k beyond the list: missing ranks retrieve nothing.
            #expect(m.recall(at: k) == 0.5 && m.precision(at: k) == 0.1)
        }
    }

    @Test("retrieval metrics edge cases: empty lists and a perfect ranking")
    func retrievalEdges() {
        let none = RetrievalMetrics(retrieved: [], relevant: ["a"])
        #expect(none.recall(at: 5) == 0 && none.ndcg(at: 5) == 0 && none.reciprocalRank(at: 5) == 0)
        let perfect = RetrievalMetrics(retrieved: ["a", "b", "x"], relevant: ["b", "a"])
        #expect(perfect.ndcg(at: 2) == 1 && perfect.ndcg(at: 100) == 1 && perfect.recall(at: 2) == 1)
        #expect(RetrievalMetrics(retrieved: ["a"], relevant: []).recall(at: 1) == 0)
    }

    @Test("retrieval scorer reads document ids from retrieval spans")
    func retrievalScorer() {
        let spans: [StoredSpan] = [.retrieval(["d7", "d2"], id: 1, start: 1), .retrieval(["d1"], id: 2, start: 2)]
        let s = BuiltinScorers.stub("retrieval", #"{"metric": "mrr", "k": 50}"#).evaluate(ScorerInput(spans: spans, expected: .parsed(#"["d1", "d2"]"#)))
        #expect(s.value == 0.5 && s.metric("recall@50") == 1)
        let empty = BuiltinScorers.stub("retrieval").evaluate(ScorerInput(spans: spans, expected: .parsed("[]")))
        #expect(empty.outcome.isInvalidExpected)
        let numbers = BuiltinScorers.stub("retrieval").evaluate(ScorerInput(observed: .parsed("[1, 2]"), expected: .parsed(#"[2, "3"]"#)))
        #expect(numbers.value == 0.5)
        #expect(BuiltinScorers.stub("retrieval").evaluate(ScorerInput(spans: [.stub()], expected: .parsed(#"["a"]"#))).outcome == .unscored(.notObserved("any retrieved documents")))
    }
}
