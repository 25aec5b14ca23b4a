import AssayCore
import Foundation

/// Run files: `Reports/runs/RUN.json`, what `assay merge` and reports read.
enum RunFiles {
    static func write(_ run: RunRecord, folder: String = "Reports/runs") throws -> String {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/\(run.id).json"
        try DatasetFolder.writeAtomically(try RunJSONCoding.encode(run, pretty: true) + "\n", to: path)
        return path
    }
}
