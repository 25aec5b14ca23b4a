/// The built-in scorer kinds, by their configuration names.
public enum BuiltinScorerKind: String, Sendable, CaseIterable, Hashable {
    /// The output equals the expected value.
    case exactMatch = "exact_match"
    /// Equal after normalising case, whitespace and punctuation.
    case normalizedMatch = "normalized_match"
    /// The output contains a text.
    case contains
    /// The output contains every text.
    case containsAll = "contains_all"
    /// The output contains at least one text.
    case containsAny = "contains_any"
    /// The output matches a regular expression.
    case regex
    /// The output is JSON.
    case validJSON = "valid_json"
    /// The output is JSON valid against a schema.
    case jsonSchema = "json_schema"
    /// The value at a JSONPath equals the expected one.
    case jsonPathEquals = "json_path_equals"
    /// The output is a number within tolerance.
    case numeric
    /// Character edit-distance similarity.
    case levenshtein
    /// Word-overlap F1.
    case tokenF1 = "token_f1"
    /// Classification label match.
    case label
    /// Tool calls: precision, recall, F1.
    case toolCalls = "tool_calls"
    /// The sequence of steps, by edit distance.
    case trajectory
    /// Recall, precision, MRR or nDCG at k.
    case retrieval
    /// Duration within a budget.
    case latencyBudget = "latency_budget"
    /// Tokens within a budget.
    case tokenBudget = "token_budget"
    /// Cost within a budget.
    case costBudget = "cost_budget"
    /// No span failed.
    case noErrorSpans = "no_error_spans"
    /// LLM input size and its growth within limits.
    case contextGrowth = "context_growth"

    /// The threshold when none is configured: 0.8 for `levenshtein` and `token_f1`, 1 for the rest.
    public var defaultThreshold: Double {
        switch self {
        case .levenshtein, .tokenF1: 0.8
        default: 1
        }
    }
}

/// Makes built-in scorers from a kind name and parameters.
public enum BuiltinScorers {
    /// Makes a built-in scorer, checking its parameters.
    ///
    /// "Observed" is the component's observed output, else the output text of the last selected span
    /// that has one; "expected" is the example's expected value. Scorers that need an expected value
    /// are unscored (`missingExpected`) without one, and unscored (`noSpanMatched`) when nothing was
    /// selected. Values are 0 to 1 and pass at `threshold` (default in parentheses after the kind).
    /// Trace-level kinds take `scope`: `trace` (default; the whole trace) or `spans` (the selection).
    ///
    /// | kind (threshold) | parameters (default) | value |
    /// |---|---|---|
    /// | `exact_match` (1) | `trim` (true), `case_sensitive` (true) | 1 when equal; a non-string expected value is compared as JSON |
    /// | `normalized_match` (1) | `case`, `whitespace`, `punctuation` (all true: ignore that difference) | 1 when equal after NFKC and normalising |
    /// | `contains` (1) | `values` (else expected), `case_sensitive` (true), `normalize` (false) | 1 when the text is in the output |
    /// | `contains_all` (1) | as `contains`; a list of texts | share found; passes when all are found |
    /// | `contains_any` (1) | as `contains`; a list of texts | 1 when any is found |
    /// | `regex` (1) | `pattern` (else expected; Swift regex syntax), `full_match` (false), `case_sensitive` (true) | 1 when it matches |
    /// | `valid_json` (1) | `strip_code_fence` (false) | 1 when the output parses as JSON |
    /// | `json_schema` (1) | `schema` (else expected; draft 2020-12 common keywords), `strip_code_fence` (false) | 1 when valid; the first violation is explained with its JSON pointer |
    /// | `json_path_equals` (1) | `path` (required: `$.a.b[0]["c"]`), `value` (else expected), `strip_code_fence` (false) | 1 when the value there equals, as JSON |
    /// | `numeric` (1) | `tolerance` (0, absolute), `relative_tolerance` (0), `extract` (false: the last number in the text) | 1 when within tolerance |
    /// | `levenshtein` (0.8) | `normalize` (false) | 1 − edit distance / longer length, in characters; unscored above 25 million cells |
    /// | `token_f1` (0.8) | none | SQuAD token F1; `precision`, `recall`, `f1` metrics |
    /// | `label` (1) | `labels` (any), `case_sensitive` (false), `path` (none: the whole output; e.g. `$.label` in JSON output and expected) | 1 when the trimmed output is the expected label; labels recorded for `ConfusionMatrix` |
    /// | `tool_calls` (1) | `ordered` (false), `arguments` (`exact`, `subset`, `ignore`; `exact`) | F1 over calls; expected: names or `{name, arguments}` |
    /// | `trajectory` (1) | `steps` (`tools` or `spans`; `tools`) | 1 − edit distance / longer length over step names |
    /// | `retrieval` (1) | `metric` (`recall`, `precision`, `mrr`, `ndcg`; `recall`), `k` (10) | the metric at k; expected: relevant document ids |
    /// | `latency_budget` (1) | `max_ms` (required), `scope` | 1 when within budget |
    /// | `token_budget` (1) | `max_tokens` (required), `count` (`total`, `input`, `output`; `total`), `scope` | 1 when within budget |
    /// | `cost_budget` (1) | `max_usd` (required) | 1 when the run's cost is within budget; unscored when unknown |
    /// | `no_error_spans` (1) | `scope` | 1 when no span has status error |
    /// | `context_growth` (1) | `max_input_tokens`, `max_growth`, `max_growth_ratio` (one required), `scope` | 1 when the largest input and call-to-call growth are within limits |
    ///
    /// ```swift
    /// let scorer = try BuiltinScorers.make(kind: "retrieval", parameters: JSONText.parse(#"{"metric":"ndcg","k":5}"#)!, threshold: 0.7)
    /// ```
    ///
    /// - Parameters:
    ///   - kind: one of the kinds above.
    ///   - parameters: a JSON object of parameters, or null for none. Unknown parameters are errors.
    ///   - threshold: 0 to 1; nil for the kind's default.
    ///   - name: the name recorded with scores; nil for the kind.
    /// - Throws: `AssayError` naming the kind and the bad parameter.
    package static func make(kind: String, parameters: JSONValue, threshold: Double? = nil, name: String? = nil) throws(AssayError) -> BuiltinScorer {
        guard let k = BuiltinScorerKind(rawValue: kind) else {
            throw AssayError.setting(place: kind, problem: "unknown scorer kind (known: \(BuiltinScorerKind.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let p = try ScorerParameters(kind: kind, value: parameters)
        if let threshold, !(0...1).contains(threshold) {
            throw AssayError.setting(place: kind, field: "threshold", problem: "expected a number from 0 to 1, got \(threshold.formatted)")
        }
        return BuiltinScorer(name: name ?? kind, kind: k, parametersJSON: parameters.canonicalParameters,
                             threshold: threshold ?? k.defaultThreshold, rule: try rule(k, p))
    }

    private static func rule(_ kind: BuiltinScorerKind, _ p: ScorerParameters) throws(AssayError) -> any ScoringRule {
        switch kind {
        case .exactMatch: try ExactMatchRule(p)
        case .normalizedMatch: try NormalizedMatchRule(p)
        case .contains: try ContainsRule(p, mode: .one)
        case .containsAll: try ContainsRule(p, mode: .all)
        case .containsAny: try ContainsRule(p, mode: .any)
        case .regex: try RegexRule(p)
        case .validJSON: try ValidJSONRule(p)
        case .jsonSchema: try JSONSchemaRule(p)
        case .jsonPathEquals: try JSONPathEqualsRule(p)
        case .numeric: try NumericRule(p)
        case .levenshtein: try LevenshteinRule(p)
        case .tokenF1: try TokenF1Rule(p)
        case .label: try LabelRule(p)
        case .toolCalls: try ToolCallsRule(p)
        case .trajectory: try TrajectoryRule(p)
        case .retrieval: try RetrievalRule(p)
        case .latencyBudget: try LatencyBudgetRule(p)
        case .tokenBudget: try TokenBudgetRule(p)
        case .costBudget: try CostBudgetRule(p)
        case .noErrorSpans: try NoErrorSpansRule(p)
        case .contextGrowth: try ContextGrowthRule(p)
        }
    }
}

extension JSONValue {
    /// Parameters as recorded with scores: canonical JSON, `{}` for null.
    var canonicalParameters: String {
        if case .null = self { return "{}" }
        return canonicalJSON
    }
}
