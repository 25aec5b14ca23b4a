import ArgumentParser

/// `assay baseline save RUN --to Reports/baseline.json`.
struct BaselineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baseline", abstract: "Save a run as the baseline the gate compares with.",
        subcommands: [BaselineSaveCommand.self])
}
