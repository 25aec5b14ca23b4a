import ArgumentParser
import AssayCore
import AssayPostgres
import AssaySQLite
import Foundation

/// The `--db` option shared by every command that uses the store: a SQLite file (the default) or a
/// PostgreSQL team store (docs/team-store.md).
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The store: a SQLite file, or postgres://USER@HOST:PORT/DATABASE for a team store (default: $ASSAY_DB, else .assay/assay.sqlite under the working directory).",
        valueName: "path-or-url"))
    var db: String?

    init() {}

    /// Options naming this store, as `--db` would.
    init(db: String) { self.db = db }

    /// The store's file path or URL after applying the environment variable and the default.
    var path: String {
        if let db, !db.isEmpty { return db }
        if let env = ProcessInfo.processInfo.environment["ASSAY_DB"], !env.isEmpty { return env }
        return ".assay/assay.sqlite"
    }

    /// The store's place for messages: the file, or the URL without its password.
    var location: String { (try? PostgresURL(path).description) ?? PostgresURL.redacted(path) }

    /// Opens the store, creating (and migrating) it when missing.
    func open() throws -> any AssayStore {
        let path = path
        guard PostgresURL.isPostgres(path) else { return try SQLiteTraceStore(path: path) }
        return try PostgresTraceStore(url: PostgresURL(path))
    }
}
