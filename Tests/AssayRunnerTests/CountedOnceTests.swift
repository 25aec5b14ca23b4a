import Foundation
import Testing
@testable import AssayCore
import AssayOTLP
@testable import AssayGateway
@testable import AssayRunner

@Suite("Tokens counted once when the agent and the gateway both record a call")
struct CountedOnceTests {
    static let trace = TraceID(high: 7, low: 7)!

    static func chat(_ id: UInt64, parent: UInt64?, input: Int64, output: Int64, prefix: String = "gen_ai.usage.") -> Span {
        Span(traceID: trace, spanID: SpanID(id)!, parentSpanID: parent.flatMap(SpanID.init), name: "chat m", kind: .client,
             startTimeUnixNano: 1_000 + id, endTimeUnixNano: 2_000 + id,
             attributes: [Attribute("gen_ai.operation.name", .string("chat")), Attribute(prefix + "input_tokens", .int(input)),
                          Attribute(prefix + "output_tokens", .int(output))])
    }

    static func store(with spans: [Span]) throws -> (InMemoryTraceStore, [StoredSpan]) {
        let store = InMemoryTraceStore()
        if !spans.isEmpty {
            _ = try store.write { try $0.write(IngestBatch(TracesData(resourceSpans: [ResourceSpans(scopeSpans: [ScopeSpans(spans: spans)])]))) }
        }
        return (store, (try store.trace(trace))?.spans ?? [])
    }

    static func call(_ span: Span) -> GatewayCall {
        GatewayCall(span: span, usage: CallUsage(inputTokens: 90, outputTokens: 15, reported: true), costUSD: 0.001, spentUSD: 0.001, cache: .off, status: 200)
    }

    @Test("when the agent's own span reports the call's usage, the trace counts the agent's tokens and not the gateway's")
    func agentReportsUsage() throws {
        let (store, agent) = try Self.store(with: [Self.chat(1, parent: nil, input: 100, output: 20)])
        let written = CellFinisher.writeGatewaySpans([Self.call(Self.chat(2, parent: 1, input: 90, output: 15))], agentSpans: agent, traceIDs: [Self.trace], store: store)
        let summary = try #require(try store.trace(Self.trace)).summary
        #expect(summary.inputTokens == 100 && summary.outputTokens == 20)
        #expect(written.first?.span.attributes.contains { $0.key == "assay.gateway.usage.input_tokens" && $0.value.intValue == 90 } == true)
        #expect(written.first?.span.attributes.contains { $0.key.hasPrefix("gen_ai.usage.") } == false)
    }

    @Test("when the agent reports no usage, the gateway's spans carry it")
    func gatewayReportsUsage() throws {
        let (store, agent) = try Self.store(with: [])
        _ = CellFinisher.writeGatewaySpans([Self.call(Self.chat(2, parent: nil, input: 90, output: 15))], agentSpans: agent, traceIDs: [Self.trace], store: store)
        let summary = try #require(try store.trace(Self.trace)).summary
        #expect(summary.inputTokens == 90 && summary.outputTokens == 15)
    }
}
