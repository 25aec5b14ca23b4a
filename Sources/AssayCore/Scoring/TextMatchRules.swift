/// `exact_match`: the observed text equals the expected one. A non-string expected value (an object,
/// a number) is compared as JSON with the observed output parsed as JSON, key order and number
/// spelling aside.
struct ExactMatchRule: ScoringRule {
    static let parameters: Set<String> = ["trim", "case_sensitive"]
    let trim: Bool
    let caseSensitive: Bool

    init(_ p: ScorerParameters) throws(AssayError) {
        try p.only(Self.parameters)
        trim = try p.bool("trim", default: true)
        caseSensitive = try p.bool("case_sensitive", default: true)
    }

    func evaluate(_ input: ScorerInput) throws(UnscoredReason) -> Evaluation {
        let expected = try input.requireExpected()
        if expected.string == nil {
            let observed = try input.observedJSON()
            let ok = observed.map(expected.semanticallyEquals) ?? false
            return .verdict(ok, ok ? "the output equals the expected JSON value"
                : observed == nil ? "the output is not JSON" : "the output differs from the expected JSON value")
        }
        let o = prepare(try input.observedText()), e = prepare(expected.text)
        let ok = o == e
        return .verdict(ok, ok ? "the output equals the expected text" : "expected \(Quote.short(e)), got \(Quote.short(o))")
    }

    private func prepare(_ s: String) -> String {
        var t = trim ? s.trimmingWhitespace : s
        if !caseSensitive { t = t.lowercased() }
        return t
    }
}

/// `normalized_match`: equal after normalising case, whitespace and punctuation (each optional).
struct NormalizedMatchRule: ScoringRule {
    static let parameters: Set<String> = ["case", "whitespace", "punctuation"]
    let options: TextSimilarity.Normalization

    init(_ p: ScorerParameters) throws(AssayError) {
        try p.only(Self.parameters)
        options = .init(caseInsensitive: try p.bool("case", default: true), whitespace: try p.bool("whitespace", default: true),
                        punctuation: try p.bool("punctuation", default: true))
    }

    func evaluate(_ input: ScorerInput) throws(UnscoredReason) -> Evaluation {
        let e = TextSimilarity.normalized(try input.requireExpected().text, options)
        let o = TextSimilarity.normalized(try input.observedText(), options)
        let ok = o == e
        return .verdict(ok, ok ? "the normalised output equals the expected text"
            : "expected \(Quote.short(e)), got \(Quote.short(o)) after normalising")
    }
}

/// `contains`, `contains_all`, `contains_any`: the observed text contains the expected text(s).
/// The texts come from the `values` parameter when given, else from the expected value (a string, or a
/// list of strings). `contains_all` scores the share found and passes when all are.
struct ContainsRule: ScoringRule {
    enum Mode: Sendable { case one, all, any }
    static let parameters: Set<String> = ["values", "case_sensitive", "normalize"]
    let mode: Mode
    let values: [String]?
    let caseSensitive: Bool
    let normalize: Bool

    init(_ p: ScorerParameters, mode: Mode) throws(AssayError) {
        try p.only(Self.parameters)
        self.mode = mode
        values = try p.strings("values")
        if let values, values.isEmpty { throw p.error("values", "expected at least one string") }
        if mode == .one, let values, values.count > 1 { throw p.error("values", "contains takes one string; use contains_all or contains_any") }
        caseSensitive = try p.bool("case_sensitive", default: true)
        normalize = try p.bool("normalize", default: false)
    }

    func evaluate(_ input: ScorerInput) throws(UnscoredReason) -> Evaluation {
        let needles: [String]
        if let values { needles = values } else { needles = try Self.strings(try input.requireExpected()) }
        let haystack = prepare(try input.observedText())
        var missing: [String] = []
        for needle in needles {
            let n = prepare(needle)
            if !n.isEmpty, !haystack.contains(n) { missing.append(needle) }
        }
        let found = needles.count - missing.count
        switch mode {
        case .one, .all:
            let value = Double(found) / Double(needles.count)
            return Evaluation(value: value, passed: missing.isEmpty,
                              explanation: missing.isEmpty ? "the output contains \(needles.count == 1 ? "the expected text" : "all \(needles.count) texts")"
                                  : "the output lacks \(Quote.list(missing))",
                              metrics: [ScoreMetric("found", Double(found)), ScoreMetric("expected", Double(needles.count))])
        case .any:
            return .verdict(found > 0, found > 0 ? "the output contains \(found) of the \(needles.count) texts"
                : "the output contains none of \(Quote.list(needles))")
        }
    }

    /// A string or a non-empty list of strings.
    static func strings(_ v: JSONValue) throws(UnscoredReason) -> [String] {
        if let s = v.string { return [s] }
        guard let list = v.elements, !list.isEmpty else { throw .invalidExpected("expected a string or a non-empty list of strings") }
        return list.map(\.text)
    }

    private func prepare(_ s: String) -> String {
        if normalize { return TextSimilarity.normalized(s, .init(caseInsensitive: !caseSensitive)) }
        return caseSensitive ? s : s.lowercased()
    }
}

/// `regex`: the observed text matches a regular expression, from the `pattern` parameter (checked when
/// configured) or else the expected string.
struct RegexRule: ScoringRule {
    static let parameters: Set<String> = ["pattern", "full_match", "case_sensitive"]
    let pattern: RegexPattern?
    let fullMatch: Bool
    let caseSensitive: Bool

    init(_ p: ScorerParameters) throws(AssayError) {
        try p.only(Self.parameters)
        fullMatch = try p.bool("full_match", default: false)
        caseSensitive = try p.bool("case_sensitive", default: true)
        if let source = try p.string("pattern") {
            do throws(AssayError) { pattern = try RegexPattern(source, caseInsensitive: !caseSensitive) } catch {
                throw p.error("pattern", "invalid regular expression: \(error.problem)")
            }
        } else {
            pattern = nil
        }
    }

    func evaluate(_ input: ScorerInput) throws(UnscoredReason) -> Evaluation {
        let regex: RegexPattern
        if let pattern { regex = pattern } else {
            guard let source = try input.requireExpected().string else { throw .invalidExpected("expected a pattern string") }
            do throws(AssayError) { regex = try RegexPattern(source, caseInsensitive: !caseSensitive) } catch {
                throw .invalidExpected("invalid regular expression: \(error.problem)")
            }
        }
        let ok = regex.matches(try input.observedText(), whole: fullMatch)
        return .verdict(ok, "the output \(ok ? "matches" : "does not match") \(Quote.short(regex.source))")
    }
}

extension String {
    /// Without leading and trailing whitespace and newlines.
    var trimmingWhitespace: String {
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(self[first...last])
    }
}
