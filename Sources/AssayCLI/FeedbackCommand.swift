import ArgumentParser

/// `assay feedback`: give, import and list feedback on traces.
struct FeedbackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feedback",
        abstract: "Give feedback on a trace or span, import feedback files, list feedback.",
        discussion: """
            Feedback is a rating (--up/--down), named scores, named labels, a correction (the right \
            output), a comment and a needs-review flag, with its author, source and time. The newest \
            feedback from one author and source on one target is that author's current review; older \
            ones are kept as history. Feedback on a trace that is not in the store is refused.

            Examples:
              assay feedback 6754614c64ffc6049b70e7695b05816f --down --flag --correction 'The refund window is 30 days.'
              assay feedback import reviews.jsonl
              assay feedback list 6754614c64ffc6049b70e7695b05816f
            """,
        subcommands: [FeedbackAddCommand.self, FeedbackImportCommand.self, FeedbackListCommand.self],
        defaultSubcommand: FeedbackAddCommand.self
    )
}
