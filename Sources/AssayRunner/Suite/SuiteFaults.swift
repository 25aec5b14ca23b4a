package import AssayCore
import Foundation

/// The suite's resilience settings: `faults:` (the fault plans), `tools:` (the HTTP tools the runner
/// proxies) and `resilience:` (the resilience scorers) (docs/resilience.md).
///
/// ```yaml
/// tools:
///   crm: {url: http://127.0.0.1:8080, env: CRM_URL}   # or {simulated: true, env: CRM_URL}
/// faults:
///   rate_limited:
///     - {on: model, call: 1, status: 429, retry_after: 1}
///   crm_flaky:
///     seed: 7
///     inject:
///       - {on: tool, tool: crm, probability: 0.3, status: 503}
///   crash_after_send:
///     - {on: crash, after: tool, call: 2}
/// resilience:
///   - no_duplicate_side_effects
///   - {kind: bounded_effort, max_calls: 12}
/// ```
package struct SuiteFaults: Sendable {
    /// A tool the agent reaches over HTTP, through the runner's tool proxy.
    package struct Tool: Sendable, Hashable {
        /// The tool's name, in the proxy's path and the spans.
        package var name: String
        /// The upstream's base URL; nil: the proxy answers itself (a simulated tool).
        package var url: String?
        /// The variable through which the agent finds the tool: the runner sets it to the proxy's URL.
        package var environmentVariable: String
        /// Keep request and response bodies on the spans.
        package var recordBodies: Bool
        /// Requests that have side effects besides POST, PUT, PATCH and DELETE: `GET /send`.
        package var sideEffects: [String]
        /// Requests without side effects whatever their method: `POST /search`.
        package var readOnly: [String]
    }

    /// The fault plans, in suite order.
    package var plans: [FaultPlan] = []
    /// The proxied tools, by name order.
    package var tools: [Tool] = []
    /// The resilience scorers; `recovered` first whenever there are plans.
    package var scorers: [ResilienceScorer] = []

    static let sectionKeys = ["faults", "tools", "resilience"]
    static let toolKeys = ["url", "simulated", "env", "record_bodies", "side_effects", "read_only"]
    static let injectionKeys = ["on", "model", "tool", "call", "first", "every", "probability", "status", "retry_after", "delay_seconds",
                                "cut_stream", "malformed", "empty", "reset", "after"]

    /// Reads the three sections; problems are appended as `file:line: path: problem`.
    static func sections(_ root: JSONValue, source: String, problems: inout [InputProblem]) -> SuiteFaults {
        var out = SuiteFaults()
        func problem(_ line: Int?, _ path: String, _ message: String) {
            problems.append(InputProblem(source: source, line: line ?? 1, path: path, message: message))
        }
        func at(_ key: String, in v: JSONValue) -> Int? { v.members?.last { $0.key == key }.map { Int($0.line) } ?? v.line }
        // tools
        if let section = root["tools"] {
            if let members = section.members {
                for m in members {
                    let path = "tools." + m.key
                    if !DatasetFolder.validName(m.key) { problem(Int(m.line), path, "tool names use letters, digits, '.', '_' and '-'") }
                    guard m.value.members != nil else { problem(Int(m.line), path, "expected {url, env} or {simulated: true, env}"); continue }
                    for x in m.value.members! where !toolKeys.contains(x.key) {
                        problem(Int(x.line), path + "." + x.key, "unknown key; expected \(toolKeys.joined(separator: ", "))")
                    }
                    var tool = Tool(name: m.key, url: nil, environmentVariable: "", recordBodies: false, sideEffects: [], readOnly: [])
                    let simulated: Bool = if case .bool(true)? = m.value["simulated"] { true } else { false }
                    if let u = m.value["url"] {
                        if let s = u.string, s.hasPrefix("http://") || s.hasPrefix("https://") { tool.url = s }
                        else { problem(at("url", in: m.value), path + ".url", "expected an http:// or https:// URL") }
                    } else if !simulated {
                        problem(Int(m.line), path + ".url", "required: the tool's base URL (or simulated: true for a tool the proxy answers itself)")
                    }
                    if let e = m.value["env"]?.string, !e.isEmpty, e.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
                        tool.environmentVariable = e
                    } else {
                        problem(at("env", in: m.value), path + ".env", "required: the environment variable through which the agent finds the tool, e.g. CRM_URL")
                    }
                    if let b = m.value["record_bodies"] {
                        if case .bool(let flag) = b { tool.recordBodies = flag } else { problem(at("record_bodies", in: m.value), path + ".record_bodies", "expected true or false") }
                    }
                    for key in ["side_effects", "read_only"] {
                        guard let list = m.value[key] else { continue }
                        guard let items = list.elements, items.allSatisfy({ Self.route($0.string) }) else {
                            problem(at(key, in: m.value), path + "." + key, "expected a list of requests like \"POST /search\" or \"/send\""); continue
                        }
                        if key == "side_effects" { tool.sideEffects = items.compactMap(\.string) } else { tool.readOnly = items.compactMap(\.string) }
                    }
                    out.tools.append(tool)
                }
                let variables = out.tools.map(\.environmentVariable).filter { !$0.isEmpty }
                if Set(variables).count != variables.count { problem(section.line, "tools", "two tools use the same env variable") }
            } else {
                problem(section.line, "tools", "expected a mapping of tool names to {url, env}")
            }
        }
        let toolNames = Set(out.tools.map(\.name))
        // faults
        if let section = root["faults"] {
            if let members = section.members {
                for m in members {
                    let path = "faults." + m.key
                    if m.key == FaultPlan.clean { problem(Int(m.line), path, "clean is the condition without faults; name the plan otherwise"); continue }
                    if !DatasetFolder.validName(m.key) { problem(Int(m.line), path, "plan names use letters, digits, '.', '_' and '-'") }
                    var seed: UInt64 = 1
                    var list = m.value.elements
                    if m.value.members != nil {
                        for x in m.value.members! where x.key != "seed" && x.key != "inject" {
                            problem(Int(x.line), path + "." + x.key, "unknown key; expected seed, inject")
                        }
                        if let s = m.value["seed"] {
                            if let d = s.double, let n = UInt64(exactly: d) { seed = n } else { problem(at("seed", in: m.value), path + ".seed", "expected a whole number, 0 or more") }
                        }
                        list = m.value["inject"]?.elements
                    }
                    guard let entries = list, !entries.isEmpty else {
                        problem(Int(m.line), path, "expected a list of injections, or {seed, inject: [...]}"); continue
                    }
                    var plan = FaultPlan(name: m.key, seed: seed, injections: [])
                    for (i, entry) in entries.enumerated() {
                        let p = "\(path)[\(i)]"
                        guard entry.members != nil else { problem(entry.line, p, "expected a mapping like {on: model, call: 1, status: 429}"); continue }
                        for x in entry.members! where !injectionKeys.contains(x.key) {
                            problem(Int(x.line), p + "." + x.key, "unknown key; expected \(injectionKeys.joined(separator: ", "))")
                        }
                        if entry["on"]?.string == "crash" {
                            if plan.crash != nil { problem(entry.line, p, "a plan crashes the agent once; this is its second crash") }
                            guard let after = entry["after"]?.string.flatMap(FaultTarget.init(rawValue:)) else {
                                problem(at("after", in: entry), p + ".after", "required: tool or model (crash after the Kth tool or model call)"); continue
                            }
                            guard let k = entry["call"]?.double.flatMap({ Int(exactly: $0) }), k >= 1 else {
                                problem(at("call", in: entry), p + ".call", "required: the call after which to crash, 1 or more"); continue
                            }
                            if after == .tool && out.tools.isEmpty { problem(at("after", in: entry), p + ".after", "no tools: declare them under tools: so that the runner sees tool calls") }
                            plan.crash = CrashPoint(after: after, call: k)
                            continue
                        }
                        if let injection = Self.injection(entry, path: p, tools: toolNames, at: { at($0, in: entry) }, problem: problem) {
                            plan.injections.append(injection)
                        }
                    }
                    out.plans.append(plan)
                }
            } else {
                problem(section.line, "faults", "expected a mapping of plan names to lists of injections")
            }
        }
        // resilience
        if let section = root["resilience"] {
            if let entries = section.elements {
                for (i, entry) in entries.enumerated() {
                    let p = "resilience[\(i)]"
                    let kindName = entry.string ?? entry["kind"]?.string
                    guard let name = kindName, let kind = ResilienceScorer.Kind(rawValue: name) else {
                        problem(entry.line ?? section.line, p, "expected one of \(ResilienceScorer.Kind.allCases.map(\.rawValue).joined(separator: ", "))"); continue
                    }
                    for x in entry.members ?? [] where !["kind", "max_calls", "max_cost_usd", "pattern", "tolerance_seconds"].contains(x.key) {
                        problem(Int(x.line), p + "." + x.key, "unknown key; expected kind, max_calls, max_cost_usd, pattern, tolerance_seconds")
                    }
                    var maxCalls: Int?, maxCost: Double?, tolerance = 0.05
                    var pattern = ResilienceScorer.defaultPattern
                    if let v = entry["max_calls"] {
                        if let d = v.double, let n = Int(exactly: d), n >= 0 { maxCalls = n } else { problem(at("max_calls", in: entry), p + ".max_calls", "expected a whole number, 0 or more") }
                    }
                    if let v = entry["max_cost_usd"] {
                        if let d = v.double, d >= 0, d.isFinite { maxCost = d } else { problem(at("max_cost_usd", in: entry), p + ".max_cost_usd", "expected US dollars, 0 or more") }
                    }
                    if let v = entry["pattern"] {
                        if let s = v.string { pattern = s } else { problem(at("pattern", in: entry), p + ".pattern", "expected a regular expression") }
                    }
                    if let v = entry["tolerance_seconds"] {
                        if let d = v.double, d >= 0, d <= 60 { tolerance = d } else { problem(at("tolerance_seconds", in: entry), p + ".tolerance_seconds", "expected seconds from 0 to 60") }
                    }
                    if kind == .boundedEffort && maxCalls == nil && maxCost == nil {
                        problem(entry.line ?? section.line, p, "bounded_effort needs max_calls, max_cost_usd or both")
                    }
                    if out.scorers.contains(where: { $0.kind == kind }) { problem(entry.line ?? section.line, p, "\(kind.rawValue) is listed twice"); continue }
                    do { out.scorers.append(try ResilienceScorer(kind: kind, maxCalls: maxCalls, maxCostUSD: maxCost, pattern: pattern, toleranceSeconds: tolerance)) }
                    catch { problem(at("pattern", in: entry), p + ".pattern", error.description) }
                }
            } else {
                problem(section.line, "resilience", "expected a list of resilience scorers, e.g. [recovered, no_duplicate_side_effects]")
            }
        }
        // With fault plans, whether the cell still passes is always judged, and first.
        if !out.plans.isEmpty || !out.scorers.isEmpty {
            out.scorers.removeAll { $0.kind == .recovered }
            out.scorers.insert(try! ResilienceScorer(kind: .recovered), at: 0)
        }
        return out
    }

    /// One injection: `{on: model|tool, [model|tool: NAME], call|first|every|probability, <fault>}`.
    private static func injection(_ e: JSONValue, path p: String, tools: Set<String>, at: (String) -> Int?,
                                  problem: (Int?, String, String) -> Void) -> FaultInjection? {
        guard let on = e["on"]?.string, let target = FaultTarget(rawValue: on) else {
            problem(at("on"), p + ".on", "required: model, tool or crash"); return nil
        }
        var name: String?
        if let n = e["model"] {
            if target != .model { problem(at("model"), p + ".model", "a model filter is for on: model") }
            name = n.string
        }
        if let n = e["tool"] {
            if target != .tool { problem(at("tool"), p + ".tool", "a tool filter is for on: tool") }
            name = n.string
            if let t = name, !tools.contains(t) { problem(at("tool"), p + ".tool", "no tool \(t) under tools:") }
        }
        if target == .tool && tools.isEmpty { problem(at("on"), p + ".on", "no tools: declare them under tools: so that the runner proxies them") }
        var whens: [FaultWhen] = []
        if let v = e["call"] { if let d = v.double, let n = Int(exactly: d), n >= 1 { whens.append(.call(n)) } else { problem(at("call"), p + ".call", "expected a call number, 1 or more") } }
        if let v = e["first"] { if let d = v.double, let n = Int(exactly: d), n >= 1 { whens.append(.first(n)) } else { problem(at("first"), p + ".first", "expected a number of calls, 1 or more") } }
        if case .bool(true)? = e["every"] { whens.append(.every) }
        if let v = e["probability"] { if let d = v.double, d > 0, d <= 1 { whens.append(.probability(d)) } else { problem(at("probability"), p + ".probability", "expected a probability above 0 and at most 1") } }
        guard whens.count == 1 else {
            problem(e.line, p, whens.isEmpty ? "say which calls: call: N, first: N, every: true or probability: P" : "give one of call, first, every, probability"); return nil
        }
        var actions: [FaultAction] = []
        if let v = e["status"] {
            if let d = v.double, let code = Int(exactly: d), (400...599).contains(code) {
                var after: Double?
                if let r = e["retry_after"] { if let s = r.double, s >= 0, s <= 3600 { after = s } else { problem(at("retry_after"), p + ".retry_after", "expected seconds from 0 to 3600") } }
                actions.append(.status(code, retryAfterSeconds: after))
            } else { problem(at("status"), p + ".status", "expected an HTTP error status from 400 to 599") }
        } else if e["retry_after"] != nil { problem(at("retry_after"), p + ".retry_after", "retry_after goes with a status (429)") }
        if let v = e["delay_seconds"] { if let d = v.double, d > 0, d <= 3600 { actions.append(.delay(seconds: d)) } else { problem(at("delay_seconds"), p + ".delay_seconds", "expected seconds above 0 and at most 3600") } }
        for (key, action) in [("cut_stream", FaultAction.cutStream), ("malformed", .malformed), ("empty", .empty), ("reset", .reset)] {
            guard let v = e[key] else { continue }
            guard case .bool(true) = v else { problem(at(key), p + "." + key, "expected true"); continue }
            if target == .tool && (action == .cutStream || action == .empty) { problem(at(key), p + "." + key, "\(key) is a model-call fault; tools take status, delay_seconds, reset or malformed") }
            actions.append(action)
        }
        guard actions.count == 1 else {
            problem(e.line, p, actions.isEmpty ? "say what to inject: status, delay_seconds, cut_stream, malformed, empty or reset" : "give one fault per injection"); return nil
        }
        return FaultInjection(target: target, name: name, when: whens[0], action: actions[0])
    }

    /// Whether a text is a request rule: `METHOD /path` or `/path`.
    static func route(_ text: String?) -> Bool {
        guard let parts = text?.split(separator: " "), (1...2).contains(parts.count), parts.last!.hasPrefix("/") else { return false }
        return parts.count == 1 || parts[0].allSatisfy(\.isLetter)
    }

    /// The plans a run uses: all, or those `--faults` names (`none`: only the clean condition).
    package func select(_ names: [String]?, suitePath: String) throws -> [FaultPlan] {
        guard let names else { return plans }
        if names == ["none"] { return [] }
        return try names.map { name in
            guard let plan = plans.first(where: { $0.name == name }) else {
                throw RunnerError.unknownFaultPlan(name, suitePath, plans.map(\.name))
            }
            return plan
        }
    }
}
