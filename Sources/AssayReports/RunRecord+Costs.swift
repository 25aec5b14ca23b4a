import AssayCore

/// Costs as the reports write them: dollars, or `unknown` on a tier whose model has no price
/// (docs/prices.md, "Runs"), never $0 for a cost that is not known.
extension RunRecord {
    /// Whether costs on a tier (or a column `tier@plan`) are known; true for tiers the run does not list.
    func costKnown(tier column: String) -> Bool { tier(named: JUnitReport.split(column).tier)?.costKnown ?? true }

    /// The tiers whose model has no price and that ran cells.
    var unpricedTiers: [TierInfo] { tiers.filter { t in !t.costKnown && cells.contains { $0.key.tier == t.name } } }

    /// A cell's cost: `$0.0123`, or `unknown`.
    func costText(_ cell: CellResult) -> String { costKnown(tier: cell.key.tier) ? ReportFormat.dollars(cell.costUSD) : "unknown" }

    /// A component × tier's cost per cell: `$0.0123`, or `unknown`.
    func costText(perCell c: RunSummary.Cell) -> String { costKnown(tier: c.tier) ? ReportFormat.dollars(c.costPerCell) : "unknown" }

    /// The run's total cost: `$1.2345`, or `unknown (≥ $0.0123; no price for tier low's model sim-low)`.
    func totalCostText(_ summary: RunSummary) -> String {
        let unpriced = unpricedTiers
        guard !unpriced.isEmpty else { return ReportFormat.dollars(summary.totalCost) }
        let known = summary.totalCost > 0 ? "≥ \(ReportFormat.dollars(summary.totalCost)); " : ""
        return "unknown (\(known)no price for " + unpriced.map { "tier \($0.name)'s model \($0.model)" }.joined(separator: ", ") + ")"
    }
}
