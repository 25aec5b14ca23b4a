import AssayCore
import Foundation

/// The terminal summary of a run: the component × tier matrix, the scaling check, the routing advice.
enum RunText {
    static func render(_ run: RunRecord, _ s: RunSummary) -> String {
        var rows = [["COMPONENT"] + run.tiers.map { "\($0.name) (\(DisplayFormat.safe($0.model, limit: 24)))" }]
        for c in run.components {
            rows.append([c] + run.tiers.map { t in
                guard let cell = s.cell(c, t.name), let mean = cell.mean else { return "-" }
                let half = ((cell.high ?? mean) - (cell.low ?? mean)) / 2
                return String(format: "%.2f ±%.2f  pass %.0f%%", mean, half, (cell.passRate ?? 0) * 100)
            })
        }
        rows.append(["cost / cell"] + run.tiers.map { t in String(format: "$%.5f", s.cell(run.components.first ?? "", t.name)?.costPerCell ?? 0) })
        rows.append(["latency p50 / p95"] + run.tiers.map { t in
            guard let cell = s.cell(run.components.first ?? "", t.name) else { return "-" }
            return DisplayFormat.duration(nanos: cell.latencyP50) + " / " + DisplayFormat.duration(nanos: cell.latencyP95)
        })
        var out = Table.render(rows) + "\n"
        if s.failedCells > 0 { out += "\(s.failedCells) of \(s.totalCells) cells failed (error or timeout)\n" }
        for c in s.bottlenecks {
            out += "scaling check: \(c) does not improve from \(run.tiers.first?.name ?? "") to \(run.tiers.last?.name ?? "") beyond noise: the harness, not the model, limits it\n"
        }
        for r in s.routing { out += "routing: \(r.component): \(r.tier.map { "use \($0)" } ?? "no tier is good enough") (\(r.reason))\n" }
        out += String(format: "total cost $%.4f\n", s.totalCost)
        return out
    }
}
