@testable import AssayCore
import Testing

/// The conversation scorers judge a played conversation from its turn records and script, and leave
/// unscored what was not observed (docs/conversations.md).
@Suite("Conversation scorers")
struct ConversationScorerTests {
    static let trace = TraceID(hex: "0af7651916cd43dd8448eb211c80319c")!

    static func exchange(_ kind: ExchangeRecord.Kind, _ outcome: ExchangeRecord.Outcome, answer: String? = nil, interrupt: String? = nil,
                         afterRestart: Bool = false, calls: [Int64] = [], error: String? = nil) -> ExchangeRecord {
        ExchangeRecord(kind: kind, outcome: outcome, traceID: trace, answer: answer, interrupt: interrupt, afterRestart: afterRestart, error: error,
                       callInputTokens: calls)
    }

    static func e2e(_ passed: Bool?) -> ComponentResult {
        let outcome: ScoreOutcome = passed.map { .scored(value: $0 ? 1 : 0, passed: $0) } ?? .unscored(.missingExpected)
        return ComponentResult(component: "end_to_end", spanIDs: [], scores: [Score(scorer: "exact_match", kind: ScorerKind("exact_match"), threshold: 1,
                                                                                   outcome: outcome, explanation: "differs")],
                               weights: [1], threshold: nil)
    }

    static let approval = #"{"interrupt":{"id":"draft-1","kind":"approval"}}"#

    /// Turn 1: a message answered with an interrupt, then the decision; turn 2: a question.
    static func outcome(resume: ExchangeRecord.Outcome = .answered, resumeRestart: Bool = false, turn2Answer: String = "We agreed on Thursday.",
                        calls: [[Int64]] = [[100], [140], [180]], stopped: String? = nil, unscripted: Bool = false, e2e: Bool? = true,
                        memory: [MemoryFact] = [MemoryFact(fact: "Thursday", givenIn: 1, usedIn: 2)]) -> ConversationScorer.Outcome {
        let turns = [
            TurnRecord(index: 1, exchanges: [exchange(.message, .interrupted, interrupt: approval, calls: calls[0]),
                                             exchange(.resume, resume, answer: resume == .answered ? "\"Sent\"" : nil, interrupt: resume == .interrupted ? approval : nil,
                                                      afterRestart: resumeRestart, calls: calls[1], error: resume == .failed ? "no pending draft" : nil)]),
            TurnRecord(index: 2, exchanges: [exchange(.message, .answered, answer: turn2Answer, calls: calls[2])]),
        ]
        return ConversationScorer.Outcome(turns: turns, scriptedTurns: 2, scriptedExchanges: 3, stopped: stopped, stoppedOnUnscriptedInterrupt: unscripted,
                                          endToEnd: Self.e2e(e2e), memory: memory, turnTexts: ["Sent", turn2Answer])
    }

    static func verdict(_ kind: ConversationScorer.Kind, _ o: ConversationScorer.Outcome, maxRatio: Double = 2) -> (Double?, Bool?, String) {
        let r = ConversationScorer(kind: kind, maxRatio: maxRatio).score(o)
        return (r.value, r.passed, r.scores[0].explanation)
    }

    @Test("goal passes only when every turn was played and the final answer passes end to end")
    func goal() {
        #expect(Self.verdict(.goal, Self.outcome()).1 == true)
        #expect(Self.verdict(.goal, Self.outcome(e2e: false)).1 == false)
        let stopped = Self.verdict(.goal, Self.outcome(stopped: "turn 1 decision failed"))
        #expect(stopped.1 == false && stopped.2.contains("turn 1 decision failed"))
        #expect(Self.verdict(.goal, Self.outcome(e2e: nil)).1 == nil, "no expected end state: unscored, not failed")
    }

    @Test("turns_used counts a decision asked for again as one more exchange than the script needs")
    func turnsUsed() {
        #expect(Self.verdict(.turnsUsed, Self.outcome()).0 == 1)
        let again = Self.verdict(.turnsUsed, Self.outcome(resume: .interrupted, unscripted: true))
        #expect(again.0 == 0.75 && again.1 == false, "\(again)")
    }

    @Test("memory finds each declared fact in its later turn, case and spacing aside, and is unscored without facts")
    func memory() {
        #expect(Self.verdict(.memory, Self.outcome(turn2Answer: "we agreed on   THURSDAY")).1 == true)
        let lost = Self.verdict(.memory, Self.outcome(turn2Answer: "I do not remember"))
        #expect(lost.0 == 0 && lost.2.contains("turn 2 does not use \"Thursday\" from turn 1"), "\(lost)")
        #expect(Self.verdict(.memory, Self.outcome(memory: [])).1 == nil)
    }

    @Test("restart_state judges only exchanges after a restart: a failed decision or one asked again fails it")
    func restartState() {
        #expect(Self.verdict(.restartState, Self.outcome()).1 == nil, "no restart: unscored")
        #expect(Self.verdict(.restartState, Self.outcome(resumeRestart: true)).1 == true)
        let failed = Self.verdict(.restartState, Self.outcome(resume: .failed, resumeRestart: true))
        #expect(failed.1 == false && failed.2.contains("no pending draft"), "\(failed)")
        let asked = Self.verdict(.restartState, Self.outcome(resume: .interrupted, resumeRestart: true))
        #expect(asked.1 == false && asked.2.contains("asked again"), "\(asked)")
    }

    @Test("context_per_turn flags a context that grows every turn past the ratio, not one the harness reduces")
    func contextPerTurn() {
        // The largest call per turn: 120 in turn 1, 400 in turn 2.
        let growing = Self.verdict(.contextPerTurn, Self.outcome(calls: [[100], [120], [400]]))
        #expect(growing.1 == false && growing.2.contains("is not reduced"), "\(growing)")
        #expect(Self.verdict(.contextPerTurn, Self.outcome(calls: [[100], [120], [400]]), maxRatio: 5).1 == true)
        // Turn 1's largest call is 250; turn 2 went down to 120: the harness summarised.
        #expect(Self.verdict(.contextPerTurn, Self.outcome(calls: [[100], [250], [120]])).1 == true)
        #expect(Self.verdict(.contextPerTurn, Self.outcome(calls: [[], [], [300]])).1 == nil, "one turn with counts: unscored")
        let capped = ConversationScorer(kind: .contextPerTurn, maxRatio: 10, maxInputTokens: 150).score(Self.outcome())
        #expect(capped.passed == false)
    }

    @Test("an interrupt is read from the documented shape and from LangGraph's __interrupt__ list; a plain answer is none")
    func interrupts() throws {
        let own = try #require(AgentInterrupt(answer: try JSONValue.parse(#"{"interrupt":{"id":"d1","kind":"approval","message":"Send?"}}"#)))
        #expect(own.id == "d1" && own.kind == "approval" && own.message == "Send?")
        #expect(own.resume(HumanDecision(kind: .edit, text: "Hi")).compactJSON == #"{"interrupt_id":"d1","decision":"edit","text":"Hi"}"#)
        let graph = try #require(AgentInterrupt(answer: try JSONValue.parse(#"{"__interrupt__":[{"value":"Approve the draft?","id":"a7"}]}"#)))
        #expect(graph.id == "a7" && graph.message == "Approve the draft?")
        #expect(AgentInterrupt(answer: try JSONValue.parse(#"{"interrupt":"no"}"#)) == nil)
        #expect(AgentInterrupt(answer: .string("Sent")) == nil)
    }
}
