import ArgumentParser

/// `assay store`: moving data between stores.
struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Move traces, feedback and runs between stores (SQLite files and PostgreSQL team stores).",
        discussion: """
            A store is a SQLite file or a postgres://USER@HOST:PORT/DATABASE URL (docs/team-store.md).

            Examples:
              assay store copy --from .assay/assay.sqlite --to postgres://ana@db.internal:5432/assay
              assay store copy --from postgres://ana@db.internal:5432/assay --to backup.sqlite
            """,
        subcommands: [StoreCopyCommand.self]
    )
}
