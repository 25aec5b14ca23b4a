import Testing
@testable import AssayCore
@testable import AssayReports

@Suite("Markdown summary")
struct MarkdownSummaryTests {
    @Test("stays under 60 KB for 2,000 examples × 3 tiers × 5 components with long hostile names")
    func hugeRun() {
        let components = (0..<5).map { "component-\($0)-\(String(repeating: "|`<x>", count: 40))" }
        let run = RunRecord.scored(examples: 2000, components: components) { _, tier, e in
            Double((e * 37 + tier.count) % 100) / 100
        }
        let gate = GateReport(configuration: GateConfiguration(), decisions: components.flatMap { c in
            ["low", "mid", "frontier"].map { t in
                GateDecision(cell: GateCell(component: c, tier: t), method: .pairedBootstrap, verdict: .regressed, shared: 2000, dropped: 0,
                             meanDifference: -0.1, low: -0.12, high: -0.08, pValue: 0.001, adjustedPValue: 0.01, discordant: nil, examplesNeeded: 50,
                             explanation: String(repeating: "long explanation ", count: 100))
            }
        })
        let markdown = MarkdownSummary.write(run: run, summary: RunSummary(run), gate: gate)
        #expect(markdown.utf8.count < 60_000)
        #expect(markdown.hasPrefix("## ❌ Failed the gate: Assay run run-big"))
        #expect(markdown.contains("more failing, crashed or timed-out component results."))
    }

    @Test("cuts at a line boundary with a note when the sections still exceed the limit")
    func hardLimit() {
        let run = RunRecord.hostile()
        let markdown = MarkdownSummary.write(run: run, summary: RunSummary(run), gate: nil, maxBytes: 1500)
        #expect(markdown.utf8.count <= 1500)
        #expect(markdown.hasSuffix("the HTML report has everything.\n"))
    }

    @Test("escapes pipes, backticks, markup and mentions from data")
    func escaping() {
        #expect(MarkdownText.escape(Hostile.markdown) == "a \\| b \\`code\\` \\*\\*bold\\*\\* \\[link\\](http://x) @\u{200B}someone \\#12")
        #expect(MarkdownText.escape("<img src=x>\nnext\u{1B}line") == "&lt;img src=x&gt; next line")
        let run = RunRecord.hostile()
        let markdown = MarkdownSummary.write(run: run, summary: RunSummary(run), gate: JUnitReportTests.gate())
        #expect(!markdown.contains("<img") && !markdown.contains("<script") && !markdown.contains("\u{1B}"))
        #expect(markdown.contains("| draft | mid | **regressed** | -0.200 |"))
        for line in markdown.split(separator: "\n") where line.hasPrefix("| ") {
            let cells = line.replacingOccurrences(of: "\\|", with: "").split(separator: "|", omittingEmptySubsequences: false).count
            #expect(cells >= 4, "a table row lost its columns: \(line)")
        }
    }

    @Test("says no baseline, lists bottlenecks and routing")
    func content() {
        let run = RunRecord.scored(examples: 30, components: ["flat", "rising"]) { c, tier, e in
            c == "flat" ? 0.5 + Double(e % 3) * 0.1 : ["low": 0.3, "mid": 0.6, "frontier": 0.9][tier]! + Double(e % 3) * 0.01
        }
        let markdown = MarkdownSummary.write(run: run, summary: RunSummary(run), gate: nil)
        #expect(markdown.hasPrefix("## ⚪ Not gated: Assay run run-big"))
        #expect(markdown.contains("### Bottlenecks\n\nNo rise from the lowest to the highest tier beyond noise: flat."))
        #expect(markdown.contains("| rising | frontier |"))
    }
}
