import AssayCore
import Foundation

/// Runs one cell the same way in both modes: the deliberate failures, the agent (or the trivial
/// answer), and the export, which finishes before the answer is given.
enum Cell {
    /// The outcome: an output value, or an error the runner may retry.
    enum Outcome {
        case output(JSONValue)
        case failure(AgentError)
        /// `--fail-mode garbage`: text that is not JSON.
        case garbage
    }

    static func run(_ request: CellRequest, options: Options, exporter: TraceExporter, runID: String?) -> Outcome {
        switch options.failMode {
        case .crash?: abort()
        case .hang?: while true { sleep(3600) }
        case .garbage?: return .garbage
        case .transientOnce?:
            if firstTime(exampleID: request.exampleID, runID: runID) {
                return .failure(AgentError(description: "simulated transient failure", transient: true))
            }
        case .nospans?, nil: break
        }
        var tracer = request.parent.map { Tracer(traceID: $0.traceID) } ?? Tracer()
        let output: JSONValue
        if options.trivial {
            output = .string("ok")
            tracer.span("trivial", kind: .internal, parent: request.parent?.spanID) { _, _ in
                ((), [Attribute("gen_ai.operation.name", .string("invoke_agent")), Attribute("gen_ai.agent.name", .string("trivial"))])
            }
        } else {
            do {
                let env = ProcessInfo.processInfo.environment
                if let envelope = request.conversation {
                    let route: ModelRoute = options.gateway ? .gateway(try GatewayChat.fromEnvironment(env), tier: request.tier)
                                                            : .local(model: request.model, tier: request.tier)
                    let agent = ThreadAssistant(request: request, envelope: envelope, store: ConversationStore.fromEnvironment(env), route: route,
                                                compactContext: options.compactContext)
                    output = try agent.run(tracer: &tracer)
                } else {
                    var agent = EmailAssistant(request: request)
                    if options.gateway { agent.gateway = try GatewayChat.fromEnvironment(env) }
                    output = try agent.run(tracer: &tracer)
                }
            } catch { return .failure(error) }
        }
        if options.failMode != .nospans {
            do { try exporter.export(tracer.tracesData()) } catch { return .failure(error) }
        }
        return .output(output)
    }

    /// True the first time it is asked about an example (per run id, when there is one): a marker
    /// file in `$TMPDIR` remembers the rest.
    static func firstTime(exampleID: String, runID: String?) -> Bool {
        let dir = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        let key = String(SHA256.hex("\(runID ?? "")|\(exampleID)").prefix(16))
        let path = dir + "/assay-example-agent-transient-" + key
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        if fd >= 0 { close(fd); return true }
        return false
    }

    /// The tier, defaulting to `mid`.
    static func tier(_ text: String?) throws(AgentError) -> Tier {
        guard let text, !text.isEmpty else { return .mid }
        guard let tier = Tier(rawValue: text) else { throw AgentError(description: "tier: expected low, mid or frontier") }
        return tier
    }

    /// The component, or nil for the whole agent.
    static func component(_ text: String?) throws(AgentError) -> Component? {
        guard let text, !text.isEmpty else { return nil }
        guard let c = Component(rawValue: text) else { throw AgentError(description: "component: expected triage, retrieval, tools or reply") }
        return c
    }

    /// The parent, when a `traceparent` is given.
    static func parent(_ text: String?) throws(AgentError) -> TraceParent? {
        guard let text, !text.isEmpty else { return nil }
        guard let p = TraceParent(text) else { throw AgentError(description: "traceparent: expected 00-<32 hex>-<16 hex>-<2 hex>") }
        return p
    }

    /// An example id for input that came without one: the dataset's id rule.
    static func defaultExampleID(_ input: JSONValue) -> String { String(SHA256.hex(input.compactJSON).prefix(16)) }
}

/// Process mode: one cell from the environment and standard input; the output on standard output.
enum ProcessMode {
    static func run(options: Options, environment env: [String: String]) -> Int32 {
        let data = FileHandle.standardInput.readDataToEndOfFile()
        let request: CellRequest
        let exporter: TraceExporter
        do throws(AgentError) {
            let text = String(decoding: data, as: UTF8.self)
            guard let stdin = try? JSONValue.parse(text) else { throw AgentError(description: "stdin: expected one JSON value") }
            let conversation = try ConversationEnvelope.read(stdin, environment: env)
            let input = conversation?.input ?? stdin
            let tier = try Cell.tier(env["ASSAY_TIER"])
            let model = env["ASSAY_MODEL"].flatMap { $0.isEmpty ? nil : $0 } ?? "sim-\(tier.rawValue)"
            request = CellRequest(
                exampleID: env["ASSAY_EXAMPLE_ID"].flatMap { $0.isEmpty ? nil : $0 } ?? conversation?.conversationID ?? Cell.defaultExampleID(input),
                input: input, tier: Tier.quality(model: model, tier: tier), model: model,
                parent: try Cell.parent(env["TRACEPARENT"]), component: try Cell.component(env["ASSAY_COMPONENT"]),
                seed: env["ASSAY_SEED"] ?? Dice.defaultSeed, conversation: conversation)
            exporter = try TraceExporter.fromEnvironment(env)
        } catch {
            return fail(error)
        }
        switch Cell.run(request, options: options, exporter: exporter, runID: env["ASSAY_RUN_ID"]) {
        case .output(let value):
            Output.line(value.compactJSON)
            return 0
        case .garbage:
            Output.line("<<this is not JSON>>")
            return 0
        case .failure(let error):
            return fail(error)
        }
    }

    static func fail(_ error: AgentError) -> Int32 {
        FileHandle.standardError.write(Data("assay-example-agent: \(error.description)\n".utf8))
        return error.transient ? 75 : 1
    }
}

/// Persistent mode: one JSON request per line, one JSON answer per line, until end of input.
enum PersistentMode {
    static func run(options: Options, environment env: [String: String]) -> Int32 {
        let exporter: TraceExporter
        do throws(AgentError) { exporter = try TraceExporter.fromEnvironment(env) } catch { return ProcessMode.fail(error) }
        while let line = readLine(strippingNewline: true) {
            if line.allSatisfy(\.isWhitespace) { continue }
            let answer: JSONValue
            do throws(AgentError) {
                let request = try parse(line, seed: env["ASSAY_SEED"] ?? Dice.defaultSeed)
                switch Cell.run(request, options: options, exporter: exporter, runID: env["ASSAY_RUN_ID"]) {
                case .output(let value): answer = .object([("output", value)])
                case .failure(let error): answer = errorAnswer(error)
                case .garbage:
                    Output.line("<<this is not JSON>>")
                    continue
                }
            } catch {
                answer = errorAnswer(error)
            }
            Output.line(answer.compactJSON)
        }
        return 0
    }

    static func errorAnswer(_ error: AgentError) -> JSONValue {
        .object([("error", .string(error.description)), ("transient", .bool(error.transient))])
    }

    /// A request line: `{"id", "input", "tier", "model", "traceparent", "component"}`, and for an
    /// exchange of a conversation `conversation_id`, `turn`, `exchange` and `resume` (`input` null).
    static func parse(_ line: String, seed: String) throws(AgentError) -> CellRequest {
        guard let value = try? JSONValue.parse(line), value.members != nil else {
            throw AgentError(description: "request: expected one JSON object per line")
        }
        let conversation = try ConversationEnvelope.read(value)
        let input = conversation?.input ?? value["input"] ?? .null
        if conversation == nil, input.isNull { throw AgentError(description: "request: missing input") }
        let tier = try Cell.tier(value["tier"]?.string)
        let model = value["model"]?.string ?? "sim-\(tier.rawValue)"
        return CellRequest(
            exampleID: value["id"]?.string ?? conversation?.conversationID ?? Cell.defaultExampleID(input), input: input,
            tier: Tier.quality(model: model, tier: tier), model: model, parent: try Cell.parent(value["traceparent"]?.string),
            component: try Cell.component(value["component"]?.string), seed: seed, conversation: conversation)
    }
}

/// Writes answers straight to file descriptor 1, so that each line is out before the next request.
enum Output {
    static func line(_ text: String) {
        let bytes = Array((text + "\n").utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(1, $0.baseAddress! + offset, $0.count - offset) }
            if n > 0 { offset += n } else if n < 0 && errno == EINTR { continue } else { return }
        }
    }
}
