package import AssayCore

/// A run as one self-contained HTML page that opens from disk with no network and no script.
///
/// In order: the verdict (the gate's, or "no baseline"; bottleneck components; failed cells), the
/// component × tier matrix of the clean cells as a heatmap (score ± interval, pass rate, cost, latency; colour plus text),
/// inline-SVG charts (score by tier per component with the scaling check's warnings, cost against
/// quality, latency per tier), the routing advice, with fault plans the resilience section (per plan a
/// component × tier matrix of the score under the fault against clean, and the findings), the gate's decisions, against a baseline run the
/// examples that improved or regressed, and per-example detail with each column's output side by side and
/// a link to its trace in the trace browser (`traces.html#trace=ID`, same folder).
///
/// The page has no JavaScript; its Content-Security-Policy (`default-src 'none'; style-src
/// 'unsafe-inline'; img-src data:`) forbids scripts, so markup injected through data could not run even
/// if it escaped, and every string from the run goes through one escaping helper. Tables have `<th
/// scope>` headers and captions, charts a `<title>` and `<desc>` that state their values, details open
/// by keyboard, and `@media print` opens every detail.
///
/// ```swift
/// let html = HTMLRunReport.write(run: record, summary: RunSummary(record), gate: report, baselineRun: previous)
/// ```
package enum HTMLRunReport {
    /// Limits of the page.
    package struct Options: Sendable {
        /// The trace browser page, relative to the report; default `traces.html`.
        package var traceBrowser: String
        /// The most examples shown in detail (failing ones first); default 500.
        package var maxExamples: Int
        /// The most bytes of output shown per cell; default 4,096.
        package var outputLimit: Int
        /// The smallest score change of an example that the baseline comparison lists; default 0.1.
        /// A flip between pass and fail is always listed.
        package var changeThreshold: Double
        /// The most changed examples listed per component × tier and direction; default 25.
        package var maxChangesPerCell: Int

        /// Creates options.
        package init(traceBrowser: String = "traces.html", maxExamples: Int = 500, outputLimit: Int = 4096,
                    changeThreshold: Double = 0.1, maxChangesPerCell: Int = 25) {
            self.traceBrowser = traceBrowser
            self.maxExamples = maxExamples
            self.outputLimit = outputLimit
            self.changeThreshold = changeThreshold
            self.maxChangesPerCell = maxChangesPerCell
        }
    }

    /// The page.
    /// - Parameters:
    ///   - run: the run.
    ///   - summary: its summary (`RunSummary(run)`).
    ///   - gate: the gate's report against the baseline, when there is one.
    ///   - baselineRun: the baseline's run record, for the per-example comparison.
    ///   - baseline: or the baseline's per-example outcomes and its name (a committed baseline file).
    ///   - options: limits.
    package static func write(run: RunRecord, summary: RunSummary, gate: GateReport?, baselineRun: RunRecord? = nil,
                             baseline: (name: String, outcomes: GateRun)? = nil, options: Options = Options()) -> String {
        let outcomes = baselineRun.map { (name: "run " + $0.id, outcomes: GateInput.run($0)) } ?? baseline
        let page = HTMLPage(run: run, summary: summary, resilience: ResilienceSummary(run), gate: gate, baseline: outcomes, options: options)
        return page.render()
    }
}

/// The pieces of the page; each section in its own file.
struct HTMLPage {
    let run: RunRecord
    let summary: RunSummary
    /// What the fault plans did; empty without plans.
    let resilience: ResilienceSummary
    let gate: GateReport?
    /// The baseline's name (a run or a file) and per-example outcomes.
    let baseline: (name: String, outcomes: GateRun)?
    let options: HTMLRunReport.Options

    /// The components of the clean matrix and charts: those the run summary has (it leaves the
    /// resilience scorers to the resilience section).
    var matrixComponents: [String] {
        run.components.filter { c in summary.cells.contains { $0.component == c } }
    }

    /// Tier names in suite order, then any only the cells name.
    var tiers: [String] {
        var names = run.tiers.map(\.name)
        for cell in run.cells where !names.contains(cell.key.tier) { names.append(cell.key.tier) }
        return names
    }

    func render() -> String {
        var out = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Assay run \(esc(run.id))</title>
        <style>\(HTMLStyle.css)</style>
        </head>
        <body>
        <a class="skip" href="#matrix">Skip to the component × tier matrix</a>
        <header>
        <h1>Assay run <code>\(esc(run.id))</code></h1>
        <p class="meta">\(esc(metaLine))</p>
        </header>
        <main>

        """
        out += verdictSection()
        out += matrixSection()
        out += chartsSection()
        out += routingSection()
        out += resilienceSection()
        out += gateSection()
        out += changesSection()
        out += examplesSection()
        out += "</main>\n</body>\n</html>\n"
        return out
    }

    private var metaLine: String {
        var parts = ["suite \(run.suitePath)", "started \(DisplayFormat.timestamp(nanos: run.startedAtUnixNano))", "state \(run.state.rawValue)",
                     "\(run.cells.count) of \(run.plannedCells) cells", "total cost \(run.totalCostText(summary))",
                     "Assay \(run.assayVersion)"]
        if let revision = run.gitRevision { parts.insert("git \(revision)", at: 1) }
        if let shard = run.shard { parts.append("shard \(shard)") }
        if let gateway = run.gatewaySummary { parts.append(gateway) }
        return parts.joined(separator: " · ")
    }

    func verdictSection() -> String {
        var out = "<section id=\"verdict\" aria-labelledby=\"verdict-h\">\n<h2 id=\"verdict-h\">Verdict</h2>\n"
        if let gate {
            // The same verdict as the terminal's: green only when something was checked and nothing
            // was left unjudged.
            let failures = gate.failures
            if !failures.isEmpty {
                out += "<p class=\"verdict verdict-regressed\" role=\"status\">Failed the gate: "
                    + esc(failures.map { $0.components(separatedBy: ": ").first ?? $0 }.joined(separator: "; ")) + ".</p>\n<ul class=\"note\">"
                    + failures.map { "<li>\(esc($0))</li>" }.joined() + "</ul>\n"
            } else if gate.passedClean {
                out += "<p class=\"verdict verdict-passed\" role=\"status\">Passed the gate: \(esc(gate.verdictLine)).</p>\n"
            } else {
                out += "<p class=\"verdict verdict-none\" role=\"status\">\(esc(gate.verdictLine.prefix(1).uppercased() + gate.verdictLine.dropFirst())).</p>\n"
            }
            if !gate.compared {
                out += "<p class=\"note\">No baseline: no comparison was made. To compare the next runs, save a good run as the baseline: "
                    + "<code>assay baseline save latest --to Reports/baseline.json</code>.</p>\n"
            }
        } else {
            out += "<p class=\"verdict verdict-none\" role=\"status\">No baseline: this run was not gated. "
                + "To gate the next runs, save a good run as the baseline: <code>assay baseline save latest --to Reports/baseline.json</code>.</p>\n"
        }
        out += "<ul>\n"
        out += scalingLines()
        if !resilience.bottlenecks.isEmpty {
            out += "<li>Resilience bottlenecks (recovery does not rise with the model): "
                + resilience.bottlenecks.map { "<a href=\"#\(HTMLPage.id("resilience", $0))\"><strong>\(esc($0))</strong></a>" }.joined(separator: ", ") + ".</li>\n"
        }
        if summary.spanlessCells > 0 {
            out += "<li><strong>No spans from the agent in \(summary.spanlessCells) of \(summary.totalCells) cells</strong>: their traces hold only "
                + "the runner's span, so no component was judged there. Export spans to ASSAY_TRACE_FILE and propagate TRACEPARENT.</li>\n"
        }
        // Faulted cells fail by design: the summary counts clean cells only, and so does this line.
        let clean = run.conditions.isEmpty ? summary.totalCells : run.cells.count { $0.key.isClean }
        out += "<li>Failed cells (crash or timeout): \(summary.failedCells) of \(clean)\(run.conditions.isEmpty ? "" : " clean cells (faulted cells: see Resilience)")"
        if summary.failedCells > 0 {
            out += ":<ul>" + summary.failureReasons.prefix(10).map { f in
                "<li>\(f.count) × \(esc(f.reason)) (e.g. \(esc(f.example)))</li>"
            }.joined() + "</ul>"
        }
        out += "</li>\n"
        let below = summary.cells.filter { c in
            guard let mean = c.mean, let threshold = run.threshold(c.component) else { return false }
            return mean < threshold
        }
        if !below.isEmpty {
            out += "<li>Below threshold: \(esc(below.map { "\($0.component) on \($0.tier)" }.joined(separator: ", "))).</li>\n"
        }
        out += "</ul>\n</section>\n"
        return out
    }

    /// What the scaling check found, component by component; a claim only where there was data.
    func scalingLines() -> String {
        let judged = matrixComponents.filter { !summary.unjudged.contains($0) }
        let flat = judged.filter { !summary.rising.contains($0) && !summary.bottlenecks.contains($0) }
        var out = ""
        if !summary.bottlenecks.isEmpty {
            out += "<li>Bottlenecks (the score does not rise from the lowest to the highest tier beyond noise): "
                + "\(summary.bottlenecks.map { "<strong>\(esc($0))</strong>" }.joined(separator: ", ")).</li>\n"
        } else if !judged.isEmpty && flat.isEmpty && summary.rising.count == judged.count && summary.unjudged.isEmpty {
            out += "<li>No bottleneck: every component's score rises with the tier beyond noise.</li>\n"
        } else if !summary.rising.isEmpty {
            out += "<li>Rises with the tier beyond noise: \(esc(summary.rising.joined(separator: ", "))).</li>\n"
        }
        if !flat.isEmpty {
            out += "<li>Flat but already near the top on every tier (not a bottleneck): \(esc(flat.joined(separator: ", "))).</li>\n"
        }
        if !summary.unjudged.isEmpty {
            out += "<li>Scaling not judged (not scored on two tiers for the same examples): \(esc(summary.unjudged.joined(separator: ", "))).</li>\n"
        }
        return out
    }

    /// A score's heat class, `h0` (low) to `h4` (high), `hn` for none.
    static func heat(_ score: Double?) -> String {
        guard let score, score.isFinite else { return "hn" }
        return "h\(min(4, max(0, Int(score * 5))))"
    }

    /// A verdict or outcome as a tag with its word, so colour never carries meaning alone.
    static func tag(_ code: String, _ text: String? = nil) -> String {
        "<span class=\"tag tag-\(esc(code))\">\(esc(text ?? code))</span>"
    }
}
