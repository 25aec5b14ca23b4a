import ArgumentParser
import AssayCore
import AssayReports
import Foundation

struct BaselineSaveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "save",
        abstract: "Write a run's per-example outcomes as a baseline file to commit.",
        discussion: "Example:\n  assay baseline save latest --to Reports/baseline.json")

    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("The run: an id, latest, or a run file.", valueName: "run")) var runName: String
    @Option(help: ArgumentHelp("The baseline file.", valueName: "file")) var to = "Reports/baseline.json"

    func run() throws {
        let db = try store.open()
        do {
            let record = try RunReports.load(runName, db: db)
            guard record.state == .finished else { throw ReportError(place: record.id, message: "the run is \(record.state.rawValue); finish it first (assay run --resume)") }
            let folder = (to as NSString).deletingLastPathComponent
            if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            try DatasetFolder.writeAtomically(Baseline.encode(record), to: to)
            print("\(to): baseline from \(record.id) (\(record.cells.count) cells)")
        } catch let error as ReportError {
            printError(error.description)
            throw ExitCode(1)
        }
    }
}
