import Foundation
import Testing
import AssayCore
import AssayOTLP
import AssayTestSupport

/// Runs and cells, the same on every store: a run's header and cells read back, a cell committed
/// twice is kept once, a resumed run (or a second shard on another machine) adds to the same run.
@Suite("Run stores: runs, cells and resume")
struct RunStoreConformanceTests {
    static let tiers = [TierInfo(name: "low", model: "m-low", inputPricePerMillion: 0.1, outputPricePerMillion: 0.2)]

    static func run(_ id: String, planned: Int) -> RunRecord {
        RunRecord(id: id, suitePath: "assay.yaml", suiteHash: "h", suiteText: "", gitRevision: "abc", datasetVersions: [:],
                  assayVersion: "0", tiers: tiers, components: ["reply"], thresholds: [:], shard: nil, startedAtUnixNano: 1_000,
                  state: .running, plannedCells: planned, cells: [])
    }

    static func cell(_ example: String, condition: String? = nil, trace: UInt64? = nil) -> CellResult {
        CellResult(key: CellKey(example: example, tier: "low", repeatIndex: 0, condition: condition), status: .ok, error: nil,
                   traceID: trace.flatMap { TraceID(high: 9, low: $0) }, output: "answer \(example)",
                   components: [], inputTokens: 10, outputTokens: 5, costUSD: 0.001, latencyNanos: 1_000_000, attempts: 1,
                   finishedAtUnixNano: 2_000)
    }

    @Test("a run's header and cells read back in commit order; a cell committed twice is kept once", arguments: StoreKind.allCases)
    func cells(kind: StoreKind) throws {
        let store = try kind.make()
        try store.createRun(Self.run("r1", planned: 3))
        try store.addCell(Self.cell("e1"), run: "r1")
        try store.addCell(Self.cell("e2", condition: "rate_limited"), run: "r1")
        try store.addCell(Self.cell("e1"), run: "r1")
        let read = try #require(try store.run("r1"))
        #expect(read.cells.map(\.key.description) == [Self.cell("e1").key.description, Self.cell("e2", condition: "rate_limited").key.description])
        #expect(read.cells.first?.output == "answer e1" && read.plannedCells == 3 && read.gitRevision == "abc")
        #expect(try store.run("none") == nil)
        let listed = try #require(try store.runs(limit: 10).first)
        #expect(listed.id == "r1" && listed.cells == 2 && listed.plannedCells == 3 && listed.state == .running)
    }

    @Test("a cell and its trace's spans commit together", arguments: StoreKind.allCases)
    func cellWithSpans(kind: StoreKind) throws {
        let store = try kind.make()
        try store.createRun(Self.run("r2", planned: 1))
        var builder = IngestBatchBuilder()
        let trace = TraceID(high: 9, low: 1)!
        builder.add(TracesData(resourceSpans: [ResourceSpans(scopeSpans: [ScopeSpans(spans: [
            Span(traceID: trace, spanID: SpanID(1)!, name: TraceOrigin.runRootPrefix + "e1/low", startTimeUnixNano: 5, endTimeUnixNano: 9),
        ])])]))
        try store.addCell(Self.cell("e1", trace: 1), run: "r2", spans: builder.batch)
        #expect(try store.trace(trace)?.summary.spanCount == 1)
        #expect(try store.traces(matching: { var q = TraceQuery(); q.origin = .runs; return q }()).map(\.traceID) == [trace])
        #expect(try store.traces(matching: { var q = TraceQuery(); q.origin = .production; return q }()).isEmpty)
        #expect(try store.run("r2")?.cells.first?.traceID == trace)
    }

    @Test("a resumed run, opened again as another machine opens it, adds its cells to the same run and finishes it", arguments: StoreKind.allCases)
    func resume(kind: StoreKind) throws {
        let first = try kind.make()
        try first.createRun(Self.run("r3", planned: 2))
        try first.addCell(Self.cell("e1"), run: "r3")
        let second = try kind.reopen(first)
        let resumed = try #require(try second.run("r3"))
        #expect(resumed.cells.map(\.key.example) == ["e1"] && resumed.state == .running)
        try second.addCell(Self.cell("e2"), run: "r3")
        try second.setRunState(.finished, run: "r3")
        let done = try #require(try first.run("r3"))
        #expect(done.state == .finished && done.cells.map(\.key.example) == ["e1", "e2"])
    }
}
