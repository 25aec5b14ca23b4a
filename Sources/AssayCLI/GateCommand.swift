import ArgumentParser
import AssayCore
import AssayReports
import Foundation

/// `assay gate RUN [--baseline B]`: the CI gate; exit 1 when it fails.
struct GateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gate",
        abstract: "Gate a run: against a baseline, floors and failed cells; exit 1 when it fails.",
        discussion: """
            With a baseline, per gated component × tier: a one-sided test for a drop (a paired bootstrap \
            on per-example mean scores, or an exact McNemar test on pass/fail), Holm-corrected over the \
            gated cells only. A cell regressed when the drop is significant and at least the minimum \
            effect; a cell that cannot be judged says the smallest drop its examples would catch. With \
            or without a baseline: a gated tier fails when more of its cells failed (crashed, timed out, \
            did not start) than allowed, and a component fails a floor it is below beyond doubt.

            The settings come from the gate: section of the suite the run recorded (docs/gate.md); the \
            options below override them. Exit 0 when the gate passes, 1 when it fails, 2 on a usage or \
            input error (an unknown run, an unreadable baseline).

            Examples:
              assay gate latest --baseline Reports/baseline.json
              assay gate latest --tier mid --inconclusive fail
            """
    )

    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("The run: an id, latest, or a run file.", valueName: "run")) var runName: String
    @Option(help: ArgumentHelp("The baseline: a baseline file, a run file or a run id.", valueName: "baseline")) var baseline: String?
    @Option(help: "The significance level, after the Holm correction (default: the suite's, else 0.05).") var alpha: Double?
    @Option(help: "The smallest drop that counts, in score points (0.02 = 2 points; default: the suite's, else 0.02).") var minEffect: Double?
    @Option(name: .customLong("tier"), help: ArgumentHelp("Gate this tier (repeat for several; default: the suite's, else all).", valueName: "name"))
    var tiers: [String] = []
    @Option(name: .customLong("component"), help: ArgumentHelp("Gate this component (repeat for several).", valueName: "name"))
    var components: [String] = []
    @Option(help: ArgumentHelp("The share of a gated tier's cells that may fail, 0 to 1 (default: the suite's, else 0).", valueName: "share"))
    var maxErrorShare: Double?
    @Option(help: ArgumentHelp("What a gated cell that cannot be judged does: pass (with a warning) or fail.", valueName: "pass|fail"))
    var inconclusive: String?
    @Option(help: "The bootstrap's seed.") var seed: UInt64 = 1
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        if let alpha, !(alpha > 0 && alpha < 1) { throw ValidationError("--alpha must be between 0 and 1.") }
        if let minEffect, !(minEffect > 0 && minEffect < 1) { throw ValidationError("--min-effect must be above 0 and below 1.") }
        if let maxErrorShare, !(0...1).contains(maxErrorShare) { throw ValidationError("--max-error-share must be from 0 to 1.") }
        if let inconclusive, inconclusive != "pass" && inconclusive != "fail" { throw ValidationError("--inconclusive must be pass or fail.") }
    }

    func run() throws {
        let db = try store.open()
        let report: GateReport
        let record: RunRecord
        do {
            record = try RunReports.load(runName, db: db)
            let (gateRun, _) = try baseline.map { try RunReports.baseline($0, db: db) } ?? (nil, nil)
            report = try RunReports.gate(record, baseline: gateRun, configuration: settings(record))
        } catch let error as ReportError {
            printError(error.description)
            throw ExitCode(2)
        }
        if json {
            print(RunJSON.encode(record, summary: RunSummary(record, margin: record.routingMargin ?? 0.05), gate: report))
        } else {
            print(GateText.render(report, baseline: baseline), terminator: "")
        }
        if report.failed { throw ExitCode(1) }
    }

    /// The suite's gate settings with the options on top.
    private func settings(_ record: RunRecord) throws -> GateConfiguration {
        var c = RunReports.gateSettings(record)
        c.seed = seed
        if let alpha { c.alpha = alpha }
        if let minEffect { c.minEffect = minEffect }
        if !tiers.isEmpty { c.tiers = Set(tiers) }
        if !components.isEmpty { c.components = Set(components) }
        if let maxErrorShare { c.maxErrorShare = maxErrorShare }
        if let inconclusive { c.inconclusiveFails = inconclusive == "fail" }
        let known = Set(record.tiers.map(\.name))
        if let unknown = c.tiers?.first(where: { !known.contains($0) }) {
            throw ReportError(place: "--tier", message: "the run has no tier \(unknown) (its tiers: \(record.tiers.map(\.name).joined(separator: ", ")))")
        }
        return c
    }
}
