import Testing
@testable import AssayCore
import AssayTestSupport
import AssayOTLP

@Suite("Ingest into a store")
struct IngestorTests {
    @Test("counts traces and spans read, new and already present; a second ingest changes nothing")
    func idempotent() throws {
        let store = InMemoryTraceStore()
        let ingestor = Ingestor(store: store)
        let first = try ingestor.ingest(.file(Fixtures.path("python-sdk.jsonl")))
        #expect(first.counts.tracesRead == 2 && first.counts.tracesNew == 2 && first.counts.tracesPresent == 0)
        #expect(first.counts.spansRead == 8 && first.counts.spansNew == 8 && first.counts.spansPresent == 0)
        let before = try store.traces(matching: TraceQuery())
        let second = try ingestor.ingest(.file(Fixtures.path("python-sdk.jsonl")))
        #expect(second.counts.tracesNew == 0 && second.counts.tracesPresent == 2)
        #expect(second.counts.spansNew == 0 && second.counts.spansPresent == 8)
        #expect(try store.traces(matching: TraceQuery()) == before)
    }

    @Test("a parent that arrives after its child links up")
    func lateParent() throws {
        let store = InMemoryTraceStore()
        let ingestor = Ingestor(store: store)
        _ = try ingestor.ingest(.bytes(name: "child", Array(TracesData.stub([.stub(id: 2, parent: 1, name: "child", start: 20)]).jsonLine.utf8)))
        #expect(try store.traces(matching: TraceQuery()).first.map { ($0.rootName, $0.rootKind) } ?? (nil, .none) == ("child", .missingParent))
        _ = try ingestor.ingest(.bytes(name: "root", Array(TracesData.stub([.stub(id: 1, name: "root", start: 10)]).jsonLine.utf8)))
        let trace = try #require(try store.trace(TraceID(high: 0, low: 1)!))
        #expect(trace.summary.rootName == "root")
        #expect(trace.summary.spanCount == 2)
        let forest = TraceTreeRenderer.forest(trace.spans)
        #expect(forest.map(\.depth) == [0, 1])
        #expect(forest.map(\.orphan) == [false, false])
    }

    @Test("streams many records through small batches with the same result as one batch")
    func batching() throws {
        let lines = (1...300).map { TracesData.stub([.stub(trace: UInt64($0), id: 1, name: "t\($0)", start: UInt64($0))]).jsonLine }.joined()
        let small = InMemoryTraceStore()
        var options = Ingestor.Options()
        options.batchSpans = 7
        options.queuedBatches = 1
        let result = try Ingestor(store: small, options: options).ingest(.bytes(name: "many", Array(lines.utf8)))
        #expect(result.counts.spansNew == 300 && result.counts.tracesNew == 300)
        #expect(try small.traces(matching: TraceQuery(limit: 1000)).count == 300)
        #expect(try small.traces(matching: TraceQuery(limit: 3)).map(\.rootName) == ["t300", "t299", "t298"])
    }

    @Test("reports a missing file without writing anything")
    func missingFile() {
        #expect(throws: IngestError.self) { try Ingestor(store: InMemoryTraceStore()).ingest(.file("/nonexistent/spans.jsonl")) }
    }
}
