import ArgumentParser
import AssayCore

/// `assay sessions list`: the sessions with the newest activity, filtered.
struct SessionsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List sessions, newest activity first: turns, first and last activity, tokens, turns with errors.",
        discussion: """
            Times are a duration before now (30m, 2h, 7d) or an ISO 8601 time (2026-11-21T10:00:00Z). \\
            --since and --until pick the sessions with a turn that started in the window; each line \\
            covers the whole session. A session is flagged when a current review of the session, or \\
            of one of its turns, flags it.

            Examples:
              assay sessions list --since 2h
              assay sessions list --flagged --limit 20 --json
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(help: ArgumentHelp("Only sessions with a turn that started at or after this time: a duration before now (30m, 2h, 7d) or an ISO 8601 time.",
                               valueName: "time"))
    var since: String?

    @Option(help: ArgumentHelp("Only sessions with a turn that started before this time.", valueName: "time"))
    var until: String?

    @Option(help: "At most this many sessions.")
    var limit = 50

    @Flag(help: "Only sessions flagged as needing review (the session or one of its turns).")
    var flagged = false

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func validate() throws { _ = try query() }

    func run() throws {
        let sessions = try store.open().sessions(matching: try query())
        print(json ? SessionText.json(sessions) : SessionText.table(sessions), terminator: "")
    }

    /// The query the options describe, or a usage error naming the bad value.
    private func query() throws -> SessionQuery {
        guard limit >= 0 else { throw ValidationError("--limit must be 0 or more, got \(limit).") }
        var q = SessionQuery(flagged: flagged, limit: limit)
        if let t = try TraceFilterOptions.timeBound(since, flag: "--since") { q.startFrom = t }
        if let t = try TraceFilterOptions.timeBound(until, flag: "--until") { q.startBefore = t }
        return q
    }
}
