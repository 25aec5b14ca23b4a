import ArgumentParser
import AssayCore
import AssayOTLP
import AssayPostgres
import AssaySQLite
import Foundation

/// `assay store copy`: everything of one store into another, idempotently.
struct StoreCopyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy traces, feedback and runs from one store into another; again, it adds only what is missing.",
        discussion: """
            Traces keep every span with its resource and scope, and what online evaluation did with them; \
            feedback keeps its ids (so current reviews stay current); runs keep their cells. A trace, \
            feedback item or cell already in the target is left as it is, so a copy can be run again or \
            resumed after it stopped. The password of a URL never appears in the output.
            """
    )

    @Option(help: ArgumentHelp("The store to read: a SQLite file or a postgres:// URL.", valueName: "path-or-url"))
    var from: String

    @Option(help: ArgumentHelp("The store to write (created when missing): a SQLite file or a postgres:// URL.", valueName: "path-or-url"))
    var to: String

    func validate() throws {
        if from == to { throw ValidationError("--from and --to name the same store (\(PostgresURL.redacted(from))).") }
        if !PostgresURL.isPostgres(from), !FileManager.default.fileExists(atPath: from) {
            throw ValidationError("--from: no store at '\(DisplayFormat.safe(from))'.")
        }
    }

    func run() throws {
        let source = try StoreOptions(db: from).open(), target = try StoreOptions(db: to).open()
        printError("copying \(source.location) → \(target.location)")
        let counts = try StoreCopy(from: source, to: target).run { c in
            if c.traces % 2000 == 0 { printError("  \(c.traces) traces so far") }
        }
        print("copied \(counts.traces) traces (\(counts.spansNew) spans new), \(counts.feedback) feedback items (\(counts.feedbackNew) new), "
              + "\(counts.runs) runs (\(counts.runsNew) new, \(counts.cellsNew) cells new) into \(target.location)")
    }
}
