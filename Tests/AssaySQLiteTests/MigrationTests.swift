import Foundation
import GRDB
import Testing
import AssayCore
import AssayOTLP
@testable import AssaySQLite

/// A store written before online evaluation and prices (schema v4) opened by this version.
@Suite("Migrating a store of the previous schema")
struct MigrationTests {
    @Test("v5 backfills usage by model from the stored spans, roots orphan-only traces by their topmost span, and leaves old traces to assay score")
    func v5() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("assay-v4-\(UUID().uuidString).sqlite").path
        let trace = TraceID(high: 3, low: 4)!
        let chat = Span(traceID: trace, spanID: SpanID(2)!, parentSpanID: SpanID(1)!, name: "chat gpt-4o-mini", startTimeUnixNano: 20, endTimeUnixNano: 30,
                        attributes: [Attribute("gen_ai.operation.name", .string("chat")), Attribute("gen_ai.response.model", .string("gpt-4o-mini")),
                                     Attribute("gen_ai.usage.input_tokens", .int(100)), Attribute("gen_ai.usage.output_tokens", .int(10)),
                                     Attribute("gen_ai.usage.cache_read.input_tokens", .int(60))])
        do {
            let queue = try DatabaseQueue(path: path)
            try StoreMigrations.migrator.migrate(queue, upTo: "v4-run-cell-conditions")
            try queue.write { db in
                try db.execute(sql: "INSERT INTO resources (id, body) VALUES (1, ?)", arguments: [Data(OTLPProtoEncoder.encodeResourceBody(Resource(), schemaURL: ""))])
                try db.execute(sql: "INSERT INTO scopes (id, body) VALUES (1, ?)", arguments: [Data(OTLPProtoEncoder.encodeScopeBody(InstrumentationScope(), schemaURL: ""))])
                // Only the child has arrived: v4 stored the trace with no root.
                try db.execute(sql: """
                    INSERT INTO spans (trace_id, span_id, parent_span_id, name, kind, start_ns, end_ns, status_code, operation, model,
                        input_tokens, output_tokens, total_tokens, resource_id, scope_id, payload)
                    VALUES (?, ?, ?, 'chat gpt-4o-mini', 0, 20, 30, 0, ?, 'gpt-4o-mini', 100, 10, 110, 1, 1, ?)
                    """, arguments: [Data(trace.bytes), Data(chat.spanID.bytes), Data(SpanID(1)!.bytes), SpanOperation.chat.rawValue,
                                     Data(OTLPProtoEncoder.encode(chat))])
                try db.execute(sql: """
                    INSERT INTO traces (trace_id, start_ns, end_ns, span_count, error_count, input_tokens, output_tokens, total_tokens, operations)
                    VALUES (?, 20, 30, 1, 0, 100, 10, 110, ?)
                    """, arguments: [Data(trace.bytes), SpanOperation.chat.bit])
            }
        }
        let store = try SQLiteTraceStore(path: path)
        let summary = try #require(try store.traces(matching: TraceQuery()).first)
        #expect(summary.rootName == "chat gpt-4o-mini" && summary.rootKind == .missingParent)
        #expect(summary.usage == [ModelUsage(model: "gpt-4o-mini", calls: 1, inputTokens: 100, outputTokens: 10, cacheReadTokens: 60)])
        #expect(try store.unevaluatedTraceCount() == 0)
        #expect(try store.completedTraces(TraceCompletion(quietNanos: 0, maxWaitNanos: 0), now: .max, limit: 10).isEmpty)
    }
}
