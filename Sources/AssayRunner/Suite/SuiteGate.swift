package import AssayCore
import AssayEval
import Foundation

/// The suite's `gate:` section: what the CI gate checks (docs/gate.md).
///
/// ```yaml
/// gate:
///   tiers: [mid]              # gated tiers (default: all); the others are compared, not gated
///   components: [triage]      # gated components (default: all)
///   alpha: 0.05
///   min_effect: 0.05          # the smallest drop that counts, in score points (0.05 = 5 points)
///   max_error_share: 0        # failed cells allowed per gated tier, after retries
///   inconclusive: pass        # pass (with a warning) or fail
///   floors:
///     triage: {mean: 0.6, pass_rate: 0.5}
/// ```
package enum SuiteGate {
    static let keys = ["tiers", "components", "alpha", "min_effect", "max_error_share", "inconclusive", "floors"]

    /// The gate's settings from a suite's root mapping; problems are appended as `file:line: gate.key: problem`.
    package static func configuration(_ root: JSONValue, source: String, problems: inout [InputProblem]) -> GateConfiguration {
        var c = GateConfiguration(seed: 1)
        guard let gate = root["gate"] else { return c }
        func line(_ key: String) -> Int { gate.members?.last(where: { $0.key == key }).map { Int($0.line) } ?? gate.line ?? 1 }
        func problem(_ key: String, _ message: String) { problems.append(InputProblem(source: source, line: line(key), path: "gate." + key, message: message)) }
        guard let members = gate.members else {
            problems.append(InputProblem(source: source, line: gate.line ?? 1, path: "gate", message: "expected a mapping of \(keys.joined(separator: ", "))"))
            return c
        }
        for m in members where !keys.contains(m.key) {
            problems.append(InputProblem(source: source, line: Int(m.line), path: "gate." + m.key, message: "unknown key; expected one of \(keys.joined(separator: ", "))"))
        }
        func names(_ key: String) -> Set<String>? {
            guard let v = gate[key] else { return nil }
            guard let list = v.elements, !list.isEmpty, list.allSatisfy({ $0.string != nil }) else { problem(key, "expected a list of names"); return nil }
            return Set(list.compactMap(\.string))
        }
        func share(_ key: String, open: Bool) -> Double? {
            guard let v = gate[key] else { return nil }
            guard let d = v.double, open ? (d > 0 && d < 1) : (0...1).contains(d) else {
                problem(key, open ? "expected a number between 0 and 1" : "expected a number from 0 to 1"); return nil
            }
            return d
        }
        c.tiers = names("tiers")
        c.components = names("components")
        if let a = share("alpha", open: true) { c.alpha = a }
        if let e = share("min_effect", open: true) { c.minEffect = e }
        if let s = share("max_error_share", open: false) { c.maxErrorShare = s }
        if let v = gate["inconclusive"] {
            switch v.string {
            case "pass"?: c.inconclusiveFails = false
            case "fail"?: c.inconclusiveFails = true
            default: problem("inconclusive", "expected pass or fail")
            }
        }
        if let floors = gate["floors"] {
            for m in floors.members ?? [] {
                var floor = GateFloor()
                for f in m.value.members ?? [] {
                    guard let d = f.value.double, (0...1).contains(d) else {
                        problems.append(InputProblem(source: source, line: Int(f.line), path: "gate.floors.\(m.key).\(f.key)", message: "expected a number from 0 to 1"))
                        continue
                    }
                    switch f.key {
                    case "mean": floor.mean = d
                    case "pass_rate": floor.passRate = d
                    default:
                        problems.append(InputProblem(source: source, line: Int(f.line), path: "gate.floors.\(m.key).\(f.key)", message: "unknown key; expected mean, pass_rate"))
                    }
                }
                if m.value.members == nil { problems.append(InputProblem(source: source, line: Int(m.line), path: "gate.floors.\(m.key)", message: "expected {mean: N, pass_rate: N}")) }
                c.floors[m.key] = floor
            }
            if floors.members == nil { problem("floors", "expected a mapping of component names to {mean, pass_rate}") }
        }
        return c
    }

    /// The gate's settings from a suite's text (as a run records it); the defaults when it has none or
    /// cannot be read.
    package static func configuration(suiteText text: String, source: String) -> GateConfiguration {
        guard let root = try? YAMLDocument.parse(text, source: source) else { return GateConfiguration(seed: 1) }
        var problems: [InputProblem] = []
        return configuration(root, source: source, problems: &problems)
    }
}
