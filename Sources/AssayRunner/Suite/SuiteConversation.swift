package import AssayCore
import Foundation

/// The suite's `conversation:` section (docs/conversations.md): whether the runner restarts the agent
/// at every interrupt, and the conversation scorers.
///
/// ```yaml
/// conversation:
///   restart_between_turns: false
///   scorers:
///     - goal
///     - {kind: memory, threshold: 0.5}
///     - {kind: context_per_turn, max_ratio: 2, max_input_tokens: 8000}
/// ```
package struct SuiteConversation: Sendable {
    /// Kill the agent at every interrupt and start a new one for the decision.
    package var restartBetweenTurns = false
    /// The conversation scorers; all five when the section does not list them.
    package var scorers: [ConversationScorer] = ConversationScorer.Kind.allCases.map { ConversationScorer(kind: $0) }

    static let keys = ["restart_between_turns", "scorers"]
    static let scorerKeys = ["kind", "threshold", "max_ratio", "max_input_tokens"]

    /// Reads the section; problems are appended as `file:line: path: problem`.
    static func section(_ root: JSONValue, source: String, problems: inout [InputProblem]) -> SuiteConversation {
        var out = SuiteConversation()
        guard let section = root["conversation"] else { return out }
        func problem(_ line: Int?, _ path: String, _ message: String) {
            problems.append(InputProblem(source: source, line: line ?? 1, path: path, message: message))
        }
        func at(_ key: String, in v: JSONValue) -> Int? { v.members?.last { $0.key == key }.map { Int($0.line) } ?? v.line }
        guard let members = section.members else {
            problem(section.line, "conversation", "expected a mapping with restart_between_turns and scorers"); return out
        }
        for m in members where !keys.contains(m.key) {
            problem(Int(m.line), "conversation." + m.key, "unknown key; expected \(keys.joined(separator: ", "))")
        }
        if let v = section["restart_between_turns"] {
            if case .bool(let b) = v { out.restartBetweenTurns = b }
            else { problem(at("restart_between_turns", in: section), "conversation.restart_between_turns", "expected true or false") }
        }
        guard let list = section["scorers"] else { return out }
        guard let entries = list.elements else {
            problem(at("scorers", in: section), "conversation.scorers", "expected a list of conversation scorers, e.g. [goal, memory]"); return out
        }
        out.scorers = []
        for (i, entry) in entries.enumerated() {
            let p = "conversation.scorers[\(i)]"
            guard let name = entry.string ?? entry["kind"]?.string, let kind = ConversationScorer.Kind(rawValue: name) else {
                problem(entry.line ?? list.line, p, "expected one of \(ConversationScorer.Kind.allCases.map(\.rawValue).joined(separator: ", "))"); continue
            }
            for x in entry.members ?? [] where !scorerKeys.contains(x.key) {
                problem(Int(x.line), p + "." + x.key, "unknown key; expected \(scorerKeys.joined(separator: ", "))")
            }
            var scorer = ConversationScorer(kind: kind)
            if let v = entry["max_ratio"] {
                if kind != .contextPerTurn { problem(at("max_ratio", in: entry), p + ".max_ratio", "only context_per_turn takes max_ratio") }
                else if let d = v.double, d >= 1, d.isFinite { scorer.maxRatio = d }
                else { problem(at("max_ratio", in: entry), p + ".max_ratio", "expected a number, 1 or more") }
            }
            if let v = entry["max_input_tokens"] {
                if kind != .contextPerTurn { problem(at("max_input_tokens", in: entry), p + ".max_input_tokens", "only context_per_turn takes max_input_tokens") }
                else if let d = v.double, let n = Int64(exactly: d), n > 0 { scorer.maxInputTokens = n }
                else { problem(at("max_input_tokens", in: entry), p + ".max_input_tokens", "expected a whole number of tokens above 0") }
            }
            if let v = entry["threshold"] {
                if let d = v.double, (0...1).contains(d) { scorer.threshold = d }
                else { problem(at("threshold", in: entry), p + ".threshold", "expected a number from 0 to 1") }
            }
            if out.scorers.contains(where: { $0.kind == kind }) { problem(entry.line ?? list.line, p, "\(kind.rawValue) is listed twice"); continue }
            out.scorers.append(scorer)
        }
        return out
    }
}
