import AssayCore
package import AssayGateway
import Foundation

/// The suite's model gateway settings: `upstreams:`, each tier's `upstream:` and the `gateway:`
/// section (docs/gateway.md).
///
/// ```yaml
/// upstreams:
///   openai: {kind: openai, base_url: https://api.openai.com/v1, api_key_env: OPENAI_API_KEY}
/// tiers:
///   low: {model: gpt-4o-mini, upstream: openai, input_price: 0.15, output_price: 0.60}
/// gateway:
///   llm_cache: replay-or-record     # off (default), record, replay, replay-or-record
///   cache_folder: llm-cache         # beside the suite file
///   rewrite_model: true             # replace the agent's model with the tier's
///   max_calls_per_cell: 50
///   max_cost_per_cell_usd: 0.25
///   timeout_seconds: 600            # one upstream call
/// ```
package struct SuiteGateway: Sendable {
    /// `gateway.enabled`; nil: on when a tier names an upstream or a `sim-*` model.
    package var enabled: Bool?
    /// `gateway.rewrite_model`: give each call the tier's model.
    package var rewriteModel = true
    /// `gateway.llm_cache`.
    package var cacheMode: CacheMode = .off
    /// The cache folder, resolved against the suite's folder.
    package var cacheFolder = "llm-cache"
    /// `gateway.max_calls_per_cell`.
    package var maxCallsPerCell: Int?
    /// `gateway.max_cost_per_cell_usd`, US dollars.
    package var maxCostPerCellUSD: Double?
    /// `gateway.timeout_seconds`: the longest wait for an upstream to start answering, and pause within an answer.
    package var timeoutSeconds = 600.0

    static let keys = ["enabled", "llm_cache", "cache_folder", "rewrite_model", "max_calls_per_cell", "max_cost_per_cell_usd", "timeout_seconds"]
    static let upstreamKeys = ["kind", "base_url", "api_key_env"]

    /// Reads the `gateway:` section; problems are appended as `file:line: gateway.key: problem`.
    static func section(_ root: JSONValue, source: String, folder: String, problems: inout [InputProblem]) -> SuiteGateway {
        var g = SuiteGateway()
        g.cacheFolder = folder.isEmpty ? "llm-cache" : folder + "/llm-cache"
        guard let section = root["gateway"] else { return g }
        func line(_ key: String) -> Int { section.members?.last(where: { $0.key == key }).map { Int($0.line) } ?? section.line ?? 1 }
        func problem(_ key: String, _ message: String) { problems.append(InputProblem(source: source, line: line(key), path: "gateway." + key, message: message)) }
        guard let members = section.members else {
            problems.append(InputProblem(source: source, line: section.line ?? 1, path: "gateway", message: "expected a mapping of \(keys.joined(separator: ", "))"))
            return g
        }
        for m in members where !keys.contains(m.key) {
            problems.append(InputProblem(source: source, line: Int(m.line), path: "gateway." + m.key, message: "unknown key; expected one of \(keys.joined(separator: ", "))"))
        }
        for key in ["enabled", "rewrite_model"] {
            guard let v = section[key] else { continue }
            guard case .bool(let b) = v else { problem(key, "expected true or false"); continue }
            if key == "enabled" { g.enabled = b } else { g.rewriteModel = b }
        }
        if let v = section["llm_cache"] {
            // YAML reads a bare `off` as false.
            if case .bool(false) = v { g.cacheMode = .off }
            else if let s = v.string, let mode = CacheMode(rawValue: s) { g.cacheMode = mode } else { problem("llm_cache", "expected one of \(CacheMode.names)") }
        }
        if let v = section["cache_folder"] {
            if let s = v.string, !s.isEmpty { g.cacheFolder = s.hasPrefix("/") || folder.isEmpty ? s : folder + "/" + s } else { problem("cache_folder", "expected a folder") }
        }
        if let v = section["max_calls_per_cell"] {
            if let d = v.double, let n = Int(exactly: d), n >= 1, n <= 1_000_000 { g.maxCallsPerCell = n } else { problem("max_calls_per_cell", "expected a whole number from 1 to 1000000") }
        }
        if let v = section["max_cost_per_cell_usd"] {
            if let d = v.double, d > 0, d.isFinite { g.maxCostPerCellUSD = d } else { problem("max_cost_per_cell_usd", "expected US dollars above 0") }
        }
        if let v = section["timeout_seconds"] {
            if let d = v.double, d > 0, d <= 86_400 { g.timeoutSeconds = d } else { problem("timeout_seconds", "expected seconds above 0 and at most 86400") }
        }
        return g
    }

    /// Reads `upstreams:`, the named upstreams tiers refer to.
    static func upstreams(_ root: JSONValue, source: String, problems: inout [InputProblem]) -> [String: Upstream] {
        var out: [String: Upstream] = [:]
        guard let section = root["upstreams"] else { return out }
        guard let members = section.members else {
            problems.append(InputProblem(source: source, line: section.line ?? 1, path: "upstreams", message: "expected a mapping of names to upstreams"))
            return out
        }
        for m in members {
            if let u = upstream(m.value, line: Int(m.line), path: "upstreams." + m.key, source: source, problems: &problems) { out[m.key] = u }
        }
        return out
    }

    /// One upstream mapping: `{kind, base_url, api_key_env}`.
    static func upstream(_ v: JSONValue, line: Int, path: String, source: String, problems: inout [InputProblem]) -> Upstream? {
        func problem(_ at: Int, _ p: String, _ message: String) { problems.append(InputProblem(source: source, line: at, path: p, message: message)) }
        guard let members = v.members else { problem(line, path, "expected {kind, base_url, api_key_env}"); return nil }
        for m in members where !upstreamKeys.contains(m.key) {
            problem(Int(m.line), path + "." + m.key, "unknown key; expected kind, base_url, api_key_env")
        }
        func at(_ key: String) -> Int { members.last { $0.key == key }.map { Int($0.line) } ?? line }
        guard let kindText = v["kind"]?.string else { problem(at("kind"), path + ".kind", "required: openai, anthropic or simulated"); return nil }
        if kindText == "simulated" { return .simulated }
        guard let kind = ProviderKind(rawValue: kindText) else { problem(at("kind"), path + ".kind", "expected openai, anthropic or simulated, got \(kindText)"); return nil }
        var base = Upstream.defaultBaseURL(kind)
        if let b = v["base_url"] {
            guard let s = b.string, s.hasPrefix("http://") || s.hasPrefix("https://") else {
                problem(at("base_url"), path + ".base_url", "expected an http:// or https:// URL"); return nil
            }
            base = s
        }
        var variable: String? = Upstream.defaultKeyVariable(kind)
        if let k = v["api_key_env"] {
            if k.isNull { variable = nil }
            else if let s = k.string, !s.isEmpty, s.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) { variable = s }
            else { problem(at("api_key_env"), path + ".api_key_env", "expected the name of an environment variable (or null for none)"); return nil }
        }
        return Upstream(kind: kind, baseURL: base, keyVariable: variable)
    }
}
