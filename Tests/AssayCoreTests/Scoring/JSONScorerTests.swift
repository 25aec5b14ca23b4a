import Testing
@testable import AssayCore
import AssayTestSupport

struct JSONScorerTests {
    @Test("semantic JSON equality ignores key order and number spelling", arguments: [
        (#"{"a": 1, "b": [true, null]}"#, #"{"b": [true, null], "a": 1.0}"#, true),
        ("1", "1.0", true), ("-0", "0", true), ("1e2", "100", true), ("12345678901234567891", "12345678901234567892", false),
        (#"[1, 2]"#, "[2, 1]", false), (#"{"a": 1}"#, #"{"a": 1, "b": 2}"#, false), (#""1""#, "1", false),
        (#"{"a": 1, "a": 2}"#, #"{"a": 2}"#, true),
    ] as [(String, String, Bool)])
    func equality(a: String, b: String, equal: Bool) {
        #expect(JSONValue.parsed(a).semanticallyEquals(.parsed(b)) == equal)
        #expect(JSONValue.parsed(b).semanticallyEquals(.parsed(a)) == equal)
        #expect((JSONValue.parsed(a).canonicalJSON == JSONValue.parsed(b).canonicalJSON) == equal)
    }

    @Test("JSON paths name one value", arguments: [
        ("$", #"{"a":{"b":[1,{"c":"x"}]}}"#), ("$.a.b[1].c", #""x""#), (#"$["a"]['b'][0]"#, "1"), ("$.a.b[-1].c", #""x""#),
    ])
    func paths(path: String, value: String) throws {
        let root = JSONValue.parsed(#"{"a":{"b":[1,{"c":"x"}]}}"#)
        #expect(try JSONPath(path).value(in: root)?.canonicalJSON == JSONValue.parsed(value).canonicalJSON)
    }

    @Test("missing members and elements give nil; bad paths throw", arguments: ["$.a.x", "$.a.b[5]", "$.a.b.c", "$[0]"])
    func missing(path: String) throws {
        #expect(try JSONPath(path).value(in: .parsed(#"{"a":{"b":[1]}}"#)) == nil)
    }

    @Test("malformed paths are rejected", arguments: ["a.b", "$.", "$[x]", "$[\"a\"", "$.*", "$..a"])
    func malformed(path: String) {
        #expect(throws: AssayError.self) { try JSONPath(path) }
    }

    @Test("valid JSON accepts any JSON value and rejects malformed text", arguments: [
        (#"{"a": [1, 2]}"#, true), ("42", true), (#""just a string""#, true), ("{\"a\": ", false), ("{'a': 1}", false),
        ("", false), ("[1, 2,]", false), ("nul", false),
    ])
    func validJSON(text: String, valid: Bool) {
        #expect(BuiltinScorers.stub("valid_json").score(text: text, expected: nil).passed == valid)
    }

    @Test("valid JSON can strip a Markdown code fence")
    func fence() {
        let text = "```json\n{\"a\": 1}\n```"
        #expect(BuiltinScorers.stub("valid_json").score(text: text, expected: nil).passed == false)
        #expect(BuiltinScorers.stub("valid_json", #"{"strip_code_fence": true}"#).score(text: text, expected: nil).passed == true)
    }

    @Test("valid JSON on deeply nested input fails without crashing")
    func deep() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(BuiltinScorers.stub("valid_json").score(text: deep, expected: nil).passed == false)
    }

    @Test("JSON schema scorer explains the first violation with its pointer")
    func schemaScorer() {
        let scorer = BuiltinScorers.stub("json_schema", #"{"schema": {"type": "object", "required": ["city"], "properties": {"temp": {"type": "number"}}}}"#)
        #expect(scorer.score(text: #"{"city": "Paris", "temp": 21.5}"#, expected: nil).passed == true)
        let bad = scorer.score(text: #"{"temp": "warm"}"#, expected: nil)
        #expect(bad.passed == false && bad.metric("violations") == 2)
        #expect(bad.explanation == "(root): required: missing property \"city\" (and 1 more)")
        #expect(scorer.score(text: "{oops", expected: nil).explanation == "the output is not valid JSON")
    }

    @Test("JSON schema from the expected value, unscored when it is not a schema")
    func schemaFromExpected() {
        let scorer = BuiltinScorers.stub("json_schema")
        #expect(scorer.score(observed: #""[1, 2]""#, expected: #"{"type": "array", "items": {"type": "integer"}}"#).passed == true)
        #expect(scorer.score(observed: #""[1]""#, expected: #"{"type": "list"}"#).outcome.isInvalidExpected)
    }

    @Test("JSON path equals compares the value there as JSON")
    func pathEquals() {
        let scorer = BuiltinScorers.stub("json_path_equals", #"{"path": "$.answer.total"}"#)
        #expect(scorer.score(observed: #""{\"answer\": {\"total\": 42.0}}""#, expected: "42").passed == true)
        #expect(scorer.score(observed: #""{\"answer\": {}}""#, expected: "42").explanation == "$.answer.total is absent from the output")
        #expect(scorer.score(observed: #""not json""#, expected: "42").passed == false)
        #expect(BuiltinScorers.stub("json_path_equals", #"{"path": "$.ok", "value": true}"#).score(observed: #"{"ok": true}"#, expected: nil).passed == true)
    }

    @Test("numeric within absolute or relative tolerance", arguments: [
        ("3.14159", "3.14", #"{"tolerance": 0.01}"#, true), ("100", "110", #"{"relative_tolerance": 0.1}"#, true),
        ("100", "112", #"{"relative_tolerance": 0.1}"#, false), (" 7 ", "7", "{}", true), ("seven", "7", "{}", false),
        ("The total is 1,234.5 dollars", "1234.5", #"{"extract": true}"#, true), ("NaN", "1", "{}", false),
    ] as [(String, String, String, Bool)])
    func numeric(observed: String, expected: String, parameters: String, passes: Bool) {
        #expect(BuiltinScorers.stub("numeric", parameters).score(text: observed, expected: expected).passed == passes)
    }

    @Test("numeric with a non-numeric expected value is unscored")
    func numericBadExpected() {
        #expect(BuiltinScorers.stub("numeric").score(observed: #""1""#, expected: #"{"a": 1}"#).outcome.isInvalidExpected)
        #expect(BuiltinScorers.stub("numeric").score(observed: "2", expected: #""2""#).passed == true)
    }
}
