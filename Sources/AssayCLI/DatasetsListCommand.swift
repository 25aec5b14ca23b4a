import ArgumentParser
import AssayCore

struct DatasetsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the datasets with their sizes and versions.")

    func run() throws {
        let names = DatasetFolder().names()
        if names.isEmpty { print("no datasets in Datasets/ (create one with assay promote --to Datasets/NAME.jsonl)"); return }
        var rows = [["NAME", "EXAMPLES", "READY", "NEEDS EXPECTED", "VERSION", "PROBLEMS"]]
        for name in names {
            let d = try loadDataset(name, allowProblems: true)
            // An example is ready only when it and every component case have their expected value.
            let ready = d.examples.filter { !$0.needsAnyExpected }.count
            rows.append([name, String(d.examples.count), String(ready), String(d.examples.count - ready), d.version, String(d.problems.count)])
        }
        print(Table.render(rows), terminator: "")
    }
}
