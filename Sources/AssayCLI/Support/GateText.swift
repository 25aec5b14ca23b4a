import AssayCore
import Foundation

/// The gate's terminal output: the cells compared, then the verdict line every report shares.
enum GateText {
    static func render(_ report: GateReport, baseline: String?) -> String {
        var out = ""
        if !report.decisions.isEmpty {
            var rows = [["COMPONENT", "TIER", "GATED", "VERDICT", "SHARED", "DIFFERENCE", "95% INTERVAL", "P (HOLM, ONE-SIDED)", "DETECTS"]]
            for d in report.decisions {
                rows.append([d.cell.component, d.cell.tier, d.gated ? "yes" : "no", d.verdict.description, String(d.shared),
                             d.meanDifference.map { String(format: "%+.3f", $0) } ?? "-",
                             d.low.flatMap { l in d.high.map { String(format: "[%+.3f, %+.3f]", l, $0) } } ?? "-",
                             d.adjustedPValue.map { String(format: "%.4f", $0) } ?? "-",
                             d.detectableDrop.map { "drops ≥ \(Int(($0 * 100).rounded(.up))) pts" } ?? "-"])
            }
            out += Table.render(rows)
        } else {
            out += "no baseline: no comparison was made (save one with  assay baseline save latest --to Reports/baseline.json)\n"
        }
        for r in report.reliability where r.candidate.failed > 0 {
            out += "tier \(r.tier): \(r.candidate.failed) of \(r.candidate.cells) cells failed (\(r.candidate.timedOut) timed out)\n"
        }
        for f in report.floors {
            out += "floor: \(f.cell.component) on \(f.cell.tier): \(f.measure) \(f.estimate.map { String(format: "%.2f", $0) } ?? "-") "
                + "(95% upper \(f.upper.map { String(format: "%.2f", $0) } ?? "-")) against \(String(format: "%.2f", f.floor))\(f.failed ? ": BELOW" : "")\n"
        }
        out += "gate\(baseline.map { " against \($0)" } ?? ""): \(report.verdictLine)\n"
        return out
    }
}
