package import AssayCore
import AssayEval
package import AssayGateway
import Foundation

/// Runs an agent over a suite's datasets on every tier, component by component, committing each
/// finished cell to the store (docs/runner.md).
///
/// ```swift
/// let runner = Runner(suite: try SuiteLoader(scorers: loader).load("assay.yaml"), store: store)
/// let run = try await runner.start(options: .init())
/// ```
package final class Runner: @unchecked Sendable {
    /// How to run.
    package struct Options: Sendable {
        /// Run only this shard.
        package var shard: Shard?
        /// On a shared store (`AssayStore.isShared`): the run this process joins, creating it when no
        /// shard has yet. The run plans every cell; this process runs its shard's, and the run is
        /// finished by whichever shard commits the last cell (docs/team-store.md).
        package var sharedRunID: String?
        /// Override the suite's concurrency.
        package var concurrency: Int?
        /// Replay one component alone (`ASSAY_COMPONENT`).
        package var component: String?
        /// No progress lines.
        package var quiet = false
        /// The Assay version recorded in the run.
        package var assayVersion = "0.0.0"
        /// Override the suite's LLM cache mode (`--llm-cache`).
        package var llmCache: CacheMode?
        /// The fault plans to run (`--faults`); nil: every plan of the suite, `["none"]`: none.
        package var faults: [String]?
        /// Restart the agent at every interrupt of a conversation (`--restart-between-turns`); nil: the suite's setting.
        package var restartBetweenTurns: Bool?
        /// Where the real provider keys are read from.
        package var environment = ProcessInfo.processInfo.environment
        package init() {}
    }

    let suite: Suite
    let store: any TraceStore & RunStore
    private let lock = NSLock()
    private var cancelled = false

    /// Creates a runner.
    package init(suite: Suite, store: any TraceStore & RunStore) {
        self.suite = suite
        self.store = store
    }

    /// Stops starting cells and kills the running agents; their cells are not recorded, and the run
    /// can be resumed. Safe to call from a signal handler's queue.
    package func cancel() {
        lock.withLock { cancelled = true }
        RunningChildren.shared.killAll()
    }

    var isCancelled: Bool { lock.withLock { cancelled } }

    /// Starts a new run.
    package func start(options: Options) async throws -> RunRecord {
        let plans = try suite.faults.select(options.faults, suitePath: suite.path)
        let plan = try RunPlan.make(suite, shard: options.shard, conditions: plans.map(\.name))
        if let id = options.sharedRunID { return try await join(id, plans: plans, plan: plan, options: options) }
        let gateway = try RunGateway.make(suite, plans: plans, cacheMode: options.llmCache, spentUSD: 0, environment: options.environment)
        let record = header(id: Self.newRunID(), plan: plan, plans: plans, shard: options.shard, gateway: gateway, options: options)
        try store.createRun(record)
        return try await execute(record, plan: plan, options: options, gateway: gateway)
    }

    /// A new run's record, before any cell: what the suite, its datasets and the plans make it.
    private func header(id: String, plan: RunPlan, plans: [FaultPlan], shard: Shard?, gateway: RunGateway?, options: Options) -> RunRecord {
        var record = RunRecord(
            id: id, suitePath: suite.path, suiteHash: SHA256.hex(suite.text), suiteText: suite.text,
            gitRevision: Self.gitRevision(folder: (suite.path as NSString).deletingLastPathComponent), datasetVersions: plan.datasetVersions,
            assayVersion: options.assayVersion, tiers: suite.tiers.map(\.info),
            // The resilience scorers judge fault plans: a run without one has none of them.
            components: suite.components.map(\.name) + (suite.endToEnd == nil ? [] : [Suite.endToEndName]) + (plans.isEmpty ? [] : suite.faults.scorers.map(\.name))
                + (plan.hasConversations ? suite.conversation.scorers.map(\.name) : []),
            thresholds: Dictionary(uniqueKeysWithValues: (suite.components + [suite.endToEnd].compactMap { $0 }).compactMap { c in c.threshold.map { (c.name, $0) } }
                + (plan.hasConversations ? suite.conversation.scorers.map { ($0.name, $0.threshold) } : [])),
            shard: shard, startedAtUnixNano: AgentLauncher.now(),
            state: .running, plannedCells: plan.cells.count)
        record.routingMargin = suite.routingMargin
        record.llmCache = gateway?.mode.rawValue
        record.conditions = plans.map(\.name)
        return record
    }

    /// Joins (or creates) a run of a shared store as one of its shards.
    private func join(_ id: String, plans: [FaultPlan], plan: RunPlan, options: Options) async throws -> RunRecord {
        let whole = try RunPlan.make(suite, shard: nil, conditions: plans.map(\.name))
        let gateway = try RunGateway.make(suite, plans: plans, cacheMode: options.llmCache, spentUSD: 0, environment: options.environment)
        // The run plans every cell of every shard; this process runs its own shard's.
        let header = header(id: id, plan: whole, plans: plans, shard: nil, gateway: gateway, options: options)
        var existing = try store.run(id)
        if existing == nil {
            // Shards starting together race to create it: whoever loses reads the winner's.
            do { try store.createRun(header) } catch {
                existing = try store.run(id)
                if existing == nil { throw error }
            }
        }
        guard let existing else { return try await execute(header, plan: plan, options: options, gateway: gateway) }
        if existing.suiteHash != header.suiteHash { throw RunnerError.sharedRunDiffers(id, "another suite (\(existing.suitePath))") }
        if existing.datasetVersions != header.datasetVersions { throw RunnerError.sharedRunDiffers(id, "other datasets") }
        if existing.conditions != header.conditions {
            throw RunnerError.sharedRunDiffers(id, "fault plans [\(existing.conditions.joined(separator: ", "))]")
        }
        if existing.state != .running { try store.setRunState(.running, run: id) }
        var running = existing
        running.state = .running
        return try await execute(running, plan: plan, options: options, gateway: gateway)
    }

    /// Finishes an unfinished run: only the cells not yet recorded run.
    package func resume(_ record: RunRecord, options: Options) async throws -> RunRecord {
        guard SHA256.hex(suite.text) == record.suiteHash else { throw RunnerError.suiteChanged(record.id, suite.path) }
        let plans = try suite.faults.select(record.conditions.isEmpty ? ["none"] : record.conditions, suitePath: suite.path)
        let plan = try RunPlan.make(suite, shard: record.shard, conditions: record.conditions)
        if plan.datasetVersions != record.datasetVersions { throw RunnerError.datasetsChanged(record.id) }
        let gateway = try RunGateway.make(suite, plans: plans, cacheMode: options.llmCache ?? record.llmCache.flatMap(CacheMode.init(rawValue:)),
                                          spentUSD: record.cells.map(Self.spent).reduce(0, +), environment: options.environment)
        try store.setRunState(.running, run: record.id)
        var running = record
        running.state = .running
        return try await execute(running, plan: plan, options: options, gateway: gateway)
    }

    private func execute(_ record: RunRecord, plan: RunPlan, options: Options, gateway: RunGateway?) async throws -> RunRecord {
        let done = Set(record.cells.map(\.key))
        let todo = plan.cells.filter { !done.contains($0) }
        let traceFolder = FileManager.default.temporaryDirectory.appendingPathComponent("assay-run-\(record.id)-\(getpid())").path
        try FileManager.default.createDirectory(atPath: traceFolder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: traceFolder) }
        let collector = LoopbackCollector(store: store)
        try await collector.start()
        if let gateway {
            do { try await gateway.start() } catch { await collector.stop(); throw error }
        }
        let launcher = AgentLauncher(suite: suite, runID: record.id, endpoint: collector.endpoint, traceFolder: traceFolder, component: options.component,
                                     gateway: gateway, restartBetweenTurns: options.restartBetweenTurns ?? suite.conversation.restartBetweenTurns)
        let finisher = CellFinisher(suite: suite, runID: record.id, store: store, traceFolder: traceFolder, component: options.component,
                                    resilience: record.conditions.isEmpty ? [] : suite.faults.scorers)
        let progress = RunProgress(total: plan.cells.count, alreadyDone: done.count, quiet: options.quiet)
        let queue = CellQueue(todo, spent: record.cells.map(Self.spent).reduce(0, +), budget: suite.budgetUSD)
        let tiers = Dictionary(uniqueKeysWithValues: suite.tiers.map { ($0.info.name, $0) })
        let workers = max(1, min(options.concurrency ?? suite.concurrency, max(1, todo.count)))
        var failure: (any Error)?
        await withTaskGroup(of: (any Error)?.self) { group in
            for _ in 0..<workers {
                group.addTask { [self] in
                    var child: PersistentChild?
                    let slot = suite.agent.persistent ? gateway?.gateway.openSlot() : nil
                    defer {
                        child?.stop()
                        if let slot { gateway?.gateway.closeSlot(slot) }
                    }
                    while !isCancelled, let key = queue.next() {
                        guard let example = plan.examples[key.example], let tier = tiers[key.tier] else { continue }
                        let account = gateway?.cell(key)
                        let (cell, root) = await runCell(key, example, tier, launcher: launcher, finisher: finisher, child: &child,
                                                         slot: slot, account: account)
                        if isCancelled { break }
                        do { try store.addCell(cell, run: record.id, spans: root) } catch { return error }
                        // Money really spent: a replayed call costs nothing now.
                        queue.spend(account.map { $0.callCount > 0 ? $0.spentUSD : cell.costUSD } ?? cell.costUSD)
                        progress.cell(failed: cell.status != .ok, cost: cell.costUSD)
                    }
                    return nil
                }
            }
            for await error in group { if let error, failure == nil { failure = error; cancel() } }
        }
        progress.end()
        await gateway?.stop()
        await collector.stop()
        if let failure { throw failure }
        var final = try store.run(record.id) ?? record
        // A shard of a shared run that did all its cells leaves the run running for the other shards.
        let shardDone = plan.cells.count < final.plannedCells && Set(final.cells.map(\.key)).isSuperset(of: plan.cells)
        final.state = isCancelled ? .interrupted : queue.budgetSpent && final.cells.count < final.plannedCells ? .budgetExhausted
            : final.cells.count >= final.plannedCells ? .finished : shardDone ? .running : .interrupted
        try store.setRunState(final.state, run: record.id)
        return final
    }

    /// Runs one cell with retries: crashes and transient failures are retried with exponential backoff
    /// and jitter; a cell that still fails is recorded as an error.
    private func runCell(_ key: CellKey, _ example: RunPlan.Example, _ tier: Suite.Tier, launcher: AgentLauncher,
                         finisher: CellFinisher, child: inout PersistentChild?, slot: GatewaySlot?, account: GatewayCell?) async -> (CellResult, IngestBatch) {
        if let turns = example.turns {
            return await runConversation(key, example, turns: turns, tier, launcher: launcher, finisher: finisher, child: &child, slot: slot, account: account)
        }
        var attempt = 0
        while true {
            attempt += 1
            let a = suite.agent.persistent
                ? await launcher.runPersistent(key, example, tier: tier, attempt: attempt, child: &child, slot: slot, cell: account)
                : await launcher.runProcess(key, example, tier: tier, attempt: attempt, cell: account)
            let (batch, root) = finisher.root(a, key: key, tier: tier, input: launcher.input(for: example), attempt: attempt)
            // A cell the gateway refused (the guard, a replay miss, no upstream) is not retried: it would be refused again.
            // Under a fault plan the runner does not retry: recovering is the agent's job, and a retry
            // would hide whether it can (docs/resilience.md).
            if case .failed(_, true) = a.outcome, key.isClean, attempt <= suite.maxRetries, !isCancelled, account?.problems.isEmpty ?? true {
                _ = try? store.write { try $0.write(batch) }
                let delay = suite.retryBaseSeconds * pow(2, Double(attempt - 1)) * Double.random(in: 0.5...1)
                try? await Task.sleep(for: .milliseconds(Int(delay * 1000)))
                continue
            }
            return (await finisher.finish(a, root: root, key: key, example: example, tier: tier, attempts: attempt, gateway: account), batch)
        }
    }

    /// What a recorded cell spent, US dollars: its cost less the share of its model calls that were
    /// replayed from the LLM cache (they cost nothing).
    static func spent(_ cell: CellResult) -> Double {
        guard let calls = cell.modelCalls, calls > 0, let replayed = cell.replayedCalls, replayed > 0 else { return cell.costUSD }
        return cell.costUSD * Double(calls - min(replayed, calls)) / Double(calls)
    }

    /// `run-YYYYMMDD-HHMMSS-xxxx`.
    static func newRunID() -> String {
        let stamp = DisplayFormat.timestamp(nanos: AgentLauncher.now())
        let digits = stamp.filter(\.isNumber)
        return "run-\(digits.prefix(8))-\(digits.dropFirst(8).prefix(6))-\(String(UInt16.random(in: 0...UInt16.max), radix: 16))"
    }

    /// The git revision of the folder, with `-dirty` when it has changes; nil outside git.
    package static func gitRevision(folder: String) -> String? {
        let p = ChildProcess(arguments: ["git", "-C", folder.isEmpty ? "." : folder, "rev-parse", "HEAD"], timeoutSeconds: 5)
        guard let r = try? p.runBlocking(input: []), r.exitStatus == 0 else { return nil }
        let rev = String(decoding: r.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let status = ChildProcess(arguments: ["git", "-C", folder.isEmpty ? "." : folder, "status", "--porcelain", "--untracked-files=no"], timeoutSeconds: 5)
        let dirty = (try? status.runBlocking(input: []))?.stdout.isEmpty == false
        return rev.isEmpty ? nil : rev + (dirty ? "-dirty" : "")
    }
}

/// The cells still to start, shared by the workers, and the money spent.
final class CellQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var cells: [CellKey]
    private var index = 0
    private var spent: Double
    private let budget: Double?
    private(set) var budgetSpent = false

    init(_ cells: [CellKey], spent: Double, budget: Double?) {
        self.cells = cells
        self.spent = spent
        self.budget = budget
    }

    func next() -> CellKey? {
        lock.withLock {
            if let budget, spent >= budget { budgetSpent = true; return nil }
            guard index < cells.count else { return nil }
            defer { index += 1 }
            return cells[index]
        }
    }

    func spend(_ cost: Double) { lock.withLock { spent += cost } }
}
