import ArgumentParser
import AssayCore
import AssaySQLite
import Foundation

/// The `--db` option shared by every command that uses the store.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The SQLite store file (default: $ASSAY_DB, else .assay/assay.sqlite under the working directory).",
        valueName: "path"))
    var db: String?

    /// The store path after applying the environment variable and the default.
    var path: String {
        if let db, !db.isEmpty { return db }
        if let env = ProcessInfo.processInfo.environment["ASSAY_DB"], !env.isEmpty { return env }
        return ".assay/assay.sqlite"
    }

    /// Opens the store, creating it when missing.
    func open() throws -> SQLiteTraceStore { try SQLiteTraceStore(path: path) }
}
