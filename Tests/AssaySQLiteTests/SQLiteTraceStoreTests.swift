import Foundation
import Testing
import AssayCore
import AssayOTLP
@testable import AssaySQLite

@Suite("The SQLite trace store")
struct SQLiteTraceStoreTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("AssayTestSupport/Fixtures/otlp")
    static let allFixtures = ["python-sdk.jsonl", "js-sdk.json", "collector-enum-names.json", "old-envelope.json",
                              "openinference.json", "openllmetry.json", "genai-structured.json"]

    /// A store in a new temporary folder.
    func makeStore() throws -> SQLiteTraceStore {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("assay-tests-\(UUID().uuidString)")
        return try SQLiteTraceStore(path: folder.appendingPathComponent("nested/assay.sqlite").path)
    }

    func ingestAll(_ store: any TraceStore) throws {
        for name in Self.allFixtures {
            let result = try Ingestor(store: store).ingest(.file(Self.fixtures.appendingPathComponent(name).path))
            #expect(result.problems.isEmpty, "\(name): \(result.problems)")
        }
    }

    @Test("creates its folder, migrates, and reopens an existing file")
    func reopen() throws {
        let store = try makeStore()
        try ingestAll(store)
        let again = try SQLiteTraceStore(path: store.path)
        #expect(try again.traces(matching: TraceQuery(limit: 100)).count == (try store.traces(matching: TraceQuery(limit: 100))).count)
    }

    @Test("uses its indexes for the list queries")
    func queryPlans() throws {
        let store = try makeStore()
        let plans = try store.explainListQueries()
        for (name, plan) in plans {
            #expect(!plan.contains("SCAN t") || plan.contains("USING INDEX"), "\(name): \(plan)")
        }
    }
}
