import Foundation
import Testing
@testable import AssayCore
@testable import AssayReports

@Suite("HTML run report")
struct HTMLRunReportTests {
    static func page(gate: GateReport? = JUnitReportTests.gate(), baseline: RunRecord? = nil) -> String {
        let run = RunRecord.hostile()
        return HTMLRunReport.write(run: run, summary: RunSummary(run), gate: gate, baselineRun: baseline)
    }

    @Test("puts the verdict first, then the matrix, charts, routing, gate, changes and examples")
    func order() {
        let baseline = RunRecord.hostile()
        let html = Self.page(baseline: baseline)
        let sections = ["id=\"verdict\"", "id=\"matrix\"", "id=\"charts\"", "id=\"routing\"", "id=\"gate\"", "id=\"changes\"", "id=\"examples\""]
        let positions = sections.map { html.range(of: $0)?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil })
        #expect(positions.compactMap { $0 }.sorted() == positions.compactMap { $0 })
        #expect(html.contains("Failed the gate: draft on mid regressed"))
        #expect(Self.page(gate: nil).contains("No baseline: this run was not gated."))
        #expect(html.contains("Failed cells (crash or timeout): 2 of"))
    }

    @Test("opens failing examples so a failing component is seen without a click; passing ones stay folded")
    func failingOpen() {
        let cells = ["low", "mid", "frontier"].flatMap { t in
            [CellResult.stub("good", t, values: [("triage", 0.9), ("draft", 0.9), ("end_to_end", 0.9)]),
             CellResult.stub("bad", t, values: [("triage", 0.1), ("draft", 0.9), ("end_to_end", 0.9)])]
        }
        let run = RunRecord.stub(cells: cells)
        let html = HTMLRunReport.write(run: run, summary: RunSummary(run), gate: nil, baselineRun: nil)
        let details = html.components(separatedBy: "<details ").dropFirst()
        #expect(details.count == 2)
        #expect(details.contains { $0.hasPrefix("id=\"example-") && $0.contains("\" open><summary>") })
        #expect(details.contains { !$0.contains("\" open><summary>") })
        let firstClosed = details.firstIndex { !$0.contains(" open><summary>") } ?? details.endIndex
        #expect(details[firstClosed...].allSatisfy { !$0.contains(" open><summary>") }, "failing examples come first, and only they are open")
    }

    @Test("spreads the labels of close marks apart, moving them the least, within the plot where there is room")
    func labelSpread() {
        #expect(HTMLPage.spread([100, 101, 102], gap: 12, low: 0, high: 300) == [100, 112, 124])
        #expect(HTMLPage.spread([50, 200], gap: 12, low: 0, high: 300) == [50, 200], "far apart: left where they are")
        #expect(HTMLPage.spread([295, 296], gap: 12, low: 0, high: 300) == [288, 300], "pushed past the bottom: shifted up")
    }

    @Test("says what the scaling check found only where there was data: never 'no bottleneck' when nothing rose")
    func honestScalingLines() {
        var run = RunRecord.hostile()
        run.cells = run.cells.map { var c = $0; c.status = .error; c.error = "the agent exited with status 1"; c.components = []; return c }
        let html = HTMLRunReport.write(run: run, summary: RunSummary(run), gate: nil, baselineRun: nil)
        #expect(!html.contains("No bottleneck"))
        #expect(html.contains("Scaling not judged"))
        #expect(html.contains("× the agent exited with status 1"))
    }

    @Test("is self-contained: no script, no external resource, a CSP that forbids both")
    func selfContained() {
        let html = Self.page()
        #expect(!html.contains("<script"))
        #expect(!html.contains("src=\"http") && !html.contains("href=\"http") && !html.contains("<link"))
        #expect(html.contains("content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\""))
        #expect(html.contains("@media print"))
    }

    @Test("escapes every string from the run: no markup from data survives as markup")
    func escaping() {
        let html = Self.page()
        #expect(!html.contains("<img"))
        #expect(!html.contains("</script>"))
        #expect(html.contains("&lt;img src=x onerror=&quot;document.title=&#39;pwned&#39;&quot;&gt;"))
        #expect(html.contains("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!html.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" && $0 != "\t" && $0 != "\r" })
    }

    @Test("has accessible tables and charts, and links each cell's trace to the trace browser")
    func accessibility() {
        let html = Self.page()
        #expect(html.contains("<th scope=\"col\">Component</th>"))
        #expect(html.contains("<th scope=\"row\">triage<br>"))
        #expect(html.components(separatedBy: "role=\"img\"").count - 1 == 5)
        #expect(html.contains("<title id=\"cost-quality-t\">Mean score against cost per cell</title>"))
        #expect(html.contains("href=\"traces.html#trace=abababababababababababababababab\""))
        #expect(html.contains("below threshold"))
        #expect(html.contains("<details id=\"example-"))
    }

    @Test("lists the examples that improved or regressed against a baseline run")
    func changes() {
        let baseline = RunRecord.scored(examples: 20, components: ["a"], id: "base") { _, _, e in 0.8 + Double(e % 2) * 0.1 }
        let candidate = RunRecord.scored(examples: 20, components: ["a"], id: "cand") { _, tier, e in
            e == 3 && tier == "mid" ? 0.2 : e == 4 && tier == "low" ? 1.0 : 0.8 + Double(e % 2) * 0.1
        }
        let html = HTMLRunReport.write(run: candidate, summary: RunSummary(candidate), gate: nil, baselineRun: baseline)
        #expect(html.contains("a on mid: 1 regressed, 0 improved"))
        #expect(html.contains("a on low: 0 regressed, 1 improved"))
        #expect(html.contains(">ex-3</a></th><td>0.900 <span class=\"tag tag-pass\">pass</span></td><td>0.200 <span class=\"tag tag-fail\">fail</span></td><td>-0.700</td>"))
        #expect(!html.contains("<h3>a on frontier"))
    }

    @Test("renders in headless Chromium with the matrix and charts, no console errors, and injected markup inert")
    func chromium() throws {
        guard let chromium = ExternalTool.find(["/usr/bin/chromium", "/usr/bin/chromium-browser"]) ?? ExternalTool.onPath("chromium") else {
            ExternalTool.missing("Chromium (/usr/bin/chromium)")
            return
        }
        let file = try ExternalTool.temporaryFile(Self.page(baseline: RunRecord.hostile()), ext: "html")
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("assay-chromium-\(UUID().uuidString)")
        defer {
            try? FileManager.default.removeItem(at: file)
            try? FileManager.default.removeItem(at: profile)
        }
        let result = try ExternalTool.run(chromium, ["--headless=new", "--disable-gpu", "--no-sandbox", "--no-first-run", "--disable-extensions",
                                                     "--user-data-dir=\(profile.path)", "--enable-logging=stderr", "--v=0",
                                                     "--virtual-time-budget=2000", "--dump-dom", file.absoluteString], timeout: 120)
        try #require(result.status == 0, "chromium exited \(result.status): \(result.stderr.suffix(2000))")
        let dom = result.stdout
        #expect(dom.contains("<table class=\"matrix\">"))
        #expect(dom.components(separatedBy: "<svg").count - 1 == 5)
        #expect(dom.contains("<circle") && dom.contains("<rect"))
        #expect(dom.contains("<title>Assay run run-20261121-184500-3f2a</title>"))
        #expect(!dom.contains("<img") && !dom.contains("<script"), "an element from data was parsed as markup")
        #expect(dom.contains("&lt;img src=x onerror="))
        let console = result.stderr.split(separator: "\n").filter { $0.contains("CONSOLE") || $0.contains("Uncaught") || $0.contains("Refused to") }
        #expect(console.isEmpty, "console: \(console.joined(separator: "\n"))")
    }

    @Test("in headless Chromium, a run whose cells all crashed shows the crash and its count, and claims no finding")
    func chromiumFailedRun() throws {
        guard let chromium = ExternalTool.find(["/usr/bin/chromium", "/usr/bin/chromium-browser"]) ?? ExternalTool.onPath("chromium") else {
            ExternalTool.missing("Chromium (/usr/bin/chromium)")
            return
        }
        var run = RunRecord.hostile()
        run.cells = run.cells.map { var c = $0; c.status = .error; c.error = "the agent exited with status 1: Traceback"; c.components = []; return c }
        let file = try ExternalTool.temporaryFile(HTMLRunReport.write(run: run, summary: RunSummary(run), gate: nil, baselineRun: nil), ext: "html")
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("assay-chromium-\(UUID().uuidString)")
        defer {
            try? FileManager.default.removeItem(at: file)
            try? FileManager.default.removeItem(at: profile)
        }
        let result = try ExternalTool.run(chromium, ["--headless=new", "--disable-gpu", "--no-sandbox", "--no-first-run", "--disable-extensions",
                                                     "--user-data-dir=\(profile.path)", "--virtual-time-budget=2000", "--dump-dom", file.absoluteString], timeout: 120)
        try #require(result.status == 0, "chromium exited \(result.status): \(result.stderr.suffix(2000))")
        let dom = result.stdout
        #expect(dom.contains("Failed cells (crash or timeout): \(run.cells.count) of \(run.cells.count)"))
        #expect(dom.contains("\(run.cells.count) × the agent exited with status 1: Traceback"))
        #expect(dom.contains("Scaling not judged"))
        #expect(!dom.contains("No bottleneck") && !dom.contains("Bottlenecks ("), "no finding from cells that were never scored")
        #expect(dom.contains("No baseline: this run was not gated") && dom.contains("assay baseline save latest"))
    }
}
