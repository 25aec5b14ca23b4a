import AssayCore
import Foundation

/// The terminal lines of a run's fault plans: one per finding of the resilience summary, bottlenecks
/// first (then handled, rising, near the top, hurt components, unjudged), and one line of recovery per
/// plan and tier. Empty when the run had no fault plan. Plan and component names are made safe for a
/// terminal.
enum ResilienceLines {
    static func render(_ run: RunRecord) -> String {
        let r = ResilienceSummary(run)
        guard !r.isEmpty else { return "" }
        var out = ""
        for condition in r.conditions {
            let cells = r.tiers.compactMap { t in r.column(condition, t).map { c in
                "\(t) \(c.recovery.map { String(format: "%.2f", $0) } ?? "-") (\(c.failedCells)/\(c.cells) failed)"
            } }
            out += "resilience: \(DisplayFormat.safe(condition, limit: 60)): recovery \(DisplayFormat.safe(cells.joined(separator: ", "), limit: 400))\n"
        }
        for f in r.findings {
            let label = f.kind == .bottleneck ? "resilience check" : "resilience"
            out += "\(label): \(DisplayFormat.safe(f.text, limit: 600))\n"
        }
        return out
    }
}
