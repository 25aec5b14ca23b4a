package import AssayCore

/// Turns a run record into the gate's input: per component × column, example id → outcome.
///
/// A column is a tier (`mid`) or a tier under a fault plan (`mid@rate_limited`, `CellKey.column`): each
/// is gated on its own, so a baseline compares faulted cells with faulted cells of the same plan, and
/// the gate's tier filter `[mid]` gates `mid@rate_limited` too (`GateConfiguration.gatesTier`). The
/// failed-cell check leaves faulted columns out (their cells fail by design).
///
/// Repeats are folded into one outcome per example: the score is the mean over the repeats (so with
/// repeats a pass/fail component is compared by per-example pass rates, clustered by example), and
/// `passed` is true when a strict majority passed (a tie counts as a fail, so that a flaky example
/// does not hide a regression).
///
/// **Errors are failures.** A cell that crashed, timed out or could not start did not do the work: it
/// counts as a score of 0 and a fail in every component of its example, and in its tier's count of
/// failed cells. A component left unscored in a cell that ran (it does not apply to the example, or
/// no expected value) stays out, as it is not the agent's failure.
///
/// ```swift
/// let report = try Gate.evaluate(baseline: baseline.gateRun, candidate: GateInput.run(record))
/// ```
package enum GateInput {
    /// The run's outcomes by cell and example id.
    package static func run(_ record: RunRecord) -> GateRun {
        var tallies: [GateCell: [String: Tally]] = [:]
        var tiers: [String: GateTierCounts] = [:]
        for cell in record.cells {
            let column = cell.key.column
            tiers[column, default: GateTierCounts()].cells += 1
            if cell.status != .ok {
                tiers[column]!.failed += 1
                if cell.status == .timeout { tiers[column]!.timedOut += 1 }
            }
            for component in record.components {
                let gateCell = GateCell(component: component, tier: column)
                var tally = tallies[gateCell]?[cell.key.example] ?? Tally()
                if cell.status != .ok {
                    tally.scored += 1
                } else if let result = cell.result(component), let value = result.value, value.isFinite {
                    tally.sum += value
                    tally.scored += 1
                    if result.passed == true { tally.passes += 1 }
                }
                tallies[gateCell, default: [:]][cell.key.example] = tally
            }
        }
        var run = GateRun(outcomes: tallies.mapValues { $0.mapValues(\.outcome) })
        run.tiers = tiers
        return run
    }

    /// Repeats of one example in one cell.
    private struct Tally {
        var sum = 0.0
        var scored = 0
        var passes = 0

        var outcome: GateOutcome {
            guard scored > 0 else { return GateOutcome() }
            return GateOutcome(score: sum / Double(scored), passed: passes * 2 > scored)
        }
    }
}
