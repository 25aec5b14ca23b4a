import AssayBrowse
import AssayCore
import AssayReports
import AssayRunner
import AssaySQLite
import Foundation

/// Finding runs and baselines by name, and writing a run's reports.
enum RunReports {
    /// A run by id, `latest` for the newest, or a run file.
    static func load(_ name: String, db: any AssayStore) throws -> RunRecord {
        if name == "latest" {
            guard let id = try db.runs(limit: 1).first?.id, let run = try db.run(id) else { throw ReportError(place: "latest", message: "there is no run in the store yet (assay run)") }
            return run
        }
        if name.hasSuffix(".json"), FileManager.default.fileExists(atPath: name) {
            guard let data = FileManager.default.contents(atPath: name) else { throw ReportError(place: name, message: "cannot read the file") }
            do { return try RunJSONCoding.decode(RunRecord.self, String(decoding: data, as: UTF8.self)) } catch {
                throw ReportError(place: name, message: "not a run file")
            }
        }
        guard let run = try db.run(name) else { throw ReportError(place: name, message: "no such run (see assay runs)") }
        return run
    }

    /// A baseline: a baseline file (Reports/baseline.json), a run file, or a run id; with the run when there is one.
    static func baseline(_ name: String, db: any AssayStore) throws -> (GateRun, RunRecord?) {
        if FileManager.default.fileExists(atPath: name), let data = FileManager.default.contents(atPath: name) {
            let text = String(decoding: data, as: UTF8.self)
            if text.contains("\"suiteText\"") { let run = try load(name, db: db); return (GateInput.run(run), run) }
            do { return (try Baseline.decode(text).gateRun, nil) } catch { throw ReportError(place: name, message: error.description) }
        }
        // A path that is not there is a missing baseline file, not an unknown run id.
        if name.hasSuffix(".json") || name.contains("/") {
            throw ReportError(place: name, message: "the baseline file does not exist; create it from a good run with  assay baseline save latest --to \(name)")
        }
        let run = try load(name, db: db)
        return (GateInput.run(run), run)
    }

    /// Where reports go.
    struct Paths {
        var junit: String?
        var html: String?
        var markdown: String?
        var json: String?
        var traces: String?

        static func all(in folder: String) -> Paths {
            Paths(junit: folder + "/assay-junit.xml", html: folder + "/assay-report.html", markdown: folder + "/assay-summary.md",
                  json: folder + "/assay-run.json", traces: folder + "/traces.html")
        }
    }

    /// Writes the chosen reports; returns the paths written. The trace page prices model calls with
    /// `prices` (docs/prices.md).
    static func write(_ run: RunRecord, summary: RunSummary, gate: GateReport?, baseline: (name: String, outcomes: GateRun)?, paths: Paths,
                      db: any AssayStore, prices: PriceTable = .pinned) throws -> [String] {
        var written: [String] = []
        func put(_ text: String, _ path: String?) throws {
            guard let path else { return }
            let folder = (path as NSString).deletingLastPathComponent
            if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            try DatasetFolder.writeAtomically(text, to: path)
            written.append(path)
        }
        try put(JUnitReport.write(run: run, summary: summary, gate: gate), paths.junit)
        try put(HTMLRunReport.write(run: run, summary: summary, gate: gate, baseline: baseline), paths.html)
        try put(MarkdownSummary.write(run: run, summary: summary, gate: gate), paths.markdown)
        try put(RunJSON.encode(run, summary: summary, gate: gate), paths.json)
        if let tracesPath = paths.traces {
            // A conversation cell has a trace per exchange: all of them, so its session reads whole.
            let ids = run.cells.flatMap { c in c.turns.map { $0.flatMap { $0.exchanges.map(\.traceID) } } ?? (c.traceID.map { [$0] } ?? []) }
            let traces = try db.traces(ids)
            // A cell on a tier whose model has no price has no cost: left out, its trace costs what the price
            // table says (unknown for that model), never $0.
            let priced = Set(run.tiers.filter(\.costKnown).map(\.name))
            // A conversation's cost is the whole cell's, not its first exchange's: its traces are priced from the table.
            let costs = Dictionary(run.cells.compactMap { c in priced.contains(c.key.tier) && c.turns == nil ? c.traceID.map { ($0, c.costUSD) } : nil },
                                   uniquingKeysWith: { a, _ in a })
            var feedback = try db.feedback(for: ids)
            for (trace, item) in runScores(run) { feedback[trace, default: []].append(item) }
            let page = try BrowserPage.render(title: "Run \(run.id)", dataJSON: try BrowseDocument().json(
                title: "Run \(run.id)", generatedAt: Date(), traces: traces, feedback: feedback, costs: costs, prices: prices))
            let folder = (tracesPath as NSString).deletingLastPathComponent
            if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            try Data(page).write(to: URL(fileURLWithPath: tracesPath), options: .atomic)
            written.append(tracesPath)
        }
        return written
    }

    /// Each cell's component scores as an item of feedback on its trace (author `run RUN-ID`, source
    /// code), so the run's trace page shows them where a trace's scores are shown.
    static func runScores(_ run: RunRecord) -> [(TraceID, StoredFeedback)] {
        run.cells.compactMap { cell in
            guard let trace = cell.traceID else { return nil }
            var scores: [String: Double] = [:], labels: [String: String] = [:]
            for r in cell.components {
                if let v = r.value { scores[r.component] = v; labels[r.component] = r.passed == true ? "pass" : "fail" }
                else { labels[r.component] = "unscored: " + (r.unscoredReason?.code ?? "not_scored") }
            }
            if cell.status != .ok { labels["cell"] = cell.status.rawValue }
            let item = Feedback(traceID: trace, scores: scores, labels: labels, comment: cell.error.map { DisplayFormat.safe($0, limit: 500) },
                                author: "run \(run.id)", source: .code, timeUnixNano: cell.finishedAtUnixNano)
            return (trace, StoredFeedback(feedback: item, isCurrent: true))
        }
    }

    /// The gate's report on a run: against the baseline when there is one, and against the suite's
    /// floors and allowed failed cells in every case. `configuration` defaults to the `gate:` section
    /// of the suite the run recorded.
    static func gate(_ run: RunRecord, baseline: GateRun?, configuration: GateConfiguration? = nil) throws -> GateReport {
        let settings = configuration ?? gateSettings(run)
        do { return try Gate.evaluate(baseline: baseline, candidate: GateInput.run(run), configuration: settings) } catch {
            throw ReportError(place: "gate", message: "\(error)")
        }
    }

    /// The `gate:` section of the suite a run recorded (defaults when it has none).
    static func gateSettings(_ run: RunRecord) -> GateConfiguration {
        SuiteGate.configuration(suiteText: run.suiteText, source: run.suitePath)
    }
}
