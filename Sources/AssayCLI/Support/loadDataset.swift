import ArgumentParser
import AssayCore
import Foundation

/// Loads a dataset named on the command line, printing its problems and failing when it has any.
func loadDataset(_ nameOrPath: String, allowProblems: Bool = false) throws -> LoadedDataset {
    do {
        let file = FileManager.default.fileExists(atPath: nameOrPath) && nameOrPath.hasSuffix(".jsonl")
            ? nameOrPath : try DatasetFolder().file(for: nameOrPath).path
        let loaded = try DatasetFolder.read(file)
        if !loaded.problems.isEmpty && !allowProblems {
            printLines(AssayError.input(loaded.problems).description)
            printError("\(file): \(counted(loaded.problems.count, "problem"))")
            throw ExitCode(1)
        }
        return loaded
    } catch let error as AssayError {
        printLines(error.description)
        throw ExitCode(1)
    }
}
