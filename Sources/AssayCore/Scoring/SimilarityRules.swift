/// `levenshtein`: 1 minus the character edit distance over the longer length.
struct LevenshteinRule: ScoringRule {
    static let parameters: Set<String> = ["normalize"]
    let normalize: Bool

    init(_ p: ScorerParameters) throws(AssayError) {
        try p.only(Self.parameters)
        normalize = try p.bool("normalize", default: false)
    }

    func evaluate(_ input: ScorerInput) throws(UnscoredReason) -> Evaluation {
        var e = try input.requireExpected().text, o = try input.observedText()
        if normalize { (e, o) = (TextSimilarity.normalized(e), TextSimilarity.normalized(o)) }
        let x = Array(o), y = Array(e)
        let longest = max(x.count, y.count)
        guard longest > 0 else { return Evaluation(value: 1, explanation: "both texts are empty", metrics: [ScoreMetric("distance", 0)]) }
        guard let d = EditDistance.distance(x, y, maxCells: TextSimilarity.maxLevenshteinCells) else {
            throw .scorerFailed("texts of \(x.count) and \(y.count) characters are too long for edit distance")
        }
        let value = 1 - Double(d) / Double(longest)
        return Evaluation(value: value, explanation: "\(d) edits over \(longest) characters", metrics: [ScoreMetric("distance", Double(d))])
    }
}

/// `token_f1`: word-overlap F1 after normalising case, punctuation and whitespace (as SQuAD).
struct TokenF1Rule: ScoringRule {
    init(_ p: ScorerParameters) throws(AssayError) { try p.only([]) }

    func evaluate(_ input: ScorerInput) throws(UnscoredReason) -> Evaluation {
        let e = try input.requireExpected().text
        let r = TextSimilarity.tokenF1(observed: try input.observedText(), expected: e)
        return Evaluation(value: r.f1, explanation: "token precision \(String(format4: r.precision)), recall \(String(format4: r.recall))",
                          metrics: [ScoreMetric("precision", r.precision), ScoreMetric("recall", r.recall), ScoreMetric("f1", r.f1)])
    }
}

/// `label`: the observed text, trimmed, is the expected label (case-insensitively unless
/// `case_sensitive`). Records `expected_label` and `observed_label` for a run's `ConfusionMatrix`;
/// with `labels`, an answer outside the list is recorded as `(other)`. With `path` (e.g. `$.label`),
/// the label is read at that path of the observed JSON, and of the expected value when it is JSON
/// holding the path.
struct LabelRule: ScoringRule {
    static let parameters: Set<String> = ["labels", "case_sensitive", "path"]
    static let other = "(other)"
    let labels: [String]?
    let caseSensitive: Bool
    let path: JSONPath?

    init(_ p: ScorerParameters) throws(AssayError) {
        try p.only(Self.parameters)
        labels = try p.strings("labels")
        if let labels, labels.isEmpty { throw p.error("labels", "expected at least one label") }
        caseSensitive = try p.bool("case_sensitive", default: false)
        if let text = try p.string("path") {
            do throws(AssayError) { path = try JSONPath(text) } catch { throw p.error("path", error.problem) }
        } else {
            path = nil
        }
    }

    func evaluate(_ input: ScorerInput) throws(UnscoredReason) -> Evaluation {
        var expectedValue = try input.requireExpected()
        var observedText = try input.observedText()
        if let path {
            if case .string(let s) = expectedValue, let parsed = JSONText.parse(s) { expectedValue = parsed }
            if let inner = path.value(in: expectedValue) { expectedValue = inner }
            guard let json = JSONText.parse(observedText), let found = path.value(in: json) else {
                return Evaluation(value: 0, explanation: "\(path) is absent from the output",
                                  metadata: ["expected_label": String(expectedValue.text.prefix(80)), "observed_label": Self.other])
            }
            observedText = found.text
        }
        let expected = canonical(expectedValue.text.trimmingWhitespace)
        let raw = canonical(observedText.trimmingWhitespace)
        let observed = labels == nil || labels!.contains(where: { canonical($0) == raw }) ? raw : Self.other
        let ok = expected == observed
        let shown = String(observed.prefix(80))
        return Evaluation(value: ok ? 1 : 0, explanation: ok ? "label \(Quote.short(expected))" : "expected label \(Quote.short(expected)), got \(Quote.short(observed))",
                          metadata: ["expected_label": String(expected.prefix(80)), "observed_label": shown])
    }

    /// The label's form for comparison: as given in `labels` when one matches, else lower-cased unless
    /// case-sensitive.
    private func canonical(_ s: String) -> String {
        if caseSensitive { return s }
        if let match = labels?.first(where: { $0.lowercased() == s.lowercased() }) { return match }
        return s.lowercased()
    }
}
