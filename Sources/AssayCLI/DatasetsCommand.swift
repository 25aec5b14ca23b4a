import ArgumentParser
import AssayCore
import Foundation

/// `assay datasets`: list, show, validate, diff, split and export the datasets in Datasets/.
struct DatasetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "datasets",
        abstract: "List, show, validate, compare, split and export the eval sets in Datasets/.",
        discussion: """
            A dataset is Datasets/NAME.jsonl: one example per line (docs/datasets.md). Its version is \
            a hash of its content; runs record it.

            Examples:
              assay datasets list
              assay datasets validate Datasets/support.jsonl
              assay datasets split support --test 0.2 --seed 7
            """,
        subcommands: [DatasetsListCommand.self, DatasetsShowCommand.self, DatasetsValidateCommand.self,
                      DatasetsDiffCommand.self, DatasetsSplitCommand.self, DatasetsExportCommand.self]
    )
}

/// Loads a dataset named on the command line, printing its problems and failing when it has any.
func loadDataset(_ nameOrPath: String, allowProblems: Bool = false) throws -> LoadedDataset {
    do {
        let file = FileManager.default.fileExists(atPath: nameOrPath) && nameOrPath.hasSuffix(".jsonl")
            ? nameOrPath : try DatasetFolder().file(for: nameOrPath).path
        let loaded = try DatasetFolder.read(file)
        if !loaded.problems.isEmpty && !allowProblems { throw DatasetError.invalid(file, loaded.problems) }
        return loaded
    } catch let error as DatasetError {
        printLines(error.description)
        throw ExitCode(1)
    }
}

struct DatasetsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the datasets with their sizes and versions.")

    func run() throws {
        let names = DatasetFolder().names()
        if names.isEmpty { print("no datasets in Datasets/ (create one with assay promote --to Datasets/NAME.jsonl)"); return }
        var rows = [["NAME", "EXAMPLES", "READY", "NEEDS EXPECTED", "VERSION", "PROBLEMS"]]
        for name in names {
            let d = try loadDataset(name, allowProblems: true)
            let ready = d.examples.filter { $0.status == .ready }.count
            rows.append([name, String(d.examples.count), String(ready), String(d.examples.count - ready), d.version, String(d.problems.count)])
        }
        print(Table.render(rows), terminator: "")
    }
}

struct DatasetsShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a dataset's examples.")

    @Argument(help: ArgumentHelp("NAME or a .jsonl path.", valueName: "dataset")) var dataset: String
    @Flag(help: "Print the examples as JSON Lines (as stored).") var json = false

    func run() throws {
        let d = try loadDataset(dataset)
        if json { print(d.text, terminator: ""); return }
        print("\(d.path): \(d.examples.count) examples, version \(d.version)")
        var rows = [["ID", "STATUS", "INPUT", "EXPECTED", "COMPONENTS", "TRACE"]]
        for e in d.examples {
            rows.append([e.id, e.status.rawValue, DisplayFormat.safe(e.input.text, limit: 40),
                         e.expected.map { DisplayFormat.safe($0.text, limit: 40) } ?? "-",
                         e.components.keys.sorted().joined(separator: ","), e.provenance?.traceID ?? "-"])
        }
        print(Table.render(rows), terminator: "")
    }
}

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
            if d.problems.isEmpty { print("\(d.path): \(d.examples.count) examples, valid, version \(d.version)") } else {
                failed = true
                printError("\(d.path): \(d.problems.count) problems")
            }
        }
        if failed { throw ExitCode(1) }
    }
}

struct DatasetsDiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "diff", abstract: "Compare two datasets example by example.")

    @Argument(help: ArgumentHelp("The first dataset (NAME or path).", valueName: "a")) var a: String
    @Argument(help: ArgumentHelp("The second dataset.", valueName: "b")) var b: String

    func run() throws {
        let d = DatasetTools.diff(try loadDataset(a).examples, try loadDataset(b).examples)
        for id in d.added { print("+ \(id)") }
        for id in d.removed { print("- \(id)") }
        for c in d.changed { print("~ \(c.id)  \(c.fields.joined(separator: ", "))") }
        print("\(d.added.count) added, \(d.removed.count) removed, \(d.changed.count) changed, \(d.same) the same")
    }
}

struct DatasetsSplitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "split", abstract: "Split a dataset into NAME-train and NAME-test, reproducibly from a seed.")

    @Argument(help: ArgumentHelp("The dataset name.", valueName: "name")) var name: String
    @Option(help: ArgumentHelp("The fraction of examples for the test set, between 0 and 1.", valueName: "fraction")) var test: Double
    @Option(help: "The seed of the shuffle.") var seed: UInt64

    func validate() throws {
        guard test > 0, test < 1 else { throw ValidationError("--test must be between 0 and 1, got \(test).") }
    }

    func run() throws {
        let d = try loadDataset(name)
        let base = (d.path as NSString).deletingPathExtension
        let (train, testSet) = DatasetTools.split(d.examples, testFraction: test, seed: seed)
        do {
            for (suffix, part) in [("train", train), ("test", testSet)] {
                let file = base + "-" + suffix + ".jsonl"
                try DatasetFolder.withLock(file) { try DatasetFolder.writeAtomically(DatasetMerge.text(part), to: file) }
                print("\(file): \(part.count) examples")
            }
        } catch let error as DatasetError {
            printError(error.description)
            throw ExitCode(1)
        }
    }
}

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

/// A plain text table with columns padded to their widest cell.
enum Table {
    static func render(_ rows: [[String]]) -> String {
        guard let header = rows.first else { return "" }
        var widths = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) } }
        return rows.map { row in
            row.enumerated().map { i, cell in i == row.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
                .joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
