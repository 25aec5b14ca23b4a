import AssayCore
import Foundation

/// The closing summary: what was found and where to look.
enum DemoSummary {
    static func text(_ f: DemoLoop.Findings, seconds: Double) -> String {
        let s = f.summary
        let tiers = f.run.tiers.map(\.name)
        var out = "What the demo found (\(String(format: "%.1f", seconds)) s):\n"
        for c in s.bottlenecks {
            let means = tiers.map { t in s.cell(c, t)?.mean.map { String(format: "%.2f", $0) } ?? "-" }.joined(separator: " → ")
            out += "  - \(c) does not improve with a stronger model (\(tiers.joined(separator: " → ")): \(means)): a harness bottleneck, not a model one\n"
        }
        if s.bottlenecks.isEmpty && !s.rising.isEmpty && s.rising.count == f.run.components.filter({ ResilienceScorerKind(rawValue: $0) == nil }).count {
            out += "  - every component improves with a stronger model\n"
        }
        for c in s.unjudged { out += "  - \(c): scaling not judged (not scored on two tiers for the same examples)\n" }
        for r in s.routing where r.component != "budgets" {
            out += "  - \(r.component): " + (r.tier.map { "cheapest good-enough tier is \($0)" } ?? "no tier is good enough") + " (\(r.reason))\n"
        }
        // Resilience: what each fault plan did, bottlenecks first; components hurt are in the reports.
        for finding in ResilienceSummary(f.run).findings where finding.kind != .hurt {
            out += "  - \(DisplayFormat.safe(finding.text, limit: 400))\n"
        }
        // Conversations: what the conversation scorers found on the email threads.
        if let threads = f.threads {
            for line in DemoThreads.findings(threads.run, threads.summary) { out += "  - \(DisplayFormat.safe(line, limit: 600))\n" }
        }
        if let gate = f.gate {
            out += "  - gate against Reports/baseline.json: \(gate.verdictLine)\n"
        } else {
            out += "  - gate: no Reports/baseline.json (save one with assay baseline save latest --db .assay/demo.sqlite)\n"
        }
        if let swap = f.swap {
            let caught = swap.regressions.map { "\($0.cell.component) on \($0.cell.tier)" }
            out += "  - swapping mid's model for the low tier's is caught by the gate: "
                + (caught.isEmpty ? "NOT caught (\(swap.verdictLine))" : "regressed " + caught.joined(separator: ", ")) + "\n"
        }
        out += "Open:\n"
        for file in f.files { out += "  \(file)\n" }
        out += "  Datasets/demo-flagged.jsonl (\(f.promoted) examples promoted from \(f.flagged) flagged of \(f.production) production traces)\n"
        out += "Explore: assay traces list --db .assay/demo.sqlite --flagged; assay runs --db .assay/demo.sqlite\n"
        return out
    }
}
