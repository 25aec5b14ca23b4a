import AssayCore
import AssayEval
import AssayGateway
import Foundation

/// One attempt at a cell: the agent run once, in process or persistent mode, with the cell's trace
/// context, and what came of it.
struct CellAttempt {
    /// How the attempt ended.
    enum Outcome {
        /// The agent answered with this JSON.
        case answered(JSONValue)
        /// It failed; `transient` when a retry may help (a crash, the transient exit code).
        case failed(String, transient: Bool)
        /// It ran past the time limit.
        case timedOut
    }

    var outcome: Outcome
    var traceID: TraceID
    var rootSpanID: SpanID
    var startNanos: UInt64
    var endNanos: UInt64
    /// The agent's own time, nanoseconds.
    var elapsedNanos: UInt64
    /// Times the agent was killed by a crash fault and started again.
    var restarts = 0
}

/// Starts agents the way the protocol says (docs/runner.md, "The agent protocol").
struct AgentLauncher: @unchecked Sendable {
    let suite: Suite
    let runID: String
    let endpoint: String
    let traceFolder: String
    /// `ASSAY_COMPONENT`: run one component alone on recorded inputs.
    let component: String?
    /// The run's model gateway, when it has one.
    let gateway: RunGateway?
    /// Kill the agent at every interrupt of a conversation and start a new one for the decision.
    let restartBetweenTurns: Bool

    /// The environment of every agent process.
    var baseEnvironment: [String: String] {
        var env = suite.agent.environment
        env["ASSAY_RUN_ID"] = runID
        env["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint
        env["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf"
        env["OTEL_TRACES_EXPORTER"] = "otlp"
        env["OTEL_BSP_SCHEDULE_DELAY"] = "100"
        if let component { env["ASSAY_COMPONENT"] = component }
        return env
    }

    /// The input the agent gets for an example: its input, or the component's recorded input.
    func input(for example: RunPlan.Example) -> JSONValue {
        if let component, let recorded = example.components[component]?.input { return recorded }
        return example.input
    }

    /// Runs the agent once for a cell, as a new process; when a crash fault kills it, starts it again
    /// on the same cell with `ASSAY_RESTART` set (docs/resilience.md).
    /// With `exchange`, the process serves one exchange of a conversation: it reads the exchange's
    /// envelope instead of the example's input (docs/conversations.md).
    func runProcess(_ key: CellKey, _ example: RunPlan.Example, tier: Suite.Tier, attempt: Int, cell: GatewayCell?,
                    exchange: ExchangeRequest? = nil) async -> CellAttempt {
        let ids = Self.newIDs()
        var env = baseEnvironment
        // A process-mode attempt has its own gateway key, closed when the process is gone.
        let slot = gateway.map { $0.gateway.openSlot() }
        defer { if let slot { slot.end(); gateway?.gateway.closeSlot(slot) } }
        if let slot, let gateway, let cell {
            cell.attempt(traceID: ids.0, rootSpanID: ids.1)
            slot.begin(cell)
            env.merge(gateway.environment(slot)) { $1 }
        }
        env.merge(cellEnvironment(key, tier: tier)) { $1 }
        env["ASSAY_ATTEMPT"] = String(attempt)
        if let exchange { env.merge(exchange.environment) { $1 } }
        env["TRACEPARENT"] = "00-\(ids.0)-\(ids.1)-01"
        let traceFile = traceFolder + "/\(ids.0).jsonl"
        env["ASSAY_TRACE_FILE"] = traceFile
        let start = Self.now()
        var w = JSONWriter(capacity: 1024)
        (exchange?.envelope ?? input(for: example)).write(to: &w)
        w.byte(0x0A)
        var elapsed: UInt64 = 0
        var restarts = 0
        while true {
            env["ASSAY_RESTART"] = String(restarts)
            var process = ChildProcess(arguments: suite.agent.command, environment: env, workingDirectory: suite.agent.workingDirectory,
                                       timeoutSeconds: max(1, suite.agent.timeoutSeconds - Double(elapsed) / 1e9))
            process.removedEnvironment = gateway?.hiddenVariables ?? []
            if let faults = cell?.faults, faults.plan.crash != nil {
                process.onSpawn = { pid in faults.setKiller { _ = kill(-pid, SIGKILL) } }
            }
            let (outcome, took) = await runOnce(process, input: w.bytes)
            elapsed += took
            cell?.faults?.setKiller(nil)
            // The crash fault killed it: start it again on the same cell, as a deployment would.
            if let faults = cell?.faults, faults.didCrash, restarts == 0, case .failed = outcome {
                restarts += 1
                continue
            }
            return CellAttempt(outcome: outcome, traceID: ids.0, rootSpanID: ids.1, startNanos: start, endNanos: Self.now(), elapsedNanos: elapsed,
                               restarts: restarts)
        }
    }

    /// The variables that say which cell a process serves: tier, model, example, repeat, condition,
    /// the cell's id (the same across restarts) and the tier's settings.
    func cellEnvironment(_ key: CellKey, tier: Suite.Tier) -> [String: String] {
        var env: [String: String] = [:]
        env["ASSAY_TIER"] = tier.info.name
        env["ASSAY_MODEL"] = tier.info.model
        env["ASSAY_EXAMPLE_ID"] = key.example
        env["ASSAY_REPEAT"] = String(key.repeatIndex)
        env["ASSAY_CONDITION"] = key.condition ?? FaultPlan.clean
        env["ASSAY_CELL_ID"] = "\(runID)/\(key.description)"
        for (k, v) in tier.settings { env["ASSAY_SETTING_" + k.uppercased()] = v }
        return env
    }

    /// One process to its end, and how it ended.
    private func runOnce(_ process: ChildProcess, input: [UInt8]) async -> (CellAttempt.Outcome, UInt64) {
        do {
            let r = try await process.run(input: input)
            if r.timedOut { return (.timedOut, r.elapsedNanos) }
            if let signal = r.signal {
                return (.failed("the agent was killed by signal \(signal)\(Self.stderrLine(r.stderr))", transient: true), r.elapsedNanos)
            }
            if r.exitStatus != 0 {
                let code = r.exitStatus ?? -1
                return (.failed("the agent exited with status \(code)\(Self.stderrLine(r.stderr))", transient: code == suite.agent.transientExitCode), r.elapsedNanos)
            }
            if let value = try? JSONValue.parse(String(decoding: r.stdout, as: UTF8.self)) { return (.answered(value), r.elapsedNanos) }
            return (.failed("the agent's standard output is not one JSON value (\(r.stdout.count) bytes\(Self.start(r.stdout))); "
                            + "print only the answer on standard output, and logs on standard error", transient: false), r.elapsedNanos)
        } catch {
            return (.failed("\(error)", transient: false), 0)
        }
    }

    /// Runs a cell through a worker's persistent agent, starting one when there is none.
    /// With `exchange`, the request serves one exchange of a conversation (docs/conversations.md).
    func runPersistent(_ key: CellKey, _ example: RunPlan.Example, tier: Suite.Tier, attempt: Int, child: inout PersistentChild?,
                       slot: GatewaySlot?, cell: GatewayCell?, exchange: ExchangeRequest? = nil) async -> CellAttempt {
        let ids = Self.newIDs()
        let start = Self.now()
        // A persistent worker keeps one gateway key; it is pointed at the cell being served.
        if let slot, let cell {
            cell.attempt(traceID: ids.0, rootSpanID: ids.1)
            slot.begin(cell)
        }
        defer { slot?.end() }
        var elapsed: UInt64 = 0
        var restarts = 0
        while true {
            if child == nil || child?.alive == false {
                var env = baseEnvironment
                if let slot, let gateway { env.merge(gateway.environment(slot)) { $1 } }
                var process = ChildProcess(arguments: suite.agent.command, environment: env, workingDirectory: suite.agent.workingDirectory,
                                           timeoutSeconds: suite.agent.timeoutSeconds)
                process.removedEnvironment = gateway?.hiddenVariables ?? []
                do { child = try PersistentChild(process) } catch {
                    return CellAttempt(outcome: .failed("\(error)", transient: false), traceID: ids.0, rootSpanID: ids.1, startNanos: start, endNanos: Self.now(),
                                       elapsedNanos: elapsed, restarts: restarts)
                }
            }
            if let faults = cell?.faults, faults.plan.crash != nil, let running = child { faults.setKiller { running.kill() } }
            let (outcome, took) = await requestOnce(child!, key, example, tier: tier, traceparent: "00-\(ids.0)-\(ids.1)-01", restart: restarts,
                                                    timeout: max(1, suite.agent.timeoutSeconds - Double(elapsed) / 1e9), exchange: exchange)
            elapsed += took
            cell?.faults?.setKiller(nil)
            // The crash fault killed the worker: a new one gets the same cell, told that it is a restart.
            if let faults = cell?.faults, faults.didCrash, restarts == 0, case .failed = outcome {
                restarts += 1
                child?.stop()
                child = nil
                continue
            }
            return CellAttempt(outcome: outcome, traceID: ids.0, rootSpanID: ids.1, startNanos: start, endNanos: Self.now(), elapsedNanos: elapsed,
                               restarts: restarts)
        }
    }

    /// One request line to a persistent agent, and how it ended.
    private func requestOnce(_ child: PersistentChild, _ key: CellKey, _ example: RunPlan.Example, tier: Suite.Tier, traceparent: String,
                             restart: Int, timeout: Double, exchange: ExchangeRequest?) async -> (CellAttempt.Outcome, UInt64) {
        let request = JSONValue.object([
            ("id", .string(key.example)), ("input", exchange?.requestInput ?? input(for: example)), ("tier", .string(tier.info.name)), ("model", .string(tier.info.model)),
            ("repeat", .number(String(key.repeatIndex))), ("traceparent", .string(traceparent)),
            ("component", component.map(JSONValue.string) ?? .null),
            ("settings", .object(tier.settings.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) })),
            ("condition", .string(key.condition ?? FaultPlan.clean)), ("cell_id", .string("\(runID)/\(key.description)")),
            ("restart", .number(String(restart))),
        ] + (exchange?.requestMembers ?? []))
        let began = DispatchTime.now().uptimeNanoseconds
        // The wait blocks, so it runs on its own thread: blocking Swift's cooperative pool would starve the
        // collector that has to take the agent's spans before the agent answers.
        let answer = await Self.onThread { [child, line = Array(request.compactJSON.utf8)] in
            child.request(line, timeoutSeconds: timeout)
        }
        let elapsed = DispatchTime.now().uptimeNanoseconds - began
        let outcome: CellAttempt.Outcome
        if let answer {
            if let value = try? JSONValue.parse(String(decoding: answer, as: UTF8.self)), value.members != nil {
                if let output = value["output"] { outcome = .answered(output) }
                // An interrupt may come as the answer line itself (docs/conversations.md).
                else if exchange != nil, value["interrupt"]?.members != nil || value["__interrupt__"] != nil { outcome = .answered(value) } else {
                    let message = value["error"]?.string.map { DisplayFormat.safe($0, limit: 200) } ?? "no output"
                    if case .bool(true)? = value["transient"] { outcome = .failed("the agent reported a transient failure: \(message)", transient: true) }
                    else { outcome = .failed("the agent reported a failure: \(message)", transient: false) }
                }
            } else {
                outcome = .failed("the agent's answer line is not a JSON object (\(answer.count) bytes\(Self.start(answer))); "
                                  + "print only answers on standard output, and logs on standard error", transient: false)
            }
        } else if elapsed >= UInt64(timeout * 1e9) {
            outcome = .timedOut
        } else {
            let last = child.lastError.split(separator: "\n").last.map { ": " + DisplayFormat.safe(String($0), limit: 160) } ?? ""
            outcome = .failed("the persistent agent died\(last)", transient: true)
        }
        return (outcome, elapsed)
    }

    /// Runs blocking work on a new thread and waits for it without holding a cooperative thread.
    static func onThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in Thread { continuation.resume(returning: body()) }.start() }
    }

    static func newIDs() -> (TraceID, SpanID) {
        var rng = SystemRandomNumberGenerator()
        var trace: TraceID?
        while trace == nil { trace = TraceID(high: rng.next(), low: rng.next()) }
        var span: SpanID?
        while span == nil { span = SpanID(rng.next()) }
        return (trace!, span!)
    }

    static func now() -> UInt64 { WallClock.nowNanos() }

    /// `, starting "…"`: the first characters of what the agent printed, made safe for a terminal.
    static func start(_ bytes: [UInt8]) -> String {
        let text = String(decoding: bytes.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "" : ", starting \"" + DisplayFormat.safe(text, limit: 60) + "\""
    }

    static func stderrLine(_ bytes: [UInt8]) -> String {
        guard let line = String(decoding: bytes.suffix(2000), as: UTF8.self).split(separator: "\n").last else { return "" }
        return ": " + DisplayFormat.safe(String(line), limit: 160)
    }
}
