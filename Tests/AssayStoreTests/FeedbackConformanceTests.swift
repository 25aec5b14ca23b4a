import Foundation
import Testing
import AssayCore
import AssayOTLP
import AssayTestSupport

/// Feedback cases every store passes, checked against the reference in-memory store.
@Suite("Feedback in the stores")
struct FeedbackConformanceTests {
    func stores(_ kind: StoreKind) throws -> (any AssayStore, InMemoryTraceStore) {
        let sqlite = try kind.make()
        let memory = InMemoryTraceStore()
        for store in [sqlite, memory as any TraceStore] {
            var builder = IngestBatchBuilder()
            for t in 1...3 as ClosedRange<UInt64> {
                builder.add(TracesData(resourceSpans: [ResourceSpans(scopeSpans: [ScopeSpans(spans: [
                    Span(traceID: TraceID(high: 0, low: t)!, spanID: SpanID(t)!, name: "root", startTimeUnixNano: t, endTimeUnixNano: t + 1),
                ])])]))
            }
            _ = try store.write { try $0.write(builder.batch) }
        }
        return (sqlite, memory)
    }

    func id(_ n: UInt64) -> TraceID { TraceID(high: 0, low: n)! }

    @Test("filters on feedback exactly as the reference store does, current reviews only", arguments: StoreKind.allCases)
    func matchesReference(kind: StoreKind) throws {
        let (sqlite, memory) = try stores(kind)
        let items = [
            Feedback(traceID: id(1), rating: .down, needsReview: true, author: "ana", source: .human, timeUnixNano: 10),
            Feedback(traceID: id(1), rating: .up, author: "ana", source: .human, timeUnixNano: 20),
            Feedback(traceID: id(2), spanID: SpanID(2)!, scores: ["acc": 0.2], labels: ["intent": "refund"], author: "judge", source: .model, timeUnixNano: 5),
            Feedback(traceID: id(3), rating: .down, correction: .json(#"{"a":1}"#), comment: "no", needsReview: true, author: "ben", source: .human, timeUnixNano: 7),
            Feedback(traceID: id(3), scores: ["acc": 0.9], author: "judge", source: .model, timeUnixNano: 1),
        ]
        for store in [sqlite, memory as any TraceStore] { #expect(try store.add(items) == FeedbackCounts(added: 5)) }
        #expect(try sqlite.add(items) == FeedbackCounts(present: 5))
        var filters: [FeedbackFilter] = []
        for edit: (inout FeedbackFilter) -> Void in [
            { $0.flagged = true }, { $0.ratedDown = true }, { $0.ratedUp = true }, { $0.hasCorrection = true }, { $0.hasFeedback = true },
            { $0.scoreBelow = .init(name: "acc", value: 0.5) }, { $0.scoreBelow = .init(name: "acc", value: 1) },
            { $0.label = .init(name: "intent", value: "refund") }, { $0.ratedDown = true; $0.hasCorrection = true },
        ] {
            var f = FeedbackFilter()
            edit(&f)
            filters.append(f)
        }
        for f in filters {
            var q = TraceQuery()
            q.feedback = f
            #expect(try sqlite.traces(matching: q).map(\.traceID) == (try memory.traces(matching: q).map(\.traceID)), "\(f)")
        }
        let read = try sqlite.feedback(for: [id(1), id(3)])
        #expect(read[id(1)]?.map(\.isCurrent) == [false, true])
        #expect(read[id(3)]?.first { $0.feedback.author == "ben" }?.feedback == items[3])
    }

    @Test("refuses feedback on unknown traces and spans, writing none of the batch", arguments: StoreKind.allCases)
    func refusal(kind: StoreKind) throws {
        let (sqlite, _) = try stores(kind)
        let items = [Feedback(traceID: id(1), rating: .up, author: "a", source: .human, timeUnixNano: 1),
                     Feedback(traceID: id(9), rating: .up, author: "a", source: .human, timeUnixNano: 1)]
        #expect(throws: AssayError.self) { try sqlite.add(items) }
        #expect(try sqlite.feedback(for: [id(1)]).isEmpty)
    }
}
