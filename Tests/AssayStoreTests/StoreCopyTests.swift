import Foundation
import Testing
import AssayCore
import AssayOTLP
import AssayTestSupport

/// `assay store copy`: SQLite to PostgreSQL and back, everything kept, nothing added twice.
@Suite("Copying between stores")
struct StoreCopyTests {
    /// A store holding the fixtures' traces, feedback, an online evaluation and a run.
    static func filled(_ kind: StoreKind) throws -> any AssayStore {
        let store = try kind.make()
        for name in TraceStoreConformanceTests.allFixtures { _ = try Ingestor(store: store).ingest(.file(Fixtures.path(name))) }
        let ids = try store.traces(matching: TraceQuery(limit: 100)).map(\.traceID)
        try store.add([
            Feedback(traceID: ids[0], rating: .down, needsReview: true, author: "ana", source: .human, timeUnixNano: 10),
            Feedback(traceID: ids[0], rating: .up, author: "ana", source: .human, timeUnixNano: 20),
            Feedback(traceID: ids[1], scores: ["acc": 0.25], labels: ["reply": "fail"], author: "score:reply", source: .online, timeUnixNano: 5),
        ])
        try store.write { try $0.recordEvaluation([ids[1]: .scored], at: 30) }
        var run = RunStoreConformanceTests.run("r-copy", planned: 2)
        run.state = .finished
        try store.createRun(run)
        try store.addCell(RunStoreConformanceTests.cell("e1"), run: "r-copy")
        try store.addCell(RunStoreConformanceTests.cell("e2"), run: "r-copy")
        return store
    }

    static func snapshot(_ store: any AssayStore) throws -> [String] {
        let traces = try store.traces(matching: TraceQuery(limit: 1000))
        let feedback = try store.feedback(for: traces.map(\.traceID))
        var lines = traces.map { "\($0)" }
        for t in traces {
            lines.append("feedback \(t.traceID): \((feedback[t.traceID] ?? []).map { "\($0.feedback.id) \($0.isCurrent)" })")
            lines.append("evaluation \(t.traceID): \(String(describing: try store.evaluation(of: t.traceID)))")
            let spans = try #require(try store.trace(t.traceID)).spans
            lines.append("spans \(t.traceID): \(spans.map { OTLPProtoEncoder.encode($0.span) })")
        }
        let run = try #require(try store.run("r-copy"))
        lines.append("run \(run.state) \(run.cells.map(\.key.description)) \(run.cells.map(\.output))")
        return lines
    }

    @Test("SQLite to PostgreSQL and back keeps every trace, span, feedback item, evaluation and run; a second copy adds nothing")
    func roundTrip() throws {
        let sqlite = try Self.filled(.sqlite)
        let postgres = try StoreKind.postgres.make()
        let first = try StoreCopy(from: sqlite, to: postgres).run()
        #expect(first.traces == 9 && first.feedbackNew == 3 && first.runsNew == 1 && first.cellsNew == 2)
        #expect(try Self.snapshot(postgres) == Self.snapshot(sqlite))
        let again = try StoreCopy(from: sqlite, to: postgres).run()
        #expect(again.spansNew == 0 && again.feedbackNew == 0 && again.runsNew == 0 && again.cellsNew == 0)
        #expect(try Self.snapshot(postgres) == Self.snapshot(sqlite))
        let back = try StoreKind.sqlite.make()
        _ = try StoreCopy(from: postgres, to: back).run()
        #expect(try Self.snapshot(back) == Self.snapshot(sqlite))
    }

    @Test("a copy into a store that has part of a run adds the missing cells and its state")
    func partialRun() throws {
        let source = try Self.filled(.postgres)
        let target = try StoreKind.sqlite.make()
        var run = RunStoreConformanceTests.run("r-copy", planned: 2)
        run.cells = [RunStoreConformanceTests.cell("e1")]
        try target.createRun(run)
        let counts = try StoreCopy(from: source, to: target).run()
        #expect(counts.runsNew == 0 && counts.cellsNew == 1)
        let copied = try #require(try target.run("r-copy"))
        #expect(copied.state == .finished && copied.cells.map(\.key.example) == ["e1", "e2"])
    }
}
