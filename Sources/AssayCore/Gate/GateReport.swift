import Foundation

/// The gate's findings: per cell (when a baseline was compared), per gated tier's failed cells, and
/// per floor; and the overall verdict that every report prints the same way.
public struct GateReport: Hashable, Sendable {
    /// The settings used (with the bootstrap resamples actually drawn).
    public var configuration: GateConfiguration
    /// One decision per cell present in either run, sorted by cell; empty without a baseline.
    public var decisions: [GateDecision]
    /// Whether a baseline was compared.
    public var compared = true
    /// Each gated tier's failed cells against the allowed share.
    public var reliability: [GateReliability] = []
    /// Each floor on each gated tier.
    public var floors: [GateFloorCheck] = []

    /// Creates a report.
    public init(configuration: GateConfiguration, decisions: [GateDecision]) {
        self.configuration = configuration
        self.decisions = decisions
    }

    /// Gated cells that regressed.
    public var regressions: [GateDecision] { decisions.filter { $0.gated && $0.verdict == .regressed } }

    /// Gated cells that could not be judged.
    public var unjudged: [GateDecision] {
        decisions.filter { d in
            guard d.gated, case .inconclusive = d.verdict else { return false }
            return true
        }
    }

    /// Whether any gated cell regressed.
    public var regressed: Bool { !regressions.isEmpty }

    /// Whether the gate fails: a gated regression, a tier with more failed cells than allowed, a
    /// floor missed beyond doubt, or (when so configured) a gated cell that could not be judged.
    public var failed: Bool { !failures.isEmpty }

    /// Whether anything was checked at all: a gated cell compared, a floor, or a tier's failed cells.
    public var checked: Bool {
        decisions.contains { $0.gated && $0.adjustedPValue != nil } || !floors.isEmpty || !reliability.isEmpty
    }

    /// The decisions with the given verdict.
    public func decisions(_ verdict: GateVerdict) -> [GateDecision] {
        decisions.filter { $0.verdict == verdict }
    }

    /// Why the gate fails, one sentence each; empty when it passes.
    public var failures: [String] {
        var out = regressions.map { d in
            let what = d.method == .mcnemarExact ? "pass rate" : "mean score"
            let change = d.meanDifference.map { String(format: "%+.3f", $0) } ?? "?"
            let interval = d.low.flatMap { l in d.high.map { String(format: " (95%% CI %+.3f to %+.3f)", l, $0) } } ?? ""
            return "\(d.cell.component) on \(d.cell.tier) regressed: \(what) \(change)\(interval) on \(d.shared) examples, "
                + "Holm-adjusted one-sided p = \(String(format: "%.3g", d.adjustedPValue ?? 1))"
        }
        for r in reliability where r.failed {
            let baseline = r.baselineShare.map { ", baseline \(Self.percent($0))" } ?? ""
            out.append("tier \(r.tier): \(r.candidate.failed) of \(r.candidate.cells) cells failed (crashed, timed out or did not start; "
                       + "\(Self.percent(r.candidate.failedShare)), allowed \(Self.percent(r.allowed))\(baseline))")
        }
        for f in floors where f.failed {
            out.append("\(f.cell.component) on \(f.cell.tier): \(f.measure) \(Self.fixed(f.estimate ?? 0)) is below the floor \(Self.fixed(f.floor)) "
                       + "beyond doubt (95% upper bound \(Self.fixed(f.upper ?? 0)) on \(f.examples) examples)")
        }
        if configuration.inconclusiveFails {
            out += unjudged.map { d in
                "\(d.cell.component) on \(d.cell.tier) could not be judged (the gate fails such cells): \(d.shared) shared examples"
                    + (d.detectableDrop.map { " would catch only drops of \(Int(($0 * 100).rounded(.up))) points or more" } ?? "")
            }
        }
        return out
    }

    /// The verdict in one line, the same in every report: failed with its reasons; passed, but with
    /// cells that could not be judged and the smallest drop they would have seen; passed; or nothing
    /// checked. Never "passed" when nothing was checked.
    public var verdictLine: String {
        let failures = failures
        if !failures.isEmpty { return "FAILED: " + failures.joined(separator: "; ") }
        guard checked else { return "nothing was checked: no baseline to compare with, no floors, no cells" }
        // Say only what was checked: floors when there were any, failed cells when there were tiers.
        let checks = [floors.isEmpty ? nil : "floors", reliability.isEmpty ? nil : "failed cells"].compactMap { $0 }
        var line = compared ? "passed" : "passed without a comparison (no baseline): \(checks.joined(separator: " and ")) checked"
        let unjudged = unjudged
        if !unjudged.isEmpty {
            let largest = unjudged.compactMap(\.detectableDrop).max()
            line += ", but \(unjudged.count) of \(decisions.filter(\.gated).count) gated cells could not be judged"
            line += largest.map { ": drops under \(Int(($0 * 100).rounded(.up))) points would not be seen" } ?? ": no example was shared"
        } else if compared {
            line += ": \(decisions.filter(\.gated).count) gated cells compared, none regressed"
        }
        return line
    }

    /// Whether the verdict is a clean pass: something checked, nothing failed, nothing left unjudged.
    public var passedClean: Bool { checked && failures.isEmpty && unjudged.isEmpty }

    static func percent(_ share: Double) -> String { "\(Int((share * 100).rounded()))%" }
    static func fixed(_ value: Double) -> String { String(format: "%.2f", value) }
}
