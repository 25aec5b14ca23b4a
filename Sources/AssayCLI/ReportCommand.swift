import ArgumentParser
import AssayCore
import AssayReports

/// `assay report RUN`: JUnit XML, the HTML report, the Markdown summary and JSON for a run.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a run's reports: JUnit XML, HTML, Markdown, JSON (all into Reports/ by default).",
        discussion: """
            RUN is a run id, `latest`, or a run file (Reports/runs/RUN.json). With no format option, \
            every report is written into Reports/ (assay-junit.xml, assay-report.html, assay-summary.md, \
            assay-run.json, traces.html). With --baseline, the reports carry the gate's verdicts. \
            --prices FILE prices the model calls on the trace page (docs/prices.md).

            Examples:
              assay report latest
              assay report run-20261121-184500-3f2a --junit out/junit.xml --baseline Reports/baseline.json
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var priceOptions: PriceOptions
    @Argument(help: ArgumentHelp("The run: an id, latest, or a run file.", valueName: "run")) var runName: String
    @Option(help: ArgumentHelp("Write JUnit XML here.", valueName: "file")) var junit: String?
    @Option(help: ArgumentHelp("Write the HTML report here.", valueName: "file")) var html: String?
    @Option(help: ArgumentHelp("Write the Markdown summary here.", valueName: "file")) var markdown: String?
    @Option(help: ArgumentHelp("Write the run and its summary as JSON here.", valueName: "file")) var json: String?
    @Option(help: ArgumentHelp("Compare with this baseline (file, run file or run id).", valueName: "baseline")) var baseline: String?

    func run() throws {
        let prices = try priceOptions.table()
        let db = try store.open()
        do {
            let record: RunRecord
            do { record = try RunReports.load(runName, db: db) } catch let error as ReportError {
                // A run that is not there is a bad argument: exit 2, as in assay gate.
                printError(error.description)
                throw ExitCode(2)
            }
            let (gateRun, _) = try baseline.map { try RunReports.baseline($0, db: db) } ?? (nil, nil)
            let summary = RunSummary(record, margin: record.routingMargin ?? 0.05)
            print(ResilienceLines.render(record), terminator: "")
            let gate = try RunReports.gate(record, baseline: gateRun)
            var paths = RunReports.Paths(junit: junit, html: html, markdown: markdown, json: json, traces: nil)
            if junit == nil && html == nil && markdown == nil && json == nil { paths = .all(in: "Reports") }
            let named: (name: String, outcomes: GateRun)? = baseline.flatMap { name in gateRun.map { (name: name, outcomes: $0) } }
            for path in try RunReports.write(record, summary: summary, gate: gate, baseline: named, paths: paths, db: db, prices: prices) { print("wrote \(path)") }
        } catch let error as ReportError {
            printError(error.description)
            throw ExitCode(1)
        }
    }
}
