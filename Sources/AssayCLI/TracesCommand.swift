import ArgumentParser

/// `assay traces`: the group of trace inspection commands.
struct TracesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "traces",
        abstract: "List and show stored traces.",
        discussion: """
            Examples:
              assay traces list --since 1h --status error
              assay traces show 5b8efff798038103d269b633813fc60c
            """,
        subcommands: [TracesListCommand.self, TracesShowCommand.self]
    )
}
