import Foundation
import Testing
import AssayCore
import AssayOTLP
import AssayTestSupport
import Synchronization

/// Several writers on one store, as several collectors on one database: a trace whose spans arrive at
/// different writers, in any order and at once, rolls up as if one writer had seen them all.
@Suite("Stores with several writers at once")
struct ConcurrentWriterTests {
    /// A trace of a root and `children` children (each with tokens), some with a missing parent chain.
    static func spans(trace: UInt64, children: Int) -> [Span] {
        let id = TraceID(high: 5, low: trace)!, t0 = trace * 10_000
        var spans = [Span(traceID: id, spanID: SpanID(1)!, parentSpanID: SpanID(999)!, flags: 0x300, name: "POST /reply",
                          startTimeUnixNano: t0 + 100, endTimeUnixNano: t0 + 900)]
        for c in 0..<children {
            spans.append(Span(traceID: id, spanID: SpanID(UInt64(10 + c))!, parentSpanID: SpanID(1)!, name: "chat m",
                              startTimeUnixNano: t0 + UInt64(200 + c), endTimeUnixNano: t0 + UInt64(300 + c),
                              attributes: [Attribute("gen_ai.operation.name", .string("chat")), Attribute("gen_ai.request.model", .string("m\(c % 3)")),
                                           Attribute("gen_ai.usage.input_tokens", .int(Int64(c))), Attribute("gen_ai.usage.output_tokens", .int(1))],
                              status: SpanStatus(code: c % 7 == 0 ? .error : .unset)))
        }
        return spans
    }

    static func batch(_ spans: [Span]) -> IngestBatch {
        var builder = IngestBatchBuilder()
        builder.add(TracesData(resourceSpans: [ResourceSpans(scopeSpans: [ScopeSpans(spans: spans)])]))
        return builder.batch
    }

    @Test("a trace split across two writers, sent at once and twice over, rolls up exactly as one writer's", arguments: StoreKind.allCases)
    func splitTrace(kind: StoreKind) throws {
        let a = try kind.make(), b = try kind.reopen(a)
        let memory = InMemoryTraceStore()
        let traces: [UInt64] = Array(1...12)
        var all: [Span] = []
        for t in traces { all += Self.spans(trace: t, children: 30) }
        _ = try memory.write { try $0.write(Self.batch(all)) }
        // Each writer gets every other span, in its own order, and some spans go to both.
        let forA = all.enumerated().filter { $0.offset % 2 == 0 || $0.offset % 5 == 0 }.map(\.element)
        let forB = all.enumerated().filter { $0.offset % 2 == 1 || $0.offset % 5 == 0 }.map(\.element).reversed()
        let chunksA = stride(from: 0, to: forA.count, by: 17).map { Array(forA[$0..<min($0 + 17, forA.count)]) }
        let chunksB = stride(from: 0, to: forB.count, by: 23).map { Array(Array(forB)[$0..<min($0 + 23, forB.count)]) }
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            let (store, chunks) = i == 0 ? (a, chunksA) : (b, chunksB)
            for chunk in chunks {
                do { _ = try store.write { try $0.write(Self.batch(chunk)) } } catch { failures.withLock { $0.append("\(error)") } }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty, "\(failures.withLock { $0 })")
        let expected = try memory.traces(matching: TraceQuery(limit: 100))
        for store in [a, b] {
            let got = try store.traces(matching: TraceQuery(limit: 100))
            #expect(got == expected, "\(kind): \(got.count) traces, span counts \(got.map(\.spanCount)), roots \(got.map { $0.rootName ?? "-" })")
        }
        #expect(expected.first?.rootKind == .remoteParent && expected.first?.spanCount == 31)
    }
}
