/// A deliberate failure, for testing the runner (`--fail-mode`).
enum FailMode: String, CaseIterable, Sendable {
    /// `abort()` before answering.
    case crash
    /// Sleep forever.
    case hang
    /// Answer with text that is not JSON.
    case garbage
    /// Answer normally without exporting any span.
    case nospans
    /// Fail transiently (exit 75, or `"transient": true`) the first time for an example, then succeed.
    case transientOnce = "transient-once"
}

/// The command line: `assay-example-agent [--persistent] [--fail-mode MODE] [--trivial] [--gateway] [--compact-context] [--dump-scenarios]`.
struct Options: Sendable {
    var persistent = false
    var failMode: FailMode?
    var trivial = false
    var dumpScenarios = false
    /// Model calls over HTTP to `OPENAI_BASE_URL` (the gateway of `assay run`) instead of simulated in process.
    var gateway = false
    /// In conversations, give each model call what earlier turns sent instead of the whole conversation
    /// (the fix of the thread assistant's context growth).
    var compactContext = false

    static let usage = "usage: assay-example-agent [--persistent] [--fail-mode crash|hang|garbage|nospans|transient-once] [--trivial] [--gateway] [--compact-context] [--dump-scenarios]"

    init(arguments: [String]) throws(AgentError) {
        var rest = arguments[...]
        while let arg = rest.popFirst() {
            switch arg {
            case "--persistent": persistent = true
            case "--trivial": trivial = true
            case "--gateway": gateway = true
            case "--compact-context": compactContext = true
            case "--dump-scenarios": dumpScenarios = true
            case "--fail-mode":
                guard let value = rest.popFirst(), let mode = FailMode(rawValue: value) else {
                    throw AgentError(description: "--fail-mode: expected one of \(FailMode.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                failMode = mode
            case "-h", "--help": throw AgentError(description: Self.usage)
            default: throw AgentError(description: "unknown argument '\(arg.prefix(40))'\n\(Self.usage)")
            }
        }
    }
}
