import ArgumentParser
import AssayCore

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
