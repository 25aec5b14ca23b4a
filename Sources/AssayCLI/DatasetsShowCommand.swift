import ArgumentParser
import AssayCore

struct DatasetsShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a dataset's examples.")

    @Argument(help: ArgumentHelp("NAME or a .jsonl path.", valueName: "dataset")) var dataset: String
    @Flag(help: "Print the examples as JSON Lines (as stored).") var json = false

    func run() throws {
        let d = try loadDataset(dataset)
        if json { print(d.text, terminator: ""); return }
        print("\(d.path): \(counted(d.examples.count, "example")), version \(d.version)")
        // A multi-turn example shows its first message under INPUT, its turns under TURNS, and the
        // components of any of its turns.
        var rows = [["ID", "STATUS", "TURNS", "INPUT", "EXPECTED", "COMPONENTS", "TRACE"]]
        for e in d.examples {
            let components = Set(e.components.keys).union((e.turns ?? []).flatMap(\.components.keys)).sorted()
            rows.append([e.id, e.status.rawValue, e.turns.map { String($0.count) } ?? "-", DisplayFormat.safe(e.input.text, limit: 40),
                         e.expected.map { DisplayFormat.safe($0.text, limit: 40) } ?? "-",
                         components.joined(separator: ","), e.provenance?.traceID ?? "-"])
        }
        print(Table.render(rows), terminator: "")
    }
}
