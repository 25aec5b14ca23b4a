import ArgumentParser

/// `assay sessions`: the group of session commands (docs/conversations.md, "Sessions").
struct SessionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sessions",
        abstract: "List and show sessions: the traces that share a session id, one turn per trace.",
        discussion: """
            A trace's session id is read from gen_ai.conversation.id, session.id or \\
            traceloop.association.properties.session_id.

            Examples:
              assay sessions list --since 1d --flagged
              assay sessions show conv-42
            """,
        subcommands: [SessionsListCommand.self, SessionsShowCommand.self]
    )
}
