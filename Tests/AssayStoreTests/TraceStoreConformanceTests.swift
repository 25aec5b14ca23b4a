import Foundation
import Testing
import AssayCore
import AssayOTLP
import AssayTestSupport

/// The trace store cases every store passes, SQLite and PostgreSQL alike, checked against the
/// reference in-memory store.
@Suite("Trace stores: ingest, rollups and lists")
struct TraceStoreConformanceTests {
    static let allFixtures = ["python-sdk.jsonl", "js-sdk.json", "collector-enum-names.json", "old-envelope.json",
                              "openinference.json", "openllmetry.json", "genai-structured.json"]

    func ingestAll(_ store: any TraceStore) throws {
        for name in Self.allFixtures {
            let result = try Ingestor(store: store).ingest(.file(Fixtures.path(name)))
            #expect(result.problems.isEmpty, "\(name): \(result.problems)")
        }
    }

    @Test("rolls traces up exactly as the reference in-memory store does", arguments: StoreKind.allCases)
    func matchesReference(kind: StoreKind) throws {
        let sqlite = try kind.make(), memory = InMemoryTraceStore()
        try ingestAll(sqlite)
        try ingestAll(memory)
        let a = try sqlite.traces(matching: TraceQuery(limit: 100)), b = try memory.traces(matching: TraceQuery(limit: 100))
        #expect(a.count == 9)
        #expect(a == b)
    }

    @Test("gives back every span exactly as read: resource, scope and all", arguments: StoreKind.allCases)
    func lossless(kind: StoreKind) throws {
        let store = try kind.make()
        try ingestAll(store)
        for name in Self.allFixtures {
            var reader = JSONRecordReader(bytes: try Fixtures.bytes(name))
            while let record = try reader.next(OTLPJSONDecoder.decodeRecord) {
                for rs in record.value.data.resourceSpans {
                    for ss in rs.scopeSpans {
                        for span in ss.spans {
                            let trace = try #require(try store.trace(span.traceID))
                            let stored = try #require(trace.spans.first { $0.span.spanID == span.spanID })
                            #expect(stored.span.name == span.name)
                            #expect(stored.span.attributes.count == span.attributes.count)
                            #expect(OTLPProtoEncoder.encode(stored.span) == OTLPProtoEncoder.encode(span), "\(name) \(span.name)")
                            #expect(stored.resource == rs.resource && stored.resourceSchemaURL == rs.schemaURL)
                            #expect(stored.scope == ss.scope && stored.scopeSchemaURL == ss.schemaURL)
                        }
                    }
                }
            }
        }
    }

    @Test("ingesting the same data twice changes nothing", arguments: StoreKind.allCases)
    func idempotent(kind: StoreKind) throws {
        let store = try kind.make()
        try ingestAll(store)
        let before = try store.traces(matching: TraceQuery(limit: 100))
        let again = try Ingestor(store: store).ingest(.file(Fixtures.path("python-sdk.jsonl")))
        #expect(again.counts.spansNew == 0 && again.counts.spansPresent == 8 && again.counts.tracesPresent == 2 && again.counts.tracesNew == 0)
        #expect(try store.traces(matching: TraceQuery(limit: 100)) == before)
    }

    @Test("a root that arrives in a later ingest becomes the trace's root", arguments: StoreKind.allCases)
    func lateRoot(kind: StoreKind) throws {
        let store = try kind.make()
        let trace = TraceID(high: 7, low: 7)!
        func line(_ spans: [Span]) -> [UInt8] {
            OTLPJSONEncoder.encode(TracesData(resourceSpans: [ResourceSpans(scopeSpans: [ScopeSpans(spans: spans)])]))
        }
        let child = Span(traceID: trace, spanID: SpanID(2)!, parentSpanID: SpanID(1)!, name: "child", startTimeUnixNano: 20, endTimeUnixNano: 30,
                         attributes: [Attribute("gen_ai.request.model", .string("m")), Attribute("gen_ai.usage.input_tokens", .int(5))])
        let root = Span(traceID: trace, spanID: SpanID(1)!, name: "root", startTimeUnixNano: 10, endTimeUnixNano: 40, status: SpanStatus(code: .error))
        _ = try Ingestor(store: store).ingest(.bytes(name: "a", line([child])))
        // Until the root arrives, the topmost span stands in, marked as such.
        let early = try #require(try store.trace(trace)).summary
        #expect(early.rootName == "child" && early.rootKind == .missingParent)
        #expect(try store.traces(matching: TraceQuery(name: "child")).map(\.traceID) == [trace])
        let second = try Ingestor(store: store).ingest(.bytes(name: "b", line([root])))
        #expect(second.counts.tracesPresent == 1 && second.counts.spansNew == 1)
        let summary = try #require(try store.trace(trace)).summary
        #expect(summary.rootName == "root" && summary.rootSpanID == SpanID(1) && summary.rootKind == .root)
        #expect(summary.spanCount == 2 && summary.errorCount == 1 && summary.inputTokens == 5)
        #expect(summary.startTimeUnixNano == 10 && summary.endTimeUnixNano == 40)
        #expect(summary.models == ["m"])
    }

    @Test("filters traces by time, name, status, model, operation and session", arguments: StoreKind.allCases)
    func filters(kind: StoreKind) throws {
        let store = try kind.make()
        try ingestAll(store)
        let all = try store.traces(matching: TraceQuery(limit: 100))
        #expect(all.map(\.startTimeUnixNano) == all.map(\.startTimeUnixNano).sorted(by: >))
        for query in [
            TraceQuery(name: "invoke_agent email_assistant"), TraceQuery(name: "invoke_agent *"), TraceQuery(name: "*triage*"),
            TraceQuery(status: .error), TraceQuery(status: .ok), TraceQuery(model: "text-embedding-3-small"),
            TraceQuery(operation: .retrieval), TraceQuery(operation: .embeddings), TraceQuery(sessionID: "sess_2f8c1e"),
            TraceQuery(startFrom: all[3].startTimeUnixNano), TraceQuery(startBefore: all[3].startTimeUnixNano), TraceQuery(limit: 2),
        ] {
            let expected = Array(all.filter(query.matches).prefix(query.limit))
            #expect(try store.traces(matching: query) == expected, "\(query)")
            #expect(!expected.isEmpty, "\(query) should match something in the fixtures")
        }
    }

    @Test("a rejected file leaves the store as it was", arguments: StoreKind.allCases)
    func atomicRejection(kind: StoreKind) throws {
        let store = try kind.make()
        let result = try Ingestor(store: store).ingest(.file(Fixtures.path("invalid/jsonl-one-bad-line.jsonl")))
        #expect(result.rejectedWhole)
        #expect(try store.traces(matching: TraceQuery()).isEmpty)
    }

    @Test("keeps NUL characters in the span; PostgreSQL's text columns show them as U+FFFD", arguments: StoreKind.allCases)
    func nul(kind: StoreKind) throws {
        let store = try kind.make()
        _ = try Ingestor(store: store).ingest(.file(Fixtures.path("invalid/nul-in-string.json")))
        let summary = try #require(try store.traces(matching: TraceQuery()).first)
        #expect(summary.rootName?.contains(kind == .postgres ? "\u{FFFD}" : "\u{0}") == true)
        let trace = try #require(try store.trace(summary.traceID))
        #expect(trace.spans.contains { $0.span.name.contains("\u{0}") })
    }
}
