import Foundation

extension Score: Codable {
    private enum Keys: String, CodingKey { case scorer, kind, parameters, threshold, value, passed, unscored, reason, explanation, metrics, metadata }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        let outcome: ScoreOutcome
        if let value = try c.decodeIfPresent(Double.self, forKey: .value) {
            outcome = .scored(value: value, passed: try c.decode(Bool.self, forKey: .passed))
        } else {
            let code = try c.decode(String.self, forKey: .unscored)
            let reason = try c.decodeIfPresent(String.self, forKey: .reason) ?? ""
            outcome = .unscored(UnscoredReason(code: code, sentence: reason))
        }
        let metrics = try c.decodeIfPresent([String: Double].self, forKey: .metrics) ?? [:]
        self.init(scorer: try c.decode(String.self, forKey: .scorer), kind: ScorerKind(try c.decode(String.self, forKey: .kind)),
                  parameters: try c.decode(String.self, forKey: .parameters), threshold: try c.decode(Double.self, forKey: .threshold),
                  outcome: outcome, explanation: try c.decode(String.self, forKey: .explanation),
                  metrics: metrics.keys.sorted().map { ScoreMetric($0, metrics[$0]!) },
                  metadata: try c.decodeIfPresent([String: String].self, forKey: .metadata) ?? [:])
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(scorer, forKey: .scorer)
        try c.encode(kind.name, forKey: .kind)
        try c.encode(parameters, forKey: .parameters)
        try c.encode(threshold, forKey: .threshold)
        switch outcome {
        case .scored(let value, let passed):
            try c.encode(value, forKey: .value)
            try c.encode(passed, forKey: .passed)
        case .unscored(let reason):
            try c.encode(reason.code, forKey: .unscored)
            try c.encode(reason.description, forKey: .reason)
        }
        try c.encode(explanation, forKey: .explanation)
        if !metrics.isEmpty { try c.encode(Dictionary(metrics.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a }), forKey: .metrics) }
        if !metadata.isEmpty { try c.encode(metadata, forKey: .metadata) }
    }
}

extension UnscoredReason {
    /// The text that goes with the code (empty for reasons without one).
    public var detail: String {
        switch self {
        case .missingExpected, .noSpanMatched, .noAgentSpans: ""
        case .notObserved(let s), .invalidExpected(let s), .scorerFailed(let s): s
        }
    }

    /// A reason from its code and the sentence written beside it (`reason`), or the bare detail that
    /// records before the sentence held.
    public init(code: String, sentence: String) {
        let prefixes = ["not_observed": "the spans did not record ", "invalid_expected": "the expected value is invalid: ",
                        "scorer_failed": "the scorer failed: "]
        var detail = sentence
        if let prefix = prefixes[code], sentence.hasPrefix(prefix) { detail = String(sentence.dropFirst(prefix.count)) }
        self.init(code: code, detail: detail)
    }

    /// A reason from its code and detail (an unknown code reads as a scorer failure).
    public init(code: String, detail: String) {
        switch code {
        case "missing_expected": self = .missingExpected
        case "no_span_matched": self = .noSpanMatched
        case "no_agent_spans": self = .noAgentSpans
        case "not_observed": self = .notObserved(detail)
        case "invalid_expected": self = .invalidExpected(detail)
        default: self = .scorerFailed(detail)
        }
    }
}

extension ComponentResult: Codable {
    private enum Keys: String, CodingKey { case component, spanIds, scores, weights, threshold, value, passed }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        self.init(component: try c.decode(String.self, forKey: .component),
                  spanIDs: try c.decode([String].self, forKey: .spanIds).compactMap { SpanID(hex: $0) },
                  scores: try c.decode([Score].self, forKey: .scores), weights: try c.decode([Double].self, forKey: .weights),
                  threshold: try c.decodeIfPresent(Double.self, forKey: .threshold))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(component, forKey: .component)
        try c.encode(spanIDs.map(\.description), forKey: .spanIds)
        try c.encode(scores, forKey: .scores)
        try c.encode(weights, forKey: .weights)
        try c.encodeIfPresent(threshold, forKey: .threshold)
        try c.encodeIfPresent(value, forKey: .value)
        try c.encodeIfPresent(passed, forKey: .passed)
    }
}
