import ArgumentParser
import AssayCore
import Foundation

/// `assay merge`: joins shard runs into one run.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Join the runs of shards (run files or run ids) into one run in the store.",
        discussion: """
            The shards must come from the same suite and datasets, and no cell may appear twice. \
            Example: assay merge shard-1/Reports/runs/*.json shard-2/Reports/runs/*.json
            """
    )

    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("Run files (Reports/runs/RUN.json) or run ids.", valueName: "run")) var runs: [String]

    func validate() throws { if runs.count < 1 { throw ValidationError("Give the shard runs to merge.") } }

    func run() throws {
        let db = try store.open()
        var parts: [RunRecord] = []
        for r in runs {
            if FileManager.default.fileExists(atPath: r) {
                guard let data = FileManager.default.contents(atPath: r) else { throw ValidationError("cannot read \(DisplayFormat.safe(r))") }
                do { parts.append(try RunJSONCoding.decode(RunRecord.self, String(decoding: data, as: UTF8.self))) } catch {
                    printError("\(DisplayFormat.safe(r)): not a run file: \(error)")
                    throw ExitCode(1)
                }
            } else if let run = try db.run(r) {
                parts.append(run)
            } else {
                printError("\(DisplayFormat.safe(r)): no such run file or run id")
                throw ExitCode(1)
            }
        }
        let merged: RunRecord
        do { merged = try RunMerge.merge(parts, id: "run-merged-" + String(SHA256.hex(parts.map(\.id).sorted().joined(separator: ",")).prefix(12))) } catch {
            printError("\(error)")
            throw ExitCode(1)
        }
        if try db.run(merged.id) == nil { try db.createRun(merged) }
        let file = try RunFiles.write(merged)
        print("merged \(parts.count) runs into \(merged.id): \(merged.cells.count) of \(merged.plannedCells) cells; written to \(file)")
    }
}
