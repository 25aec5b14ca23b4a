package import AssayCore

/// Turns a run record into the gate's input: per component × tier, example id → outcome.
///
/// Repeats are folded into one outcome per example: the score is the mean of the scored repeats, and
/// `passed` is true when a strict majority of the scored repeats passed (a tie counts as a fail, so that
/// a flaky example does not hide a regression). Unscored repeats (a crash, a timeout, a component that
/// could not be scored) are left out; an example with no scored repeat is recorded with neither score nor
/// verdict, so the gate counts it as dropped rather than treating a crash as a score of 0.
///
/// ```swift
/// let report = try Gate.evaluate(baseline: baseline.gateRun, candidate: GateInput.run(record))
/// ```
package enum GateInput {
    /// The run's outcomes by cell and example id.
    package static func run(_ record: RunRecord) -> GateRun {
        var tallies: [GateCell: [String: Tally]] = [:]
        for cell in record.cells {
            for component in record.components {
                let gateCell = GateCell(component: component, tier: cell.key.tier)
                var tally = tallies[gateCell]?[cell.key.example] ?? Tally()
                if cell.status == .ok, let result = cell.result(component), let value = result.value, value.isFinite {
                    tally.sum += value
                    tally.scored += 1
                    if result.passed == true { tally.passes += 1 }
                }
                tallies[gateCell, default: [:]][cell.key.example] = tally
            }
        }
        return GateRun(outcomes: tallies.mapValues { $0.mapValues(\.outcome) })
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
