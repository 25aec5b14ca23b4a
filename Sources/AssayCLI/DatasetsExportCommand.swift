import ArgumentParser
import AssayCore

struct DatasetsExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Export a dataset as CSV.")

    @Argument(help: ArgumentHelp("The dataset (NAME or path).", valueName: "dataset")) var dataset: String
    @Flag(help: "CSV (the only format for now; required so that scripts say what they expect).") var csv = false
    @Option(help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file")) var out: String?

    func validate() throws { if !csv { throw ValidationError("Choose a format: --csv.") } }

    func run() throws {
        let text = DatasetTools.csv(try loadDataset(dataset).examples)
        if let out {
            do { try DatasetFolder.writeAtomically(text, to: out) } catch { printError(error.description); throw ExitCode(1) }
            print("wrote \(out)")
        } else {
            print(text, terminator: "")
        }
    }
}
