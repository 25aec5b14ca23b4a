import ArgumentParser
import AssayCore

/// `assay runs`: the runs in the store.
struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "runs", abstract: "List runs, newest first.")

    @OptionGroup var store: StoreOptions
    @Option(help: "At most this many runs.") var limit = 20

    func run() throws {
        let runs = try store.open().runs(limit: limit)
        if runs.isEmpty { print("no runs (start one with assay run)"); return }
        var rows = [["RUN", "STATE", "STARTED", "CELLS", "SUITE"]]
        for r in runs { rows.append([r.id, r.state.rawValue, r.startedAt, "\(r.cells)/\(r.plannedCells)", DisplayFormat.safe(r.suitePath, limit: 60)]) }
        print(Table.render(rows), terminator: "")
    }
}
