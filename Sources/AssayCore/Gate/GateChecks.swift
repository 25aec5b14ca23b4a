import Foundation

/// One gated tier's reliability: its failed cells against the allowed share (and the baseline's).
public struct GateReliability: Hashable, Sendable {
    /// The tier.
    public var tier: String
    /// The candidate's counts.
    public var candidate: GateTierCounts
    /// The baseline's share of failed cells, when known.
    public var baselineShare: Double?
    /// The allowed share.
    public var allowed: Double
    /// Whether the tier failed more cells than allowed.
    public var failed: Bool { candidate.failedShare > allowed + 1e-12 }
}

/// One component's floor on one gated tier, and whether the candidate is below it beyond doubt.
public struct GateFloorCheck: Hashable, Sendable {
    /// The cell.
    public var cell: GateCell
    /// `mean` or `pass rate`.
    public var measure: String
    /// The floor.
    public var floor: Double
    /// The candidate's estimate and the upper end of its one-sided 95% interval; nil when nothing was scored.
    public var estimate: Double?
    public var upper: Double?
    /// Examples the estimate stands on.
    public var examples: Int
    /// Below the floor beyond doubt: the interval's upper end is under it.
    public var failed: Bool { upper.map { $0 < floor } ?? false }
}

/// The checks that need no baseline: failed cells per tier, and floors.
enum GateChecks {
    /// Every gated tier of the candidate with its failed share. Columns under a fault plan
    /// (`mid@rate_limited`) are left out: their cells fail by design, and the baseline comparison and the
    /// resilience summary judge them.
    static func reliability(candidate: GateRun, baseline: GateRun?, configuration: GateConfiguration) -> [GateReliability] {
        candidate.tiers.keys.sorted().filter { configuration.gatesTier($0) && !GateConfiguration.isFaulted($0) }.map { tier in
            GateReliability(tier: tier, candidate: candidate.tiers[tier]!, baselineShare: baseline?.tiers[tier].map(\.failedShare),
                            allowed: configuration.maxErrorShare)
        }
    }

    /// Every floor on every gated tier of the candidate. Floors are what production must reach, so
    /// they hold on clean columns; a column under a fault plan is compared with its baseline instead.
    static func floors(candidate: GateRun, configuration: GateConfiguration) -> [GateFloorCheck] {
        var checks: [GateFloorCheck] = []
        for cell in candidate.outcomes.keys.sorted() where configuration.gates(cell) && !GateConfiguration.isFaulted(cell.tier) {
            guard let floor = configuration.floors[cell.component] else { continue }
            let outcomes = Array(candidate.outcomes[cell]!.values)
            if let minimum = floor.mean {
                let scores = outcomes.compactMap(\.score).filter(\.isFinite)
                let (mean, upper) = meanUpper(scores)
                checks.append(GateFloorCheck(cell: cell, measure: "mean", floor: minimum, estimate: mean, upper: upper, examples: scores.count))
            }
            if let minimum = floor.passRate {
                let flags = outcomes.compactMap(\.binary)
                let passes = flags.filter { $0 }.count
                checks.append(GateFloorCheck(cell: cell, measure: "pass rate", floor: minimum,
                                             estimate: flags.isEmpty ? nil : Double(passes) / Double(flags.count),
                                             upper: wilsonUpper(passes, flags.count), examples: flags.count))
            }
        }
        return checks
    }

    /// The mean and the upper end of its one-sided 95% Student-t interval (per-example scores).
    static func meanUpper(_ values: [Double]) -> (Double?, Double?) {
        guard !values.isEmpty else { return (nil, nil) }
        let n = Double(values.count)
        let mean = values.reduce(0, +) / n
        guard values.count > 1 else { return (mean, 1) }
        let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / (n - 1)
        // t(0.95) through the two-sided 90% table value.
        let t = RunSummary.tQuantile95OneSided(values.count - 1)
        return (mean, min(1, mean + t * (variance / n).squareRoot()))
    }

    /// The upper end of the one-sided 95% Wilson interval for `passes` of `n`.
    static func wilsonUpper(_ passes: Int, _ n: Int) -> Double? {
        guard n > 0 else { return nil }
        let z = 1.6448536269514722
        let p = Double(passes) / Double(n), nn = Double(n)
        let centre = p + z * z / (2 * nn)
        let half = z * (p * (1 - p) / nn + z * z / (4 * nn * nn)).squareRoot()
        return min(1, (centre + half) / (1 + z * z / nn))
    }
}
