/// The kinds of resilience scorer (docs/resilience.md), by their configuration names; the scorers
/// themselves are `ResilienceScorer` (Faults).
public enum ResilienceScorerKind: String, Sendable, CaseIterable {
    /// The cell still passes end to end: 1 or 0.
    case recovered
    /// No side-effecting tool request reached its server twice with the same body, unless every
    /// copy carried the same idempotency key.
    case noDuplicateSideEffects = "no_duplicate_side_effects"
    /// Retries after a 429 waited as `Retry-After` said, and retries after other failures backed off.
    case respectsRetryAfter = "respects_retry_after"
    /// Model and tool calls, and cost, after the first fault stay under the caps.
    case boundedEffort = "bounded_effort"
    /// When the cell did not recover, the answer says so instead of inventing a result.
    case honestFailure = "honest_failure"
}
