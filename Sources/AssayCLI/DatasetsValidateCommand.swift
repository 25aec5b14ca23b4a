import ArgumentParser
import AssayCore

struct DatasetsValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate", abstract: "Check dataset files; print every problem as file:line: problem (exit 1 if any).")

    @Argument(help: ArgumentHelp("Dataset files or names.", valueName: "file")) var files: [String]

    func validate() throws { if files.isEmpty { throw ValidationError("Give at least one dataset file.") } }

    func run() throws {
        var failed = false
        for f in files {
            let d = try loadDataset(f, allowProblems: true)
            for p in d.problems { printError(DisplayFormat.safe(p.description, limit: 2000)) }
            let duplicates = DatasetTools.duplicateInputs(d.examples)
            for dup in duplicates {
                printError("\(d.path): example \(DisplayFormat.safe(dup.id, limit: 100)) has the same input as example \(DisplayFormat.safe(dup.sameAs, limit: 100)); keep one")
            }
            if !duplicates.isEmpty && d.problems.isEmpty {
                failed = true
                printError("\(d.path): \(counted(duplicates.count, "duplicate input"))")
            } else if d.problems.isEmpty { print("\(d.path): \(counted(d.examples.count, "example")), valid, version \(d.version)") } else {
                failed = true
                printError("\(d.path): \(counted(d.problems.count, "problem"))")
            }
        }
        if failed { throw ExitCode(1) }
    }
}
