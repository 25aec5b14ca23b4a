import ArgumentParser
import AssayCore
import AssayReports
import Foundation

/// `assay gate RUN --baseline B`: the statistical regression gate; exit 1 when something regressed.
struct GateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gate",
        abstract: "Compare a run with a baseline, paired over shared examples; exit 1 when a component regressed.",
        discussion: """
            Per component × tier: a paired bootstrap interval on the mean difference (continuous scores) \
            or an exact McNemar test (pass/fail), Holm-corrected across cells. A cell regressed when the \
            drop is significant and at least --min-effect; inconclusive cells say how many examples would \
            be needed. Exit 0 when nothing regressed, 1 when something did, 2 on a usage or input error. \
            See docs/gate.md.

            Example:
              assay gate latest --baseline Reports/baseline.json
            """
    )

    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("The run: an id, latest, or a run file.", valueName: "run")) var runName: String
    @Option(help: ArgumentHelp("The baseline: a baseline file, a run file or a run id.", valueName: "baseline")) var baseline: String
    @Option(help: "The significance level, after the Holm correction.") var alpha = 0.05
    @Option(help: "The smallest drop that counts as a regression, in score points (0.02 = 2 points).") var minEffect = 0.02
    @Option(help: "The bootstrap's seed.") var seed: UInt64 = 1
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        guard alpha > 0, alpha < 1 else { throw ValidationError("--alpha must be between 0 and 1.") }
        guard minEffect > 0, minEffect < 1 else { throw ValidationError("--min-effect must be above 0 and below 1.") }
    }

    func run() throws {
        let db = try store.open()
        let report: GateReport
        let record: RunRecord
        do {
            record = try RunReports.load(runName, db: db)
            let (gateRun, _) = try RunReports.baseline(baseline, db: db)
            report = try RunReports.gate(record, baseline: gateRun, alpha: alpha, minEffect: minEffect, seed: seed)!
        } catch let error as ReportError {
            printError(error.description)
            throw ExitCode(2)
        }
        if json {
            print(RunJSON.encode(record, summary: RunSummary(record, margin: record.routingMargin ?? 0.05), gate: report))
        } else {
            var rows = [["COMPONENT", "TIER", "VERDICT", "SHARED", "DIFFERENCE", "95% INTERVAL", "P (HOLM)"]]
            for d in report.decisions {
                rows.append([d.cell.component, d.cell.tier, d.verdict.description, String(d.shared),
                             d.meanDifference.map { String(format: "%+.3f", $0) } ?? "-",
                             d.low.flatMap { l in d.high.map { String(format: "[%+.3f, %+.3f]", l, $0) } } ?? "-",
                             d.adjustedPValue.map { String(format: "%.4f", $0) } ?? "-"])
            }
            print(Table.render(rows), terminator: "")
            for d in report.decisions where d.verdict == .regressed { print("regressed: \(d.cell.component) on \(d.cell.tier): \(d.explanation)") }
            print(report.regressed ? "gate: REGRESSED" : "gate: no regression")
        }
        if report.regressed { throw ExitCode(1) }
    }
}
