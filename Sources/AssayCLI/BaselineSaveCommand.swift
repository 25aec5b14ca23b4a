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
    @Flag(help: "Save even when every cell of the run failed (such a baseline gates nothing).") var force = false

    func run() throws {
        let db = try store.open()
        do {
            let record = try RunReports.load(runName, db: db)
            guard record.state == .finished else { throw ReportError(place: record.id, message: "the run is \(record.state.rawValue); finish it first (assay run --resume)") }
            if !force, !record.cells.isEmpty, record.cells.allSatisfy({ $0.status != .ok }) {
                throw ReportError(place: record.id, message: "every one of its \(counted(record.cells.count, "cell")) failed, so it is no baseline to compare with; fix the agent and run again, or save it anyway with --force")
            }
            let folder = (to as NSString).deletingLastPathComponent
            if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            try DatasetFolder.writeAtomically(Baseline.encode(record), to: to)
            print("\(to): baseline from \(record.id) (\(counted(record.cells.count, "cell")))")
        } catch let error as ReportError {
            printError(error.description)
            throw ExitCode(1)
        }
    }
}
