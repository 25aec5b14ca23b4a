import ArgumentParser
import AssayCore
import Foundation

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
                print("\(file): \(counted(part.count, "example"))")
            }
        } catch let error as AssayError {
            printError(error.description)
            throw ExitCode(1)
        }
    }
}
