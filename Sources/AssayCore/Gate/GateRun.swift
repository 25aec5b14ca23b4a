/// The per-example outcomes of one run (the baseline or the candidate), by cell and example id.
///
/// ```swift
/// var baseline = GateRun()
/// baseline.record(GateOutcome(score: 0.8), cell: GateCell(component: "judge", tier: "hard"), example: "q17")
/// ```
public struct GateRun: Hashable, Sendable {
    /// Outcomes by cell, then by example id.
    public var outcomes: [GateCell: [String: GateOutcome]]
    /// The run's cells by tier: how many ran, failed, crashed; empty when not known (a baseline file).
    public var tiers: [String: GateTierCounts] = [:]

    /// Creates a run from outcomes by cell and example id.
    public init(outcomes: [GateCell: [String: GateOutcome]] = [:]) {
        self.outcomes = outcomes
    }

    /// Records (or replaces) the outcome of one example in one cell.
    public mutating func record(_ outcome: GateOutcome, cell: GateCell, example: String) {
        outcomes[cell, default: [:]][example] = outcome
    }
}
