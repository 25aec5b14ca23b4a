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
        var rows = [["ID", "STATUS", "INPUT", "EXPECTED", "COMPONENTS", "TRACE"]]
        for e in d.examples {
            rows.append([e.id, e.status.rawValue, DisplayFormat.safe(e.input.text, limit: 40),
                         e.expected.map { DisplayFormat.safe($0.text, limit: 40) } ?? "-",
                         e.components.keys.sorted().joined(separator: ","), e.provenance?.traceID ?? "-"])
        }
        print(Table.render(rows), terminator: "")
    }
}
