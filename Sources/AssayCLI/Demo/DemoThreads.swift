import AssayCore
import Foundation

/// The conversation part of `assay demo`: the suite `assay-threads.yaml` over the email threads of
/// `Datasets/email-threads.jsonl`, and how its run reads in the terminal.
enum DemoThreads {
    /// The conversation suite.
    static let suitePath = "assay-threads.yaml"
    /// Its dataset.
    static let datasetPath = "Datasets/email-threads.jsonl"
    /// The HTML report of its run, with each conversation's turns.
    static let reportPath = "Reports/assay-threads-report.html"

    /// The step's line: what was played, by an agent in persistent mode or not, restarted at every
    /// interrupt or not.
    static func stepLine(_ run: RunRecord, persistent: Bool, restarts: Bool) -> String {
        let conversations = run.cells.filter { $0.turns != nil }
        let exchanges = conversations.flatMap { $0.turns ?? [] }.flatMap(\.exchanges)
        let decisions = Dictionary(exchanges.compactMap(\.decision).map { ($0, 1) }, uniquingKeysWith: +)
        let newProcess = exchanges.filter(\.afterRestart).count
        let examples = Set(conversations.map(\.key.example)).count
        return "\(examples) email threads × \(run.tiers.count) tiers (\(run.cells.count) cells) from \(datasetPath), played by \(suitePath): "
            + "\(exchanges.count) exchanges, the decisions " + ["approve", "reject", "edit"].map { "\($0) \(decisions[$0] ?? 0)" }.joined(separator: ", ")
            + "; the agent in \(persistent ? "persistent" : "process") mode\(restarts ? ", restarted at every interrupt" : "")"
            + " (\(newProcess) exchanges served by a new process after an interrupt); "
            + "each turn scored by the draft component, each conversation by goal, turns_used, memory, restart_state and context_per_turn"
    }

    /// The summary's lines: the conversation components that no tier improves (with the context figures
    /// for `context_per_turn`), then how the others move from tier to tier.
    static func findings(_ run: RunRecord, _ summary: RunSummary) -> [String] {
        let tiers = run.tiers.map(\.name)
        func means(_ component: String) -> String {
            tiers.map { t in summary.cell(component, t)?.mean.map { String(format: "%.2f", $0) } ?? "-" }.joined(separator: " → ")
        }
        var out: [String] = []
        for c in summary.bottlenecks {
            var line = "conversations: \(c) does not improve with a stronger model (\(tiers.joined(separator: " → ")): \(means(c))): a harness bottleneck"
            if c == ConversationScorer.Kind.contextPerTurn.rawValue, let growth = contextGrowth(run) {
                line += "; " + growth
            }
            out.append(line)
        }
        let others = ["draft"] + ConversationScorer.Kind.allCases.map(\.rawValue)
        let moving = others.filter { run.components.contains($0) && !summary.bottlenecks.contains($0) }
        if !moving.isEmpty {
            out.append("conversations, \(tiers.joined(separator: " → ")): " + moving.map { "\($0) \(means($0))" }.joined(separator: ", "))
        }
        return out
    }

    /// How the largest model call grows from the first turn to the last, over every conversation cell:
    /// the range of the ratios and one conversation's series; nil without token counts.
    static func contextGrowth(_ run: RunRecord) -> String? {
        var ratios: [Double] = []
        var example: (key: CellKey, series: [Int64])?
        for cell in run.cells.sorted(by: { $0.key < $1.key }) {
            guard let turns = cell.turns else { continue }
            let series = turns.compactMap { $0.exchanges.flatMap(\.callInputTokens).max() }
            guard series.count >= 2, let first = series.first, first > 0, let last = series.last else { continue }
            ratios.append(Double(last) / Double(first))
            if series.count > (example?.series.count ?? 0), cell.key.tier == run.tiers.dropFirst().first?.name ?? cell.key.tier {
                example = (cell.key, series)
            }
        }
        guard let low = ratios.min(), let high = ratios.max() else { return nil }
        var text = "the agent re-sends the whole conversation, every earlier tool result included, into each model call: "
            + "its largest call grows ×\(String(format: "%.1f", low))–×\(String(format: "%.1f", high)) from the first turn to the last"
        if let example {
            text += " (\(example.key.example) on \(example.key.tier): \(example.series.map(String.init).joined(separator: " → ")) tokens)"
        }
        return text
    }
}
