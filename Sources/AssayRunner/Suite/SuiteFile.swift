package import AssayCore
package import AssayEval
package import AssayGateway
import Foundation

/// A suite, `assay.yaml`: the agent, the tiers, the datasets, the components and end-to-end scorers,
/// repeats, concurrency, budget and retries (docs/runner.md).
///
/// ```yaml
/// agent:
///   command: [examples/agents/assay-example-agent]
///   timeout_seconds: 30
/// tiers:
///   low:      {model: small-2026, input_price: 0.15, output_price: 0.60}
///   mid:      {model: medium-2026, input_price: 2.50, output_price: 10.00}
///   frontier: {model: large-2026, input_price: 15.00, output_price: 60.00}
/// datasets: [Datasets/email-assistant.jsonl]
/// components: [Scorers]
/// end_to_end:
///   threshold: 0.5
///   scorers: [{kind: token_f1}]
/// ```
package struct Suite: Sendable {
    /// How the agent is started.
    package struct Agent: Sendable {
        /// The program and its arguments.
        package var command: [String]
        /// Extra environment variables.
        package var environment: [String: String]
        /// The working directory; nil: the suite file's folder.
        package var workingDirectory: String?
        /// The per-cell time limit.
        package var timeoutSeconds: Double
        /// `process`: one process per cell; `persistent`: one process per worker, one JSON line per cell.
        package var persistent: Bool
        /// The exit code by which the agent marks a failure as transient (retried); default 75 (EX_TEMPFAIL).
        package var transientExitCode: Int32
    }

    /// A model tier.
    package struct Tier: Sendable {
        /// The tier as runs record it.
        package var info: TierInfo
        /// Provider settings passed to the agent as `ASSAY_SETTING_<NAME>` variables.
        package var settings: [String: String]
        /// Where the gateway sends this tier's model calls; nil: the simulated provider for `sim-*`
        /// models, none otherwise.
        package var upstream: Upstream?
        /// The model embedding calls are rewritten to; nil: they keep the agent's model.
        package var embeddingModel: String?
    }

    /// The suite file.
    package var path: String
    /// Its text.
    package var text: String
    package var agent: Agent
    package var tiers: [Tier]
    /// Dataset files.
    package var datasets: [String]
    /// The components, from scorer files or inline.
    package var components: [ComponentScorer]
    /// End-to-end scorers on the agent's final output against the example's expected value.
    package var endToEnd: ComponentScorer?
    package var repeats: Int
    package var concurrency: Int
    /// Stop starting cells once this much has been spent, US dollars.
    package var budgetUSD: Double?
    /// Retries of crashed and transient cells.
    package var maxRetries: Int
    /// The first retry's delay; each next one doubles, with jitter.
    package var retryBaseSeconds: Double
    /// How far below the best tier a cheaper tier may score and still be advised.
    package var routingMargin: Double
    /// What the CI gate checks (the `gate:` section).
    package var gate = GateConfiguration(seed: 1)
    /// The model gateway (the `gateway:` section).
    package var gateway = SuiteGateway()
    /// Fault plans, proxied tools and resilience scorers (`faults:`, `tools:`, `resilience:`).
    package var faults = SuiteFaults()
    /// Restarts between turns and the conversation scorers (`conversation:`).
    package var conversation = SuiteConversation()

    /// The name end-to-end results are recorded under.
    package static let endToEndName = "end_to_end"
}

/// Reads `assay.yaml`, reporting every problem as `file:line: path: problem`.
package struct SuiteLoader: Sendable {
    private let scorers: ScorerFileLoader
    /// Prices laid over the pinned table and the suite's `prices:` file (`--prices`); they price the
    /// tiers that give no `input_price` and `output_price` (docs/prices.md, "Runs").
    package var priceOverrides: PriceTable?

    /// A loader whose scorer files know the kinds of `scorers`.
    package init(scorers: ScorerFileLoader, priceOverrides: PriceTable? = nil) {
        self.scorers = scorers
        self.priceOverrides = priceOverrides
    }

    /// The longest per-cell time limit: a day (longer ones would overflow the nanosecond deadline).
    static let maxSeconds = 86_400.0

    /// A bad value for a message: numbers as written, anything else by its type.
    static func shown(_ v: JSONValue) -> String {
        if case .number(let text) = v { return text }
        return v.typeName
    }

    static let keys: Set<String> = ["agent", "tiers", "datasets", "components", "end_to_end", "repeats", "concurrency", "budget_usd",
                                    "retries", "routing_margin", "gate", "gateway", "upstreams", "faults", "tools", "resilience", "prices", "conversation"]

    /// Loads a suite file; relative paths in it are relative to the file's folder. With `checkFiles`
    /// (the default), a dataset that does not exist is a problem at its line.
    package func load(_ path: String, checkFiles: Bool = true) throws(EvalError) -> Suite {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw EvalError.configuration([InputProblem(source: path, line: 1, message: "cannot read the suite file (create one: see docs/runner.md)")])
        }
        return try parse(text, source: path, checkFiles: checkFiles)
    }

    /// Parses a suite's text; with `checkFiles`, a dataset that does not exist is a problem at its line.
    package func parse(_ text: String, source: String, checkFiles: Bool = false) throws(EvalError) -> Suite {
        let root = try YAMLDocument.parse(text, source: source)
        let folder = (source as NSString).deletingLastPathComponent
        func resolve(_ p: String) -> String { p.hasPrefix("/") || folder.isEmpty ? p : folder + "/" + p }
        var problems: [InputProblem] = []
        func line(_ key: String, in value: JSONValue) -> Int { value.members?.last(where: { $0.key == key }).map { Int($0.line) } ?? value.line ?? 1 }
        func problem(_ at: Int, _ path: String, _ message: String) { problems.append(InputProblem(source: source, line: at, path: path, message: message)) }
        guard let members = root.members else {
            throw EvalError.configuration([InputProblem(source: source, line: 1, message: "expected a mapping with agent, tiers, datasets and components")])
        }
        for m in members where !Self.keys.contains(m.key) {
            problem(Int(m.line), m.key, "unknown key; expected one of \(Self.keys.sorted().joined(separator: ", "))")
        }
        // agent
        var agent = Suite.Agent(command: [], environment: [:], workingDirectory: nil, timeoutSeconds: 60, persistent: false, transientExitCode: 75)
        if let a = root["agent"], a.members != nil {
            for m in a.members! where !["command", "env", "working_directory", "timeout_seconds", "mode", "transient_exit_code"].contains(m.key) {
                problem(Int(m.line), "agent." + m.key, "unknown key; expected command, env, working_directory, timeout_seconds, mode, transient_exit_code")
            }
            if let list = a["command"]?.elements, !list.isEmpty, list.allSatisfy({ $0.string != nil }) {
                agent.command = list.compactMap(\.string)
            } else {
                problem(line("command", in: a), "agent.command", "required: the program and its arguments, as a list")
            }
            if let env = a["env"] {
                if let list = env.members, list.allSatisfy({ $0.value.string != nil || $0.value.double != nil }) {
                    for m in list { agent.environment[m.key] = m.value.string ?? m.value.text }
                } else {
                    problem(line("env", in: a), "agent.env", "expected a mapping of names to strings")
                }
            }
            if let wd = a["working_directory"] {
                if let s = wd.string { agent.workingDirectory = resolve(s) } else { problem(line("working_directory", in: a), "agent.working_directory", "expected a path") }
            }
            if let t = a["timeout_seconds"] {
                if let d = t.double, d > 0, d <= Self.maxSeconds { agent.timeoutSeconds = d } else {
                    problem(line("timeout_seconds", in: a), "agent.timeout_seconds", "expected a number of seconds above 0 and at most \(Int(Self.maxSeconds)), got \(Self.shown(t))")
                }
            }
            if let mode = a["mode"] {
                switch mode.string {
                case "process"?: agent.persistent = false
                case "persistent"?: agent.persistent = true
                default: problem(line("mode", in: a), "agent.mode", "expected process or persistent")
                }
            }
            if let code = a["transient_exit_code"] {
                if let d = code.double, d >= 1, d <= 255, d == d.rounded() { agent.transientExitCode = Int32(d) } else {
                    problem(line("transient_exit_code", in: a), "agent.transient_exit_code", "expected an exit code from 1 to 255")
                }
            }
        } else {
            problem(line("agent", in: root), "agent", "required: a mapping with the agent's command")
        }
        // prices: a LiteLLM-format file over the pinned table, for tiers that give no prices
        var prices = PriceTable.pinned
        if let p = root["prices"] {
            if let file = p.string, !file.isEmpty {
                do { prices = prices.merging(try PriceTable.load(file: resolve(file))) } catch {
                    if case .input(let found) = error { problems += found } else { problem(line("prices", in: root), "prices", error.description) }
                }
            } else {
                problem(line("prices", in: root), "prices", "expected the path of a price file in LiteLLM's model_prices_and_context_window.json format")
            }
        }
        if let priceOverrides { prices = prices.merging(priceOverrides) }
        // tiers
        var tiers: [Suite.Tier] = []
        let upstreams = SuiteGateway.upstreams(root, source: source, problems: &problems)
        let tierKeys = ["model", "input_price", "output_price", "settings", "upstream", "embedding_model"]
        if let t = root["tiers"]?.members, !t.isEmpty {
            for m in t {
                let path = "tiers." + m.key
                // Unknown keys first: `modle:` is a typo of `model`, and both problems are reported.
                for x in m.value.members ?? [] where !tierKeys.contains(x.key) {
                    problem(Int(x.line), path + "." + x.key, "unknown key; expected \(tierKeys.joined(separator: ", "))")
                }
                guard m.value.members != nil, let model = m.value["model"]?.string, !model.isEmpty else {
                    problem(Int(m.line), path + ".model", "required: the model id for this tier"); continue
                }
                var tierPrices: [Double] = []
                for key in ["input_price", "output_price"] {
                    if let v = m.value[key] {
                        if let d = v.double, d >= 0 { tierPrices.append(d) } else { problem(line(key, in: m.value), path + "." + key, "expected US dollars per million tokens, 0 or more"); tierPrices.append(0) }
                    } else { tierPrices.append(0) }
                }
                var settings: [String: String] = [:]
                if let s = m.value["settings"]?.members { for x in s { settings[x.key] = x.value.text } }
                if !DatasetFolder.validName(m.key) { problem(Int(m.line), path, "tier names use letters, digits, '.', '_' and '-'") }
                var upstream: Upstream? = model.hasPrefix("sim-") ? .simulated : nil
                if let u = m.value["upstream"] {
                    if let name = u.string {
                        if let named = upstreams[name] { upstream = named }
                        else if root["upstreams"]?[name] == nil {
                            problem(line("upstream", in: m.value), path + ".upstream",
                                    "no upstream \(name); name one of upstreams: (\(upstreams.keys.sorted().joined(separator: ", "))) or give {kind, base_url, api_key_env}")
                        }
                    } else {
                        upstream = SuiteGateway.upstream(u, line: line("upstream", in: m.value), path: path + ".upstream", source: source, problems: &problems)
                    }
                }
                var embeddingModel: String?
                if let e = m.value["embedding_model"] {
                    if let s = e.string, !s.isEmpty { embeddingModel = s } else { problem(line("embedding_model", in: m.value), path + ".embedding_model", "expected a model id") }
                }
                var info = TierInfo(name: m.key, model: model, inputPricePerMillion: tierPrices[0], outputPricePerMillion: tierPrices[1])
                // Suite prices win; a tier with neither takes the table's, else its costs are unknown (never $0).
                if m.value["input_price"] == nil && m.value["output_price"] == nil {
                    if let match = prices.match(model: model), let input = match.price.inputPerToken, let output = match.price.outputPerToken {
                        info.inputPricePerMillion = input * 1_000_000
                        info.outputPricePerMillion = output * 1_000_000
                        info.priceEntry = match.key
                    } else {
                        info.unpriced = true
                    }
                }
                tiers.append(Suite.Tier(info: info, settings: settings, upstream: upstream, embeddingModel: embeddingModel))
            }
        } else {
            problem(line("tiers", in: root), "tiers", "required: the tiers, e.g. low, mid and frontier, each with a model and prices")
        }
        // datasets
        var datasets: [String] = []
        if let d = root["datasets"]?.elements, !d.isEmpty, d.allSatisfy({ $0.string != nil }) {
            datasets = d.compactMap(\.string).map(resolve)
            for (i, (entry, path)) in zip(d, datasets).enumerated() where checkFiles && !FileManager.default.fileExists(atPath: path) {
                problem(entry.line ?? line("datasets", in: root), "datasets[\(i)]", "no such dataset file \(path) (create it with assay promote, or fix the path)")
            }
        } else {
            problem(line("datasets", in: root), "datasets", "required: a list of dataset files")
        }
        // components
        var components: [ComponentScorer] = []
        for (i, entry) in (root["components"]?.elements ?? []).enumerated() {
            do {
                if let p = entry.string {
                    guard FileManager.default.fileExists(atPath: resolve(p)) else {
                        problem(entry.line ?? line("components", in: root), "components[\(i)]", "no such scorer file or folder \(resolve(p))")
                        continue
                    }
                    components += try scorers.load(resolve(p)).map(\.component)
                } else {
                    components.append(try scorers.component(entry, source: source, path: "components[\(i)]").component)
                }
            } catch { problems += error.problems }
        }
        if let names = Optional(components.map(\.name)), Set(names).count != names.count {
            problem(line("components", in: root), "components", "two components have the same name")
        }
        var endToEnd: ComponentScorer?
        if let e = root["end_to_end"] {
            var copy = e
            if case .object(var list, let l) = e, !list.contains(where: { $0.key == "selector" }) {
                list.append(JSONMember(key: "selector", value: .string("root"), line: l))
                copy = .object(list, line: l)
            }
            do { endToEnd = try scorers.component(copy, source: source, path: "end_to_end", defaultName: Suite.endToEndName).component } catch { problems += error.problems }
            endToEnd?.name = Suite.endToEndName
        }
        if components.isEmpty && endToEnd == nil && root["components"] != nil && !problems.contains(where: { $0.path.hasPrefix("components") }) {
            problem(line("components", in: root), "components", "no components: give scorer files or inline components")
        }
        func integer(_ key: String, _ fallback: Int, _ range: ClosedRange<Int>) -> Int {
            guard let v = root[key] else { return fallback }
            // Int(exactly:) is nil for fractions and for numbers beyond Int's range (1e19), which Int(_:) traps on.
            guard let d = v.double, let n = Int(exactly: d), range.contains(n) else {
                problem(line(key, in: root), key, "expected a whole number from \(range.lowerBound) to \(range.upperBound), got \(Self.shown(v))"); return fallback
            }
            return n
        }
        let repeats = integer("repeats", 1, 1...100)
        let concurrency = integer("concurrency", 4, 1...256)
        var budget: Double?
        if let b = root["budget_usd"] {
            if let d = b.double, d > 0 { budget = d } else { problem(line("budget_usd", in: root), "budget_usd", "expected US dollars above 0") }
        }
        var maxRetries = 2, base = 0.2
        if let r = root["retries"] {
            if let d = r.double, d >= 0, d <= 10, d == d.rounded() { maxRetries = Int(d) }
            else if r.members != nil {
                if let m = r["max"] { if let d = m.double, d >= 0, d <= 10, d == d.rounded() { maxRetries = Int(d) } else { problem(line("max", in: r), "retries.max", "expected 0 to 10") } }
                if let b = r["base_delay_seconds"] { if let d = b.double, d >= 0, d <= 3600 { base = d } else { problem(line("base_delay_seconds", in: r), "retries.base_delay_seconds", "expected seconds from 0 to 3600, got \(Self.shown(b))") } }
            } else { problem(line("retries", in: root), "retries", "expected a number of retries or {max, base_delay_seconds}") }
        }
        var margin = 0.05
        if let m = root["routing_margin"] {
            if let d = m.double, (0...1).contains(d) { margin = d } else { problem(line("routing_margin", in: root), "routing_margin", "expected a number from 0 to 1") }
        }
        if agent.workingDirectory == nil { agent.workingDirectory = folder.isEmpty ? nil : folder }
        let gate = SuiteGate.configuration(root, source: source, problems: &problems)
        let gateway = SuiteGateway.section(root, source: source, folder: folder, problems: &problems)
        let faults = SuiteFaults.sections(root, source: source, problems: &problems)
        for s in faults.scorers where components.contains(where: { $0.name == s.name }) || endToEnd?.name == s.name {
            problems.append(InputProblem(source: source, line: line("resilience", in: root), path: "resilience", message: "a component is already named \(s.name)"))
        }
        var conversation = SuiteConversation.section(root, source: source, problems: &problems)
        // Without a `conversation:` section the default scorers give way to components of the same name.
        if root["conversation"] == nil {
            conversation.scorers.removeAll { s in components.contains { $0.name == s.name } || endToEnd?.name == s.name }
        }
        for s in conversation.scorers where components.contains(where: { $0.name == s.name }) || endToEnd?.name == s.name {
            problems.append(InputProblem(source: source, line: line("conversation", in: root), path: "conversation",
                                         message: "a component is already named \(s.name); rename it or list the conversation scorers without \(s.name)"))
        }
        let componentNames = Set(components.map(\.name) + (endToEnd.map { [$0.name] } ?? []) + conversation.scorers.map(\.name))
        for name in (gate.components ?? []).union(gate.floors.keys).sorted() where !componentNames.contains(name) {
            problems.append(InputProblem(source: source, line: line("gate", in: root), path: "gate", message: "no component \(name) in the suite"))
        }
        for name in (gate.tiers ?? []).sorted() where !tiers.contains(where: { $0.info.name == name }) {
            problems.append(InputProblem(source: source, line: line("gate", in: root), path: "gate.tiers", message: "no tier \(name) in the suite"))
        }
        if !problems.isEmpty { throw EvalError.configuration(problems) }
        var suite = Suite(path: source, text: text, agent: agent, tiers: tiers, datasets: datasets, components: components, endToEnd: endToEnd,
                          repeats: repeats, concurrency: concurrency, budgetUSD: budget, maxRetries: maxRetries, retryBaseSeconds: base,
                          routingMargin: margin)
        suite.gate = gate
        suite.gateway = gateway
        suite.faults = faults
        suite.conversation = conversation
        return suite
    }
}
