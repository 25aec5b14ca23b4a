import Foundation
import Testing
@testable import AssayCore
import AssayEval
@testable import AssayRunner

@Suite("The suite's conversation section")
struct SuiteConversationTests {
    static func load(_ text: String) throws(EvalError) -> Suite {
        try SuiteLoader(scorers: ScorerFileLoader()).parse(text, source: "assay.yaml")
    }

    static let head = """
        agent: {command: [agent]}
        tiers: {low: {model: sim-low}}
        datasets: [d.jsonl]
        end_to_end: {scorers: [{kind: token_f1}]}

        """

    @Test("without the section every conversation scorer is on and restarts are off; a component of the same name wins")
    func defaults() throws {
        let suite = try Self.load(Self.head)
        #expect(suite.conversation.scorers.map(\.name) == ["goal", "turns_used", "memory", "restart_state", "context_per_turn"])
        #expect(!suite.conversation.restartBetweenTurns)
        let named = try Self.load(Self.head + "components:\n  - {component: memory, selector: root, scorers: [{kind: valid_json}]}\n")
        #expect(named.conversation.scorers.map(\.name) == ["goal", "turns_used", "restart_state", "context_per_turn"])
    }

    @Test("the section lists scorers with their parameters and turns restarts on")
    func read() throws {
        let suite = try Self.load(Self.head + """
            conversation:
              restart_between_turns: true
              scorers: [{kind: goal, threshold: 0.8}, {kind: context_per_turn, max_ratio: 3, max_input_tokens: 9000}]
            """)
        #expect(suite.conversation.scorers[0].threshold == 0.8 && suite.conversation.scorers[1].threshold == 1)
        #expect(suite.conversation.restartBetweenTurns)
        #expect(suite.conversation.scorers.map(\.name) == ["goal", "context_per_turn"])
        #expect(suite.conversation.scorers[1].maxRatio == 3 && suite.conversation.scorers[1].maxInputTokens == 9000)
    }

    @Test("every problem in the section is located")
    func problems() {
        do {
            _ = try Self.load(Self.head + """
                conversation:
                  restart_between_turns: sometimes
                  scorers: [goal, recall, {kind: memory, max_ratio: 2}, goal]
                  turns: 3
                """)
            Issue.record("expected problems")
        } catch {
            let text = error.description
            #expect(text.contains("assay.yaml:6: conversation.restart_between_turns: expected true or false"), "\(text)")
            #expect(text.contains("conversation.scorers[1]: expected one of goal, turns_used, memory, restart_state, context_per_turn"), "\(text)")
            #expect(text.contains("conversation.scorers[2].max_ratio: only context_per_turn takes max_ratio"), "\(text)")
            #expect(text.contains("conversation.scorers[3]: goal is listed twice"), "\(text)")
            #expect(text.contains("conversation.turns: unknown key"), "\(text)")
        }
    }
}
