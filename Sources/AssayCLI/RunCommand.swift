import ArgumentParser
import AssayCore
import AssayEval
import AssayGateway
import AssayReports
import AssayRunner
import AssaySQLite
import Foundation

/// `assay run`: runs the agent over the suite's datasets on every tier and scores it.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the agent over the suite's datasets on every tier, component by component.",
        discussion: """
            Reads the suite (assay.yaml: agent, tiers, datasets, components, end-to-end scorers), runs \
            every example on every tier (and repeat), and commits each finished cell to the store. Ctrl-C \
            stops cleanly; after Ctrl-C, a crash or kill -9, `assay run --resume` finishes the run without \
            redoing finished cells. Prints the component × tier matrix, the tier scaling check and the \
            routing advice, and writes the run to Reports/runs/RUN.json. See docs/runner.md.

            A tier's cost uses its input_price and output_price; a tier that gives neither takes the \
            price table's (the pinned LiteLLM prices, the suite's prices: file, then --prices FILE), and \
            a tier whose model has no price at all costs unknown, never $0 (docs/prices.md).

            Before the first cell it checks that the agent's program exists and is executable: if not, \
            it names the program and exits 2 without recording a run. After the run, the gate of the \
            suite (its gate: section; see assay gate) decides the exit status.

            Exit codes: 0 the run finished and the gate passed; 1 the gate failed (more failed cells \
            than the suite allows, 0 by default; a floor missed; a regression against the baseline), \
            or an invalid suite or dataset, or a spent budget; 2 a usage error or an agent that cannot \
            start; 130 interrupted.

            Examples:
              assay run
              assay run ci/assay.yaml --concurrency 8
              assay run --resume
              assay run --resume --run run-20261121-184500-3f2a --budget-usd 20
              assay run --shard 2/4      # one of four CI machines, then:
              assay merge Reports/runs/*.json
              assay run --tier mid       # only the production tier
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var priceOptions: PriceOptions

    @Argument(help: ArgumentHelp("The suite file.", valueName: "suite"))
    var suite = "assay.yaml"

    @Flag(help: "Finish an unfinished run: the newest one, or the one named by --run.")
    var resume = false

    @Option(name: .customLong("run"), help: ArgumentHelp(
        "With --resume: the run to finish. With --shard on a team store (--db postgres://…): the run every shard fills (default: derived from the git commit and the suite).",
        valueName: "run-id"))
    var resumeID: String?

    @Option(help: ArgumentHelp("Run only shard I of N (e.g. 2/4): a stable share of the cells.", valueName: "i/n"))
    var shard: String?

    @Option(name: .customLong("tier"), help: ArgumentHelp("Run only this tier of the suite (repeat for several).", valueName: "name"))
    var tiers: [String] = []

    @Option(help: "Cells at once (default: the suite's concurrency).")
    var concurrency: Int?

    @Option(help: ArgumentHelp("Replay one component alone on its recorded inputs (ASSAY_COMPONENT).", valueName: "name"))
    var component: String?

    @Option(name: .customLong("budget-usd"), help: ArgumentHelp("Stop starting cells once this much is spent (overrides the suite's budget_usd; with --resume, total for the run).", valueName: "dollars"))
    var budgetUSD: Double?

    @Option(name: .customLong("llm-cache"), help: ArgumentHelp("The model gateway's cache: off, record, replay or replay-or-record (overrides the suite's gateway.llm_cache).", valueName: "mode"))
    var llmCache: String?

    @Option(help: ArgumentHelp("Run only these fault plans of the suite besides the clean condition, comma-separated; none: only the clean one (docs/resilience.md).", valueName: "plans"))
    var faults: String?

    @Flag(name: .customLong("restart-between-turns"), help: "In conversations, kill the agent at every interrupt and start a new one for the decision (overrides the suite's conversation.restart_between_turns; docs/conversations.md).")
    var restartBetweenTurns = false

    @Flag(help: "No progress line.")
    var quiet = false

    @Flag(help: "Print the run summary as JSON.")
    var json = false

    @Option(help: ArgumentHelp("Compare with this baseline in the reports (default: Reports/baseline.json when it exists).", valueName: "baseline"))
    var baseline: String?

    @Flag(help: "Do not write the reports into Reports/.")
    var noReports = false

    func validate() throws {
        if let shard, Shard(shard) == nil { throw ValidationError("--shard: expected I/N with 1 ≤ I ≤ N, got '\(DisplayFormat.safe(shard))'.") }
        if resumeID != nil && !resume && shard == nil { throw ValidationError("--run goes with --resume, or with --shard on a team store.") }
        if let resumeID, resumeID.isEmpty || resumeID.count > 200 || resumeID.contains(where: { $0.isWhitespace || $0.isNewline || $0 == "/" }) {
            throw ValidationError("--run: expected a run id without spaces or slashes, got '\(DisplayFormat.safe(resumeID))'.")
        }
        if !tiers.isEmpty && resume { throw ValidationError("--tier cannot go with --resume: a run finishes the tiers it started with.") }
        if let budgetUSD, !(budgetUSD > 0) { throw ValidationError("--budget-usd must be above 0.") }
        if let concurrency, concurrency < 1 || concurrency > 256 { throw ValidationError("--concurrency must be from 1 to 256.") }
        if faults != nil && resume { throw ValidationError("--faults cannot go with --resume: a run finishes the fault plans it started with.") }
        if let faults, faults.split(separator: ",").isEmpty { throw ValidationError("--faults: expected plan names separated by commas, or none.") }
        if let llmCache, CacheMode(rawValue: llmCache) == nil {
            throw ValidationError("--llm-cache: expected one of \(CacheMode.names), got '\(DisplayFormat.safe(llmCache))'.")
        }
    }

    func run() async throws {
        let db = try store.open()
        var loaded: Suite
        let prices = try priceOptions.overrides()
        do { loaded = try SuiteLoader(scorers: EvalSetup.loader(store: db), priceOverrides: prices).load(suite) } catch {
            printLines(error.description)
            throw ExitCode(1)
        }
        if let budgetUSD { loaded.budgetUSD = budgetUSD }
        if !tiers.isEmpty {
            let known = loaded.tiers.map(\.info.name)
            if let unknown = tiers.first(where: { !known.contains($0) }) {
                throw ValidationError("--tier: the suite has no tier '\(DisplayFormat.safe(unknown))' (its tiers: \(known.joined(separator: ", "))).")
            }
            loaded.tiers = loaded.tiers.filter { tiers.contains($0.info.name) }
        }
        let planNames = faults.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
        do { _ = try loaded.faults.select(planNames, suitePath: suite) } catch { throw ValidationError("\(error)") }
        if let component, !loaded.components.contains(where: { $0.name == component }) {
            throw ValidationError("--component: the suite has no component '\(DisplayFormat.safe(component))'.")
        }
        if let problem = AgentPreflight.problem(with: loaded.agent) {
            printLines("\(suite): \(problem)")
            throw ExitCode(2)
        }
        let runner = Runner(suite: loaded, store: db)
        var options = Runner.Options()
        options.shard = shard.flatMap(Shard.init)
        options.concurrency = concurrency
        options.component = component
        options.quiet = quiet
        options.assayVersion = AssayVersion.current
        options.llmCache = llmCache.flatMap(CacheMode.init(rawValue:))
        options.faults = planNames
        if restartBetweenTurns { options.restartBetweenTurns = true }
        if shard != nil, !resume {
            if db.isShared {
                options.sharedRunID = try resumeID ?? derivedRunID(loaded)
            } else if resumeID != nil {
                throw ValidationError("--run with --shard needs a team store (--db postgres://…); on SQLite each shard writes its own run for assay merge.")
            }
        }
        let signals = SignalWatch { runner.cancel() }
        defer { signals.stop() }
        let record: RunRecord
        do {
            if resume {
                let id = try resumeID ?? latestUnfinished(db)
                guard let previous = try db.run(id) else { throw ValidationError("--resume: no run \(DisplayFormat.safe(id)) in \(store.location).") }
                guard previous.state != .finished else {
                    print("run \(id) is already finished")
                    return
                }
                record = try await runner.resume(previous, options: options)
            } else {
                record = try await runner.start(options: options)
            }
        } catch let error as RunnerError {
            printLines(error.description)
            throw ExitCode(1)
        } catch let error as AssayError {
            printError(error.description)
            throw ExitCode(1)
        }
        // With --json, standard output holds only the JSON; the other lines go to standard error.
        let say: (String) -> Void = { json ? printError($0) : print($0) }
        if let joined = options.sharedRunID, record.state == .running {
            // Other shards still have cells to run: no summary, gate or report of part of a run.
            say("shard \(shard ?? "") of run \(joined) is done: the run has \(record.cells.count) of \(record.plannedCells) cells in \(store.location); "
                + "the shard that commits the last cell reports it and runs the gate (or later: assay gate \(joined) --db …)")
            return
        }
        let summary = RunSummary(record, margin: loaded.routingMargin)
        let file = try RunFiles.write(record)
        if json { print(try RunJSONCoding.encode(summary, pretty: true)) } else { print(RunText.render(record, summary) + ResilienceLines.render(record), terminator: "") }
        // The gate: the suite's gate section, against the baseline when there is one. It decides the
        // exit status, reports or not.
        var gate: GateReport?
        let baselinePath = baseline ?? (FileManager.default.fileExists(atPath: "Reports/baseline.json") ? "Reports/baseline.json" : nil)
        var gateRun: GateRun?
        do {
            gateRun = try baselinePath.map { try RunReports.baseline($0, db: db).0 }
            if record.state == .finished {
                var settings = loaded.gate
                if !tiers.isEmpty { settings.tiers = Set(tiers).intersection(settings.tiers ?? Set(tiers)) }
                gate = try RunReports.gate(record, baseline: gateRun, configuration: settings)
            }
        } catch let error as ReportError {
            printError("gate: \(error.description)")
            throw ExitCode(2)
        }
        if let gate {
            say("gate\(baselinePath.map { " against \($0)" } ?? ""): \(gate.verdictLine)")
        }
        if !noReports {
            do {
                let named: (name: String, outcomes: GateRun)? = baselinePath.flatMap { name in gateRun.map { (name: name, outcomes: $0) } }
                for path in try RunReports.write(record, summary: summary, gate: gate, baseline: named, paths: .all(in: "Reports"), db: db,
                                                 prices: prices.map { PriceTable.pinned.merging($0) } ?? .pinned) {
                    say("wrote \(path)")
                }
            } catch let error as ReportError {
                printError("reports: \(error.description)")
            }
        }
        say("run \(record.id): \(record.state.rawValue), \(record.cells.count) of \(record.plannedCells) cells; written to \(file)")
        switch record.state {
        case .finished:
            // Exit 1 when the gate fails: failed cells beyond the allowed share, a floor missed, or
            // a regression against the baseline.
            if gate?.failed == true { throw ExitCode(1) }
        case .interrupted:
            printError("interrupted: finish it with  assay run \(suite) --resume --run \(record.id)")
            throw ExitCode(130)
        case .budgetExhausted:
            printError("the budget of $\(loaded.budgetUSD ?? 0) is spent; \(record.plannedCells - record.cells.count) cells did not run "
                       + "(to finish: assay run \(suite) --resume --run \(record.id) --budget-usd MORE)")
            throw ExitCode(1)
        case .running: throw ExitCode(1)
        }
    }

    /// The run id shards share when none is given: the suite's git commit and the suite's hash, so that
    /// every shard of one CI pipeline names the same run and a new commit starts a new one.
    private func derivedRunID(_ suite: Suite) throws -> String {
        let folder = (suite.path as NSString).deletingLastPathComponent
        guard let revision = Runner.gitRevision(folder: folder)?.replacingOccurrences(of: "-dirty", with: "") else {
            throw ValidationError("--shard on a team store: no git commit to name the run after; give every shard the same --run ID.")
        }
        return "run-\(revision.prefix(12))-\(SHA256.hex(suite.text).prefix(8))"
    }

    private func latestUnfinished(_ db: any AssayStore) throws -> String {
        guard let run = try db.runs(limit: 100).first(where: { $0.state != .finished }) else {
            throw ValidationError("--resume: there is no unfinished run in \(store.location).")
        }
        return run.id
    }
}

/// Calls `onSignal` on SIGINT or SIGTERM (once), instead of dying, so that a run stops cleanly.
final class SignalWatch: @unchecked Sendable {
    private var sources: [any DispatchSourceSignal] = []

    init(onSignal: @escaping @Sendable () -> Void) {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                FileHandle.standardError.write(Data("\nstopping: killing the running agents; finished cells are kept\n".utf8))
                onSignal()
            }
            source.resume()
            sources.append(source)
        }
    }

    func stop() {
        for s in sources { s.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
