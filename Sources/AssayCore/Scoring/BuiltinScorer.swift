/// A built-in scorer: a kind, its checked parameters and a threshold. Made by `BuiltinScorers.make`.
public struct BuiltinScorer: Scorer {
    /// The name recorded with scores (the kind unless configured otherwise).
    public let name: String
    /// The kind, e.g. `token_f1`.
    public let kind: BuiltinScorerKind
    /// The parameters as canonical JSON.
    public let parametersJSON: String
    /// The value a score must reach to pass.
    public let threshold: Double
    /// The kind's logic.
    let rule: any ScoringRule

    /// Scores one example.
    public func score(_ input: ScorerInput) async -> Score { evaluate(input) }

    /// Scores one example synchronously (built-in scorers do no I/O).
    public func evaluate(_ input: ScorerInput) -> Score {
        var score = Score(scorer: name, kind: .builtin(kind), parameters: parametersJSON, threshold: threshold,
                          outcome: .unscored(.scorerFailed("not evaluated")), explanation: "")
        do throws(UnscoredReason) {
            let e = try rule.evaluate(input)
            let passed = e.passed ?? (e.value >= threshold - 1e-12)
            score.outcome = .scored(value: e.value, passed: passed)
            score.explanation = e.explanation
            score.metrics = e.metrics
            score.metadata = e.metadata
        } catch {
            score.outcome = .unscored(error)
            score.explanation = error.description
        }
        return score
    }
}

/// The logic of one built-in kind, configured from its parameters.
protocol ScoringRule: Sendable {
    /// A value (0 to 1) with its explanation, or the reason there is none.
    func evaluate(_ input: ScorerInput) throws(UnscoredReason) -> Evaluation
}

/// What a rule found: a value, optionally its own verdict (budgets), and why.
struct Evaluation {
    /// 0 to 1.
    var value: Double
    /// The verdict when the rule decides it (budgets compare raw numbers); nil to compare the value
    /// with the threshold.
    var passed: Bool?
    /// One short sentence.
    var explanation: String
    /// Named numbers.
    var metrics: [ScoreMetric] = []
    /// Facts as text.
    var metadata: [String: String] = [:]

    /// A 1 or 0 verdict.
    static func verdict(_ ok: Bool, _ explanation: String, metrics: [ScoreMetric] = []) -> Evaluation {
        Evaluation(value: ok ? 1 : 0, explanation: explanation, metrics: metrics)
    }
}
