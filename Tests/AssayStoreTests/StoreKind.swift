import Foundation
import Testing
import AssayCore
import AssayOTLP
import AssaySQLite
import AssayPostgres
import AssayTestSupport

/// The stores every conformance case runs on: the in-memory reference store, SQLite in a new folder,
/// PostgreSQL in a new database of the test server (`PostgresFixture`).
enum StoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case memory, sqlite, postgres

    var testDescription: String { rawValue }

    /// A new, empty store.
    func make() throws -> any AssayStore {
        switch self {
        case .memory:
            return InMemoryTraceStore()
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("assay-store-\(UUID().uuidString)")
            return try SQLiteTraceStore(path: folder.appendingPathComponent("assay.sqlite").path)
        case .postgres:
            return try PostgresTraceStore(url: PostgresURL(PostgresFixture.freshDatabase()))
        }
    }

    /// A second handle on the same store, as a second collector or machine opens it.
    func reopen(_ store: any AssayStore) throws -> any AssayStore {
        switch self {
        case .memory: return store
        case .sqlite: return try SQLiteTraceStore(path: store.location)
        case .postgres: return try PostgresTraceStore(url: PostgresURL(PostgresFixture.url(try PostgresFixture.serverURL(),
                                                                                          database: String(store.location.split(separator: "/").last!))))
        }
    }
}
