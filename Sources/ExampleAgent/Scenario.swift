import AssayCore
import Foundation

/// A triage label, as the triage step answers it (`Scorers/triage.yaml` lists the same three).
enum TriageLabel: String, CaseIterable, Sendable {
    case urgent
    case needsReply = "needs_reply"
    case fyi
}

/// A tool call (the core's `ToolCall`: name and arguments as compact JSON) with what the tool answers.
struct ToolUse: Sendable {
    /// The call, e.g. `create_ticket` with its arguments.
    var call: ToolCall
    /// What the tool answers, as compact JSON.
    var result: String

    /// A call of `name` with `arguments`, answered by `result`.
    init(name: String, arguments: String, result: String) {
        call = ToolCall(name: name, arguments: arguments)
        self.result = result
    }

    /// The tool name.
    var name: String { call.name }
    /// The arguments as a compact JSON object.
    var arguments: String { call.arguments }
}

/// The right tool call of a scenario and the wrong arguments a weaker model passes instead.
struct ToolSpec: Sendable {
    /// The right call.
    var call: ToolUse
    /// The same tool with one argument wrong, as compact JSON.
    var wrongArguments: String
}

/// One simulated email with everything a perfect assistant would do with it: the ground truth that
/// both the agents and `Datasets/email-assistant.jsonl` are made from.
struct Scenario: Sendable {
    /// A short stable name, e.g. `outage`.
    var key: String
    /// The `From:` line's value.
    var from: String
    /// The subject: how the agent recognises the email.
    var subject: String
    /// The body text.
    var body: String
    /// The right triage label.
    var label: TriageLabel
    /// Why that label.
    var reason: String
    /// What to do next.
    var nextAction: String
    /// The knowledge-base documents the reply needs.
    var documents: [String]
    /// The right tool call; nil when none is needed.
    var tool: ToolSpec?
    /// The ideal drafted reply.
    var reply: String

    /// The email exactly as the runner sends it: headers, a blank line, the body.
    var email: String { "From: \(from)\nSubject: \(subject)\n\n\(body)" }

    /// The scenario whose subject the email's `Subject:` line carries (case-insensitive), if any.
    static func matching(email: String) -> Scenario? {
        let subjectLine = email.split(separator: "\n", omittingEmptySubsequences: false)
            .first(where: { $0.lowercased().hasPrefix("subject:") })
            .map { String($0.dropFirst(8)).trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        if !subjectLine.isEmpty, let exact = all.first(where: { $0.subject.lowercased() == subjectLine }) { return exact }
        let haystack = subjectLine.isEmpty ? email.lowercased() : subjectLine
        return all.first(where: { haystack.contains($0.subject.lowercased()) })
    }
}
