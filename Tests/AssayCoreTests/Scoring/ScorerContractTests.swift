import Testing
@testable import AssayCore
import AssayTestSupport

struct ScorerContractTests {
    @Test("every kind is made with no parameters or reports the required one")
    func everyKind() {
        for kind in BuiltinScorerKind.allCases {
            do {
                let scorer = try BuiltinScorers.make(kind: kind.rawValue, parameters: .null)
                #expect(scorer.kind == kind && scorer.name == kind.rawValue)
                #expect(scorer.threshold == kind.defaultThreshold)
                #expect(scorer.parametersJSON == "{}")
            } catch {
                #expect(error.field != nil, "\(kind): \(error)")
            }
        }
    }

    @Test("an unknown kind is an error listing the known kinds")
    func unknownKind() {
        #expect { try BuiltinScorers.make(kind: "exact", parameters: .null) } throws: { error in
            let e = error as? AssayError
            return e?.field == nil && e?.description.contains("exact_match") == true
        }
    }

    @Test("configuration errors name the bad parameter", arguments: [
        ("exact_match", #"{"trimm": true}"#, "trimm"),
        ("exact_match", #"{"trim": "yes"}"#, "trim"),
        ("exact_match", #"[1]"#, nil),
        ("regex", #"{"pattern": "a(b"}"#, "pattern"),
        ("json_schema", #"{"schema": {"properties": {"age": {"minimum": "zero"}}}}"#, "schema/properties/age/minimum"),
        ("json_schema", #"{"schema": {"$ref": "https://example.com/s.json"}}"#, "schema/$ref"),
        ("json_path_equals", #"{}"#, "path"),
        ("json_path_equals", #"{"path": "a.b"}"#, "path"),
        ("retrieval", #"{"k": 0}"#, "k"),
        ("retrieval", #"{"k": 2.5}"#, "k"),
        ("retrieval", #"{"metric": "map"}"#, "metric"),
        ("tool_calls", #"{"arguments": "fuzzy"}"#, "arguments"),
        ("latency_budget", #"{"max_ms": -1}"#, "max_ms"),
        ("contains_all", #"{"values": []}"#, "values"),
        ("contains_all", #"{"values": ["a", 2]}"#, "values/1"),
        ("context_growth", #"{"scope": "trace"}"#, "max_input_tokens"),
    ] as [(String, String, String?)])
    func badParameters(kind: String, parameters: String, parameter: String?) {
        #expect { try BuiltinScorers.make(kind: kind, parameters: .parsed(parameters)) } throws: { error in
            (error as? AssayError)?.field == parameter
        }
    }

    @Test("a threshold outside 0...1 is an error")
    func badThreshold() {
        #expect(throws: AssayError.self) { try BuiltinScorers.make(kind: "token_f1", parameters: .null, threshold: 1.5) }
    }

    @Test("parameters are recorded as canonical JSON with every score")
    func parametersRecorded() async {
        let scorer = BuiltinScorers.stub("retrieval", #"{"metric": "ndcg", "k": 5.0}"#, threshold: 0.5)
        #expect(scorer.parametersJSON == #"{"k":5,"metric":"ndcg"}"#)
        let score = await scorer.score(ScorerInput(observed: .parsed(#"["a"]"#), expected: .parsed(#"["a"]"#)))
        #expect(score.parameters == scorer.parametersJSON && score.threshold == 0.5 && score.kind == .builtin(.retrieval))
    }

    @Test("a missing expected value is unscored, not a failure")
    func missingExpected() {
        let score = BuiltinScorers.stub("exact_match").score(text: "x", expected: nil)
        #expect(score.outcome == .unscored(.missingExpected))
        #expect(score.passed == nil && score.value == nil)
        #expect(score.explanation == UnscoredReason.missingExpected.description)
    }

    @Test("no spans and no observed value is unscored as no span matched")
    func noSpanMatched() {
        let score = BuiltinScorers.stub("exact_match").evaluate(ScorerInput(expected: .string("x")))
        #expect(score.outcome == .unscored(.noSpanMatched))
    }

    @Test("the observed text is the output of the last selected span that has one")
    func observedFromSpans() {
        let spans = [StoredSpan.output("first", id: 1), .output("Paris", id: 2, start: 5_000), .stub(id: 3, start: 9_000)]
        let score = BuiltinScorers.stub("exact_match").evaluate(ScorerInput(spans: spans, expected: .string("Paris")))
        #expect(score.passed == true)
    }

    @Test("spans without output text are unscored as not observed")
    func spansWithoutOutput() {
        let score = BuiltinScorers.stub("exact_match").evaluate(ScorerInput(spans: [.stub()], expected: .string("x")))
        #expect(score.outcome == .unscored(.notObserved("an output text")))
    }

    @Test("unscored reasons have stable codes and sentences")
    func reasons() {
        let reasons: [UnscoredReason] = [.missingExpected, .noSpanMatched, .notObserved("a cost"), .invalidExpected("x"), .scorerFailed("judge timed out")]
        #expect(reasons.map(\.code) == ["missing_expected", "no_span_matched", "not_observed", "invalid_expected", "scorer_failed"])
        #expect(UnscoredReason.scorerFailed("judge timed out").description == "the scorer failed: judge timed out")
    }

    @Test("explanations quote at most about 80 characters of trace text")
    func shortQuotes() {
        let long = String(repeating: "secret prompt text ", count: 1_000)
        let score = BuiltinScorers.stub("exact_match").score(text: long, expected: "short")
        #expect(score.passed == false)
        #expect(score.explanation.count < 200)
        #expect(Quote.short("a\nb") == "\"a b\"")
    }

    @Test("a configured name is recorded instead of the kind")
    func configuredName() throws {
        let scorer = try BuiltinScorers.make(kind: "label", parameters: .null, name: "sentiment")
        #expect(scorer.name == "sentiment" && scorer.kind == .label)
        #expect(scorer.score(text: "positive", expected: "positive").scorer == "sentiment")
    }
}
