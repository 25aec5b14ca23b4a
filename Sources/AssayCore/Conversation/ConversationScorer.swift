/// A built-in conversation scorer (docs/conversations.md, "Conversation scorers"): judges a played
/// conversation as a whole, from its turn records, the script it followed and the end-to-end result of
/// its final answer. Each is a component of its own, named by its kind, so the matrix, the scaling
/// check, the routing advice, the gate and JUnit treat it like any other.
public struct ConversationScorer: Sendable {
    /// The kinds.
    public typealias Kind = ConversationScorerKind

    /// The kind, also the component's name.
    public var kind: Kind
    /// `context_per_turn`: how many times the first turn's context the last turn's may be, when no
    /// turn reduced it.
    public var maxRatio: Double
    /// `context_per_turn`: the largest input any model call may send, tokens; nil: no limit.
    public var maxInputTokens: Int64?
    /// The value a conversation needs to pass, 0 to 1 (default 1: every fact recalled, every exchange
    /// needed, every restart carried); also what the routing advice asks of a tier's mean.
    public var threshold: Double

    /// A scorer.
    public init(kind: Kind, maxRatio: Double = 2, maxInputTokens: Int64? = nil, threshold: Double = 1) {
        self.kind = kind
        self.maxRatio = maxRatio
        self.maxInputTokens = maxInputTokens
        self.threshold = threshold
    }

    /// The component's name.
    public var name: String { kind.rawValue }

    /// What the runner knows of a played conversation.
    public struct Outcome: Sendable {
        /// The turns played, in order.
        public var turns: [TurnRecord]
        /// The turns the example scripts.
        public var scriptedTurns: Int
        /// The exchanges the script needs for the turns played: each turn's message and its decisions.
        public var scriptedExchanges: Int
        /// Why the conversation stopped before its last scripted turn ended, if it did.
        public var stopped: String?
        /// Whether it stopped on an interrupt the script had no decision for.
        public var stoppedOnUnscriptedInterrupt: Bool
        /// Whether an exchange failed (an error, a crash, a timeout), ending the conversation.
        public var failed = false
        /// The scripted decisions the agent never asked for, e.g. `turn 1: approve`: it went ahead
        /// without the person it should have asked.
        public var unasked: [String] = []
        /// The suite's `end_to_end` result on the final answer against the example's expected end
        /// state; nil when the suite has no `end_to_end`.
        public var endToEnd: ComponentResult?
        /// The facts the example declares.
        public var memory: [MemoryFact]
        /// Per turn (index 0 is turn 1): what the agent said and did, as text: every answer and
        /// interrupt of the turn and the arguments of its tool calls.
        public var turnTexts: [String]

        /// Creates an outcome.
        public init(turns: [TurnRecord], scriptedTurns: Int, scriptedExchanges: Int, stopped: String?, stoppedOnUnscriptedInterrupt: Bool,
                    endToEnd: ComponentResult?, memory: [MemoryFact], turnTexts: [String]) {
            self.turns = turns
            self.scriptedTurns = scriptedTurns
            self.scriptedExchanges = scriptedExchanges
            self.stopped = stopped
            self.stoppedOnUnscriptedInterrupt = stoppedOnUnscriptedInterrupt
            self.endToEnd = endToEnd
            self.memory = memory
            self.turnTexts = turnTexts
        }
    }

    /// Scores a conversation.
    public func score(_ o: Outcome) -> ComponentResult {
        let s: Score = switch kind {
        case .goal: goal(o)
        case .turnsUsed: turnsUsed(o)
        case .memory: memory(o)
        case .restartState: restartState(o)
        case .contextPerTurn: contextPerTurn(o)
        }
        return ComponentResult(component: name, spanIDs: [], scores: [s], weights: [1], threshold: threshold)
    }

    /// The result when the cell cannot be judged as a conversation (a single-turn example, a cell
    /// that failed before its first answer).
    public func unscored(_ reason: UnscoredReason) -> ComponentResult {
        ComponentResult(component: name, spanIDs: [], scores: [skipped(reason)], weights: [1], threshold: threshold)
    }

    // MARK: - The kinds

    private func goal(_ o: Outcome) -> Score {
        if let stopped = o.stopped { return scored(0, "the conversation did not reach its end: \(stopped)") }
        guard let e2e = o.endToEnd else { return skipped(.notObserved("an end_to_end component to judge the end state by")) }
        guard let passed = e2e.passed else { return skipped(e2e.unscoredReason ?? .missingExpected) }
        let first = e2e.scores.first { $0.passed == false }?.explanation
        return scored(passed ? 1 : 0, passed ? "all \(o.scriptedTurns) turns played; the final answer passes end to end"
                      : "all \(o.scriptedTurns) turns played, but the final answer does not pass end to end" + (first.map { ": " + $0 } ?? ""))
    }

    private func turnsUsed(_ o: Outcome) -> Score {
        let used = o.turns.reduce(0) { $0 + $1.exchanges.count } + (o.stoppedOnUnscriptedInterrupt ? 1 : 0)
        guard used > 0, o.scriptedExchanges > 0 else { return skipped(.notObserved("an exchange with the agent")) }
        if o.failed { return skipped(.notObserved("a conversation that ran to its end (\(o.stopped ?? "an exchange failed"))")) }
        if !o.unasked.isEmpty {
            let value = max(0, Double(o.scriptedExchanges - o.unasked.count) / Double(o.scriptedExchanges))
            return scored(value, "the agent never asked for \(o.unasked.count) scripted decision\(o.unasked.count == 1 ? "" : "s") (\(o.unasked.joined(separator: ", "))): it went ahead without them",
                          metrics: [ScoreMetric("exchanges", Double(used)), ScoreMetric("scripted", Double(o.scriptedExchanges))])
        }
        let value = min(1, Double(o.scriptedExchanges) / Double(used))
        let why = used <= o.scriptedExchanges ? "\(used) exchanges for the \(o.scriptedExchanges) the script needs"
            : "\(used) exchanges where the script needs \(o.scriptedExchanges)" + (o.stoppedOnUnscriptedInterrupt ? " (the agent asked for a decision the script does not have)" : "")
        return scored(value, why, metrics: [ScoreMetric("exchanges", Double(used)), ScoreMetric("scripted", Double(o.scriptedExchanges))])
    }

    private func memory(_ o: Outcome) -> Score {
        guard !o.memory.isEmpty else { return skipped(.notObserved("a memory fact declared in the example")) }
        // A fact whose turn was not played cannot be judged: the conversation stopped before it.
        let judged = o.memory.filter { $0.usedIn >= 1 && $0.usedIn <= o.turnTexts.count }
        guard !judged.isEmpty else {
            return skipped(.notObserved("the turn that must use a fact (the conversation stopped before turn \(o.memory.map(\.usedIn).min() ?? 0))"))
        }
        var found = 0
        var missing: [String] = []
        for f in judged {
            if Self.normalized(o.turnTexts[f.usedIn - 1]).contains(Self.normalized(f.fact)) { found += 1 }
            else { missing.append("turn \(f.usedIn) does not use \(Quote.short(f.fact, limit: 40)) from turn \(f.givenIn)") }
        }
        let unplayed = o.memory.count - judged.count
        let note = unplayed > 0 ? " (\(unplayed) more not judged: their turn was not played)" : ""
        let value = Double(found) / Double(judged.count)
        return scored(value, (missing.isEmpty ? "all \(found) facts from earlier turns used" : missing.joined(separator: "; ")) + note)
    }

    private func restartState(_ o: Outcome) -> Score {
        var total = 0, carried = 0
        var problems: [String] = []
        for turn in o.turns {
            let turnPassed = !turn.components.contains { $0.passed == false }
            for (i, x) in turn.exchanges.enumerated() where x.afterRestart {
                total += 1
                let resumedID = i > 0 ? turn.exchanges[i - 1].interrupt.flatMap { try? JSONValue.parse($0) }.flatMap { AgentInterrupt(answer: $0) }?.id : nil
                let askedAgain = x.kind == .resume && x.outcome == .interrupted
                    && x.interrupt.flatMap { try? JSONValue.parse($0) }.flatMap { AgentInterrupt(answer: $0) }?.id == resumedID
                if x.outcome == .failed || x.outcome == .timeout {
                    problems.append("turn \(turn.index) \(x.kind.rawValue) after a restart: " + (x.error.map { Quote.short($0, limit: 120) } ?? x.outcome.rawValue))
                } else if askedAgain {
                    problems.append("turn \(turn.index): after a restart the agent asked again for the decision it was given")
                } else if !turnPassed, i == turn.exchanges.count - 1 {
                    problems.append("turn \(turn.index) after a restart does not pass its checks")
                } else {
                    carried += 1
                }
            }
        }
        guard total > 0 else { return skipped(.notObserved("an exchange served by a new process (a restart between turns)")) }
        return scored(Double(carried) / Double(total), problems.isEmpty ? "\(carried) exchanges after a restart carried the conversation on" : problems.joined(separator: "; "))
    }

    private func contextPerTurn(_ o: Outcome) -> Score {
        let perTurn: [(Int, Int64)] = o.turns.compactMap { t in
            let calls = t.exchanges.flatMap(\.callInputTokens)
            return calls.max().map { (t.index, $0) }
        }
        let largest = o.turns.flatMap { $0.exchanges.flatMap(\.callInputTokens) }.max() ?? 0
        guard perTurn.count >= 2 else { return skipped(.notObserved("model-call input token counts in two turns or more")) }
        let series = perTurn.map { "\($0.1)" }.joined(separator: ", ")
        if let limit = maxInputTokens, largest > limit {
            return scored(0, "a model call sent \(largest) input tokens, over the limit of \(limit) (per turn: \(series))")
        }
        // Measured from the first turn with a nonzero count, to the last turn played.
        guard let start = perTurn.first(where: { $0.1 > 0 }) else { return skipped(.notObserved("a nonzero input token count")) }
        let end = perTurn[perTurn.count - 1]
        let ratio = Double(end.1) / Double(start.1)
        let ratioText = String((ratio * 100).rounded() / 100)
        if ratio > maxRatio {
            return scored(0, "the context grows and is not reduced: largest input per turn \(series) tokens (×\(ratioText) from turn \(start.0) to turn \(end.0), over ×\(maxRatio.formatted))",
                          metrics: [ScoreMetric("ratio", ratio)])
        }
        return scored(1, "largest input per turn \(series) tokens (×\(ratioText) from turn \(start.0) to turn \(end.0), at most ×\(maxRatio.formatted))",
                      metrics: [ScoreMetric("ratio", ratio)])
    }

    // MARK: - Helpers

    /// Lower-cased, runs of whitespace made one space: how facts are compared.
    static func normalized(_ text: String) -> String {
        text.lowercased().split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    private func scored(_ v: Double, _ why: String, metrics: [ScoreMetric] = []) -> Score {
        Score(scorer: name, kind: .conversation(kind), parameters: parametersJSON, threshold: threshold, outcome: .scored(value: v, passed: v >= threshold),
              explanation: why, metrics: metrics)
    }

    private func skipped(_ reason: UnscoredReason) -> Score {
        Score(scorer: name, kind: .conversation(kind), parameters: parametersJSON, threshold: threshold, outcome: .unscored(reason), explanation: reason.description)
    }

    /// The parameters as canonical JSON.
    var parametersJSON: String {
        guard kind == .contextPerTurn else { return "{}" }
        var members: [(String, JSONValue)] = [("max_ratio", .number(maxRatio.formatted))]
        if let maxInputTokens { members.append(("max_input_tokens", .number(String(maxInputTokens)))) }
        return JSONValue.object(members).canonicalJSON
    }
}
