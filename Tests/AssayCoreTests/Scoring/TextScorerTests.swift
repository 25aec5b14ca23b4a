import Testing
@testable import AssayCore
import AssayTestSupport

struct TextScorerTests {
    @Test("exact match trims by default and is case-sensitive", arguments: [
        ("Paris", "Paris", true), ("Paris\n", "Paris", true), ("paris", "Paris", false), ("", "", true), ("", "x", false),
        ("日本語 🇯🇵", "日本語 🇯🇵", true), ("Paris.", "Paris", false),
    ])
    func exact(observed: String, expected: String, passes: Bool) {
        #expect(BuiltinScorers.stub("exact_match").score(text: observed, expected: expected).passed == passes)
    }

    @Test("exact match compares non-string expected values as JSON")
    func exactJSON() {
        let scorer = BuiltinScorers.stub("exact_match")
        #expect(scorer.score(text: #"{"b": 1.0, "a": [1, 2]}"#, expected: nil).outcome == .unscored(.missingExpected))
        #expect(scorer.score(observed: #""{\"b\": 1.0, \"a\": [1, 2]}""#, expected: #"{"a": [1, 2], "b": 1}"#).passed == true)
        #expect(scorer.score(observed: #""{\"a\": [2, 1]}""#, expected: #"{"a": [1, 2]}"#).passed == false)
        #expect(scorer.score(observed: #""not json {""#, expected: "42").passed == false)
    }

    @Test("exact match without trimming or with case-insensitivity")
    func exactOptions() {
        #expect(BuiltinScorers.stub("exact_match", #"{"trim": false}"#).score(text: "a ", expected: "a").passed == false)
        #expect(BuiltinScorers.stub("exact_match", #"{"case_sensitive": false}"#).score(text: "PARIS", expected: "paris").passed == true)
    }

    @Test("normalized match ignores case, whitespace, punctuation and compatibility forms", arguments: [
        ("  The  answer is:\tParis! ", "the answer is paris", true),
        ("Ｐａｒｉｓ", "paris", true),
        ("Café", "cafe\u{301}", true),
        ("Paris", "London", false),
        ("", "...", true),
    ])
    func normalized(observed: String, expected: String, passes: Bool) {
        #expect(BuiltinScorers.stub("normalized_match").score(text: observed, expected: expected).passed == passes)
    }

    @Test("normalized match keeps the differences switched off")
    func normalizedOptions() {
        #expect(BuiltinScorers.stub("normalized_match", #"{"case": false}"#).score(text: "Paris", expected: "paris").passed == false)
        #expect(BuiltinScorers.stub("normalized_match", #"{"punctuation": false}"#).score(text: "a!", expected: "a").passed == false)
    }

    @Test("contains finds the expected text, or the configured one")
    func contains() {
        #expect(BuiltinScorers.stub("contains").score(text: "The capital is Paris.", expected: "Paris").passed == true)
        #expect(BuiltinScorers.stub("contains").score(text: "The capital is paris.", expected: "Paris").passed == false)
        #expect(BuiltinScorers.stub("contains", #"{"case_sensitive": false}"#).score(text: "PARIS", expected: "paris").passed == true)
        #expect(BuiltinScorers.stub("contains", #"{"values": "sorry"}"#).score(text: "I am sorry", expected: nil).passed == true)
        #expect(BuiltinScorers.stub("contains").score(text: "", expected: "").passed == true)
        #expect(BuiltinScorers.stub("contains").score(text: "こんにちは世界", expected: "世界").passed == true)
    }

    @Test("contains all scores the share found; contains any needs one")
    func containsAllAny() {
        let all = BuiltinScorers.stub("contains_all").score(observed: #""red and blue""#, expected: #"["red", "green", "blue", "pink"]"#)
        #expect(all.value == 0.5 && all.passed == false)
        #expect(all.explanation.contains("\"green\"") && all.explanation.contains("\"pink\""))
        #expect(BuiltinScorers.stub("contains_any").score(observed: #""red""#, expected: #"["green", "red"]"#).passed == true)
        #expect(BuiltinScorers.stub("contains_any").score(observed: #""red""#, expected: #"["green"]"#).passed == false)
        let empty = BuiltinScorers.stub("contains_all").score(observed: #""red""#, expected: "[]")
        #expect(empty.outcome == .unscored(.invalidExpected("expected a string or a non-empty list of strings")))
    }

    @Test("regex matches anywhere, wholly, or case-insensitively")
    func regex() {
        #expect(BuiltinScorers.stub("regex", #"{"pattern": "\\d{4}-\\d{2}"}"#).score(text: "on 2024-05-01", expected: nil).passed == true)
        #expect(BuiltinScorers.stub("regex", #"{"pattern": "\\d+", "full_match": true}"#).score(text: "12a", expected: nil).passed == false)
        #expect(BuiltinScorers.stub("regex", #"{"pattern": "paris", "case_sensitive": false}"#).score(text: "PARIS", expected: nil).passed == true)
        #expect(BuiltinScorers.stub("regex").score(text: "abc", expected: "^a.c$").passed == true)
        #expect(BuiltinScorers.stub("regex").score(text: "abc", expected: "a(").outcome.isInvalidExpected)
        #expect(BuiltinScorers.stub("regex", #"{"pattern": "é+"}"#).score(text: "cafééé", expected: nil).passed == true)
    }

    @Test("levenshtein similarity with its default threshold of 0.8")
    func levenshtein() {
        let scorer = BuiltinScorers.stub("levenshtein")
        let s = scorer.score(text: "kitten", expected: "sitting")
        #expect(s.metric("distance") == 3)
        #expect(abs(s.value! - (1 - 3.0 / 7)) < 1e-12 && s.passed == false)
        #expect(scorer.score(text: "", expected: "").value == 1)
        #expect(scorer.score(text: "", expected: "abc").value == 0)
        #expect(BuiltinScorers.stub("levenshtein", #"{"normalize": true}"#).score(text: "Hello, World", expected: "hello world").value == 1)
    }

    @Test("levenshtein on texts too long to compare is unscored, not truncated")
    func levenshteinHuge() {
        let a = String(repeating: "ab", count: 6_000), b = String(repeating: "ba", count: 6_000)
        let s = BuiltinScorers.stub("levenshtein").score(text: a, expected: b)
        #expect(s.outcome.isScorerFailed)
        // Equal huge texts are cheap: the common prefix is removed first.
        #expect(BuiltinScorers.stub("levenshtein").score(text: a, expected: a).value == 1)
    }

    @Test("token F1 records precision and recall")
    func tokenF1() {
        let s = BuiltinScorers.stub("token_f1").score(text: "The cat sat.", expected: "the cat sat on the mat")
        #expect(s.metric("precision") == 1 && s.metric("recall") == 0.5)
        #expect(abs(s.value! - 2.0 / 3) < 1e-12)
        #expect(BuiltinScorers.stub("token_f1").score(text: "", expected: "").value == 1)
        #expect(BuiltinScorers.stub("token_f1").score(text: "!!!", expected: "word").value == 0)
    }

    @Test("label match records both labels, mapping unknown answers to (other)")
    func label() {
        let scorer = BuiltinScorers.stub("label", #"{"labels": ["positive", "negative"]}"#)
        let hit = scorer.score(text: " Positive\n", expected: "positive")
        #expect(hit.passed == true && hit.metadata == ["expected_label": "positive", "observed_label": "positive"])
        let miss = scorer.score(text: "I think it is neutral", expected: "negative")
        #expect(miss.passed == false && miss.metadata["observed_label"] == "(other)")
        #expect(BuiltinScorers.stub("label", #"{"case_sensitive": true}"#).score(text: "Yes", expected: "yes").passed == false)
    }
}

extension ScoreOutcome {
    var isInvalidExpected: Bool {
        if case .unscored(.invalidExpected) = self { return true }
        return false
    }

    var isScorerFailed: Bool {
        if case .unscored(.scorerFailed) = self { return true }
        return false
    }
}
