import ArgumentParser
import Foundation

/// The `assay` command: configuration only; each subcommand lives in its own file.
@main
struct AssayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assay",
        abstract: "Evaluation and tracing workbench for LLM agents.",
        discussion: """
            Stores OpenTelemetry traces of LLM agents in an embedded SQLite store \
            (default .assay/assay.sqlite, or --db / ASSAY_DB), or a PostgreSQL team store \
            (--db postgres://USER@HOST:PORT/DATABASE), and lets you inspect them.

            Exit codes: 0 success, 1 rejected input or failure, 2 usage error.

            Example:
              assay ingest examples/traces/email-assistant.jsonl
              assay traces list --operation chat
            """,
        version: AssayVersion.current,
        subcommands: [DemoCommand.self, IngestCommand.self, TracesCommand.self, SessionsCommand.self, FeedbackCommand.self, PromoteCommand.self, DatasetsCommand.self, ScoreCommand.self, RunCommand.self, RunsCommand.self, MergeCommand.self, ReportCommand.self, GateCommand.self, BaselineCommand.self, ServeCommand.self, BrowseCommand.self, PricesCommand.self, StoreCommand.self]
    )

    /// Runs the command, mapping usage errors to exit code 2 (ArgumentParser's default is 64).
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
