/// The kinds of conversation scorer (docs/conversations.md), by their configuration names; the
/// scorers themselves are `ConversationScorer` (Conversation).
public enum ConversationScorerKind: String, Sendable, CaseIterable {
    /// Every scripted turn was played and the final answer passes end to end: 1 or 0.
    case goal
    /// Scripted exchanges over exchanges used, at most 1.
    case turnsUsed = "turns_used"
    /// The share of declared facts found in the later turn that must use them.
    case memory
    /// The share of exchanges served by a new process that carried the conversation on.
    case restartState = "restart_state"
    /// The largest model-call input per turn does not keep growing: 1 or 0.
    case contextPerTurn = "context_per_turn"
}
