import Foundation

/// Checks before the first cell that the suite's agent program can be started at all, so that a
/// missing or non-executable agent is one clear error instead of every cell failing the same way.
package enum AgentPreflight {
    /// Why the agent cannot start, as a sentence naming the program; nil when it looks runnable.
    ///
    /// A program with a `/` is taken relative to the agent's working directory; one without is
    /// looked up in `PATH` (the agent's own `env` first), as the runner's `posix_spawnp` does.
    package static func problem(with agent: Suite.Agent) -> String? {
        guard let program = agent.command.first, !program.isEmpty else { return "agent.command: no program given" }
        let fm = FileManager.default
        func check(_ path: String) -> String? {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else { return "no such file" }
            if isDirectory.boolValue { return "it is a directory" }
            return fm.isExecutableFile(atPath: path) ? nil : "it is not executable (chmod +x)"
        }
        if program.contains("/") {
            let path = program.hasPrefix("/") ? program : (agent.workingDirectory.map { $0 + "/" } ?? "") + program
            let shown = path == program ? program : "\(program) (\(path))"
            return check(path).map { "cannot start the agent \(shown): \($0)" }
        }
        let searchPath = agent.environment["PATH"] ?? ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let found = searchPath.split(separator: ":").contains { check(String($0) + "/" + program) == nil }
        return found ? nil : "cannot start the agent \(program): not found in PATH"
    }
}
