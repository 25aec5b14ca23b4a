/// `valid_json`: the observed output parses as JSON (optionally inside a Markdown code fence).
struct ValidJSONRule: ScoringRule {
    static let parameters: Set<String> = ["strip_code_fence"]
    let stripFence: Bool

    init(_ p: ScorerParameters) throws(AssayError) {
        try p.only(Self.parameters)
        stripFence = try p.bool("strip_code_fence", default: false)
    }

    func evaluate(_ input: ScorerInput) throws(UnscoredReason) -> Evaluation {
        let ok = try Self.observedJSON(input, stripFence: stripFence) != nil
        return .verdict(ok, ok ? "the output is valid JSON" : "the output is not valid JSON")
    }

    /// The observed JSON, the text inside a leading ```` ``` ```` fence parsed when `stripFence`.
    static func observedJSON(_ input: ScorerInput, stripFence: Bool) throws(UnscoredReason) -> JSONValue? {
        if let json = try input.observedJSON() { return json }
        guard stripFence else { return nil }
        let text = try input.observedText().trimmingWhitespace
        guard text.hasPrefix("```"), text.hasSuffix("```"), text.count >= 6,
              let newline = text.firstIndex(of: "\n") else { return nil }
        return JSONText.parse(String(text[newline..<text.index(text.endIndex, offsetBy: -3)]))
    }
}

/// `json_schema`: the observed output is JSON valid against the `schema` parameter (or the expected
/// value when no schema is configured).
struct JSONSchemaRule: ScoringRule {
    static let parameters: Set<String> = ["schema", "strip_code_fence"]
    let validator: JSONSchemaValidator?
    let stripFence: Bool

    init(_ p: ScorerParameters) throws(AssayError) {
        try p.only(Self.parameters)
        stripFence = try p.bool("strip_code_fence", default: false)
        if let schema = p.value("schema") {
            do throws(AssayError) { validator = try JSONSchemaValidator(schema: schema) } catch {
                throw p.error("schema" + (error.field ?? ""), error.problem)
            }
        } else {
            validator = nil
        }
    }

    func evaluate(_ input: ScorerInput) throws(UnscoredReason) -> Evaluation {
        let v: JSONSchemaValidator
        if let validator { v = validator } else {
            let schema = try input.requireExpected()
            do throws(AssayError) { v = try JSONSchemaValidator(schema: schema) } catch {
                throw .invalidExpected("not a usable schema: \(error.field.flatMap { $0.isEmpty ? nil : $0 } ?? "(root)"): \(error.problem)")
            }
        }
        guard let json = try ValidJSONRule.observedJSON(input, stripFence: stripFence) else {
            return .verdict(false, "the output is not valid JSON")
        }
        let violations = v.validate(json)
        guard let first = violations.first else { return .verdict(true, "the output is valid against the schema") }
        let more = violations.count > 1 ? " (and \(violations.count - 1) more)" : ""
        return .verdict(false, "\(first)\(more)", metrics: [ScoreMetric("violations", Double(violations.count))])
    }
}

/// `json_path_equals`: the value at `path` in the observed JSON equals the expected value (or the
/// `value` parameter), compared as JSON. An expected value that is itself JSON holding `path` (a whole
/// expected output) is compared at that path.
struct JSONPathEqualsRule: ScoringRule {
    static let parameters: Set<String> = ["path", "value", "strip_code_fence"]
    let path: JSONPath
    let value: JSONValue?
    let stripFence: Bool

    init(_ p: ScorerParameters) throws(AssayError) {
        try p.only(Self.parameters)
        guard let text = try p.string("path") else { throw p.error("path", "required, e.g. $.answer") }
        do throws(AssayError) { path = try JSONPath(text) } catch { throw p.error("path", error.problem) }
        value = p.value("value")
        stripFence = try p.bool("strip_code_fence", default: false)
    }

    func evaluate(_ input: ScorerInput) throws(UnscoredReason) -> Evaluation {
        let expected: JSONValue
        if let value { expected = value } else {
            let whole = try input.requireExpected()
            let json = whole.string.flatMap(JSONText.parse) ?? whole
            expected = path.value(in: json) ?? whole
        }
        guard let json = try ValidJSONRule.observedJSON(input, stripFence: stripFence) else {
            return .verdict(false, "the output is not valid JSON")
        }
        guard let found = path.value(in: json) else { return .verdict(false, "\(path) is absent from the output") }
        let ok = found.semanticallyEquals(expected)
        return .verdict(ok, ok ? "\(path) equals the expected value" : "\(path) is \(Quote.short(found.compactJSON)), expected \(Quote.short(expected.compactJSON))")
    }
}

/// `numeric`: the observed number is within `tolerance` (absolute) or `relative_tolerance` (a share of
/// the expected value) of the expected number. With `extract`, the last number in the text is used.
struct NumericRule: ScoringRule {
    static let parameters: Set<String> = ["tolerance", "relative_tolerance", "extract"]
    let tolerance: Double
    let relativeTolerance: Double
    let extract: Bool

    init(_ p: ScorerParameters) throws(AssayError) {
        try p.only(Self.parameters)
        tolerance = try p.number("tolerance", minimum: 0) ?? 0
        relativeTolerance = try p.number("relative_tolerance", minimum: 0) ?? 0
        extract = try p.bool("extract", default: false)
    }

    func evaluate(_ input: ScorerInput) throws(UnscoredReason) -> Evaluation {
        let expectedValue = try input.requireExpected()
        guard let e = expectedValue.doubleValue ?? expectedValue.string.flatMap({ Double($0.trimmingWhitespace) }), e.isFinite else {
            throw .invalidExpected("expected a number")
        }
        let text = try input.observedText()
        guard let o = extract ? Self.lastNumber(in: text) : Double(text.trimmingWhitespace), o.isFinite else {
            return .verdict(false, "the output is not a number")
        }
        let difference = abs(o - e)
        let allowed = max(tolerance, relativeTolerance * abs(e))
        let ok = difference <= allowed
        return .verdict(ok, "\(o.formatted) is \(difference.formatted) from \(e.formatted) (allowed \(allowed.formatted))",
                        metrics: [ScoreMetric("observed", o), ScoreMetric("expected", e), ScoreMetric("difference", difference)])
    }

    /// The last decimal number in `text` (digits with an optional sign, fraction and exponent;
    /// thousands separators `,` between digit groups are dropped).
    static func lastNumber(in text: String) -> Double? {
        let regex = /[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?/
        guard let match = text.matches(of: regex).last else { return nil }
        return Double(match.output.replacingOccurrences(of: ",", with: ""))
    }
}
