import Foundation
import Testing
import AssayCore
import AssayOTLP
import AssaySQLite
import AssayPostgres
import AssayTestSupport

/// The same cases against the reference in-memory store, SQLite and PostgreSQL: when traces count as
/// complete, claims, what online evaluation has handled, stand-in roots and usage by model.
@Suite("Stores that keep arrival times for online evaluation")
struct OnlineEvaluationStoreTests {
    static func stores() throws -> [(String, any OnlineEvaluationStore)] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("assay-online-\(UUID().uuidString)")
        return [("memory", InMemoryTraceStore()), ("sqlite", try SQLiteTraceStore(path: folder.appendingPathComponent("assay.sqlite").path)),
                ("postgres", try PostgresTraceStore(url: PostgresURL(PostgresFixture.freshDatabase())))]
    }

    static func write(_ store: any TraceStore, _ spans: [Span]) throws {
        let data = TracesData(resourceSpans: [ResourceSpans(scopeSpans: [ScopeSpans(spans: spans)])])
        _ = try Ingestor(store: store).ingest(.bytes(name: "t", Array(OTLPJSONEncoder.encode(data))))
    }

    static func span(_ trace: UInt64, _ id: UInt64, parent: UInt64? = nil, name: String, start: UInt64 = 10, flags: UInt32 = 0,
                     attributes: [Attribute] = []) -> Span {
        Span(traceID: TraceID(high: 0, low: trace)!, spanID: SpanID(id)!, parentSpanID: parent.flatMap(SpanID.init), flags: flags, name: name,
             startTimeUnixNano: start, endTimeUnixNano: start + 5, attributes: attributes)
    }

    static let seconds: UInt64 = 1_000_000_000

    @Test("a trace is complete after its root and a quiet period, or after the longest wait; a run's cell never is")
    func completion() throws {
        for (name, store) in try Self.stores() {
            try Self.write(store, [Self.span(1, 1, name: "invoke_agent a"), Self.span(1, 2, parent: 1, name: "chat m")])
            // The parent of a server span came in a traceparent header: its exporter says it is remote.
            try Self.write(store, [Self.span(2, 5, parent: 99, name: "POST /reply", flags: 0x300)])
            // The parent has not arrived and nothing says it is remote: wait for it.
            try Self.write(store, [Self.span(3, 7, parent: 98, name: "chat m")])
            try Self.write(store, [Self.span(4, 9, name: TraceOrigin.runRootPrefix + "mid")])
            let rule = TraceCompletion(quietNanos: 10 * Self.seconds, maxWaitNanos: 60 * Self.seconds)
            let now = WallClock.nowNanos()
            #expect(try store.completedTraces(rule, now: now, limit: 10).isEmpty, "\(name)")
            let quiet = Set(try store.completedTraces(rule, now: now + 11 * Self.seconds, limit: 10).map(\.low))
            #expect(quiet == [1, 2], "\(name)")
            // 1 and 2 were taken, so they are claimed: only 3 is left.
            let late = Set(try store.completedTraces(rule, now: now + 61 * Self.seconds, limit: 10).map(\.low))
            #expect(late == [3], "\(name)")
            // No evaluation was recorded and the claims lapsed: they are taken again, oldest first.
            let lapsed = now + 61 * Self.seconds + onlineClaimNanos
            #expect(try store.completedTraces(rule, now: lapsed, limit: 2).map(\.low) == [1, 2], "\(name)")
            #expect(try store.unevaluatedTraceCount() == 3, "\(name)")
        }
    }

    @Test("a trace whose parent is remote is listed, named and filtered by its topmost span")
    func remoteParentRoot() throws {
        for (name, store) in try Self.stores() {
            try Self.write(store, [Self.span(2, 6, parent: 5, name: "invoke_agent triage", start: 20),
                                   Self.span(2, 5, parent: 99, name: "POST /reply", start: 10, flags: 0x300)])
            let listed = try store.traces(matching: TraceQuery(name: "POST /reply"))
            #expect(listed.map(\.traceID.low) == [2], "\(name)")
            #expect(listed.first?.rootKind == .remoteParent && listed.first?.rootSpanID == SpanID(5), "\(name)")
            #expect(try store.traces(matching: TraceQuery(name: "invoke_agent*")).isEmpty, "\(name)")
        }
    }

    @Test("a stand-in root gives way to its parent when the parent arrives later")
    func standInGivesWay() throws {
        for (name, store) in try Self.stores() {
            try Self.write(store, [Self.span(3, 7, parent: 6, name: "chat m", start: 30)])
            #expect(try store.traces(matching: TraceQuery()).first?.rootName == "chat m", "\(name)")
            // Another orphan: a later one leaves the stand-in, an earlier one takes its place.
            try Self.write(store, [Self.span(3, 8, parent: 51, name: "late orphan", start: 40)])
            #expect(try store.traces(matching: TraceQuery()).first?.rootName == "chat m", "\(name)")
            try Self.write(store, [Self.span(3, 9, parent: 50, name: "early orphan", start: 25)])
            #expect(try store.traces(matching: TraceQuery()).first?.rootName == "early orphan", "\(name)")
            // Its parent arrives with a remote parent of its own, and the one before it: the topmost is that.
            try Self.write(store, [Self.span(3, 6, parent: 99, name: "invoke_agent a", start: 20, flags: 0x300),
                                   Self.span(3, 50, parent: 6, name: "step", start: 22), Self.span(3, 51, parent: 6, name: "step 2", start: 23)])
            let s = try #require(try store.traces(matching: TraceQuery()).first)
            #expect(s.rootName == "invoke_agent a" && s.rootKind == .remoteParent, "\(name)")
            try Self.write(store, [Self.span(3, 99, name: "GET /", start: 25)])
            let r = try #require(try store.trace(TraceID(high: 0, low: 3)!)).summary
            #expect(r.rootName == "GET /" && r.rootKind == .root, "\(name)")
        }
    }

    @Test("recording what online evaluation did takes a trace out of the waiting ones, with its feedback")
    func recording() throws {
        for (name, store) in try Self.stores() {
            try Self.write(store, [Self.span(1, 1, name: "a"), Self.span(2, 2, name: "b")])
            let rule = TraceCompletion(quietNanos: 0, maxWaitNanos: 60 * Self.seconds)
            let now = WallClock.nowNanos() + Self.seconds
            #expect(try store.completedTraces(rule, now: now, limit: 10).count == 2, "\(name)")
            let one = TraceID(high: 0, low: 1)!
            let flag = Feedback(traceID: one, scores: ["reply": 0], labels: ["reply": "fail"], needsReview: true,
                                author: "score:reply", source: .online, timeUnixNano: now)
            try store.recordEvaluation([one: .scored], feedback: [flag], at: now)
            // 2 is still claimed; once the claim lapses it is taken again, and 1, evaluated, never is.
            #expect(try store.completedTraces(rule, now: now, limit: 10).isEmpty, "\(name)")
            #expect(try store.completedTraces(rule, now: now + onlineClaimNanos, limit: 10).map(\.low) == [2], "\(name)")
            #expect(try store.unevaluatedTraceCount() == 1, "\(name)")
            var flagged = TraceQuery()
            flagged.feedback.flagged = true
            #expect(try store.traces(matching: flagged).map(\.traceID) == [one], "\(name)")
            #expect(try store.feedback(for: [one])[one]?.first?.feedback.source == .online, "\(name)")
            // The source filter: alone, and scoping the other feedback filters.
            var online = TraceQuery()
            online.feedback.source = .online
            #expect(try store.traces(matching: online).map(\.traceID) == [one], "\(name)")
            flagged.feedback.source = .human
            #expect(try store.traces(matching: flagged).isEmpty, "\(name)")
            online.feedback.scoreBelow = .init(name: "reply", value: 0.5)
            #expect(try store.traces(matching: online).map(\.traceID) == [one], "\(name)")
            // Feedback on a trace that is not stored is refused whole, and nothing is recorded.
            let ghost = TraceID(high: 0, low: 77)!
            #expect(throws: AssayError.self) {
                try store.recordEvaluation([TraceID(high: 0, low: 2)!: .scored],
                                           feedback: [Feedback(traceID: ghost, scores: ["x": 1], author: "a", source: .online, timeUnixNano: now)], at: now)
            }
            #expect(try store.unevaluatedTraceCount() == 1, "\(name)")
        }
    }

    @Test("usage is kept by provider and model, with cache and reasoning tokens, across ingests")
    func usage() throws {
        func chat(_ id: UInt64, model: String, input: Int64, output: Int64, cached: Int64, reasoning: Int64) -> Span {
            Self.span(1, id, parent: 1, name: "chat \(model)", attributes: [
                Attribute("gen_ai.operation.name", .string("chat")), Attribute("gen_ai.provider.name", .string("openai")),
                Attribute("gen_ai.response.model", .string(model)), Attribute("gen_ai.usage.input_tokens", .int(input)),
                Attribute("gen_ai.usage.output_tokens", .int(output)), Attribute("gen_ai.usage.cache_read.input_tokens", .int(cached)),
                Attribute("gen_ai.usage.reasoning.output_tokens", .int(reasoning)),
            ])
        }
        for (name, store) in try Self.stores() {
            try Self.write(store, [Self.span(1, 1, name: "agent"), chat(2, model: "o3-mini", input: 100, output: 50, cached: 40, reasoning: 30)])
            try Self.write(store, [chat(3, model: "o3-mini", input: 10, output: 5, cached: 0, reasoning: 1),
                                   chat(4, model: "gpt-4o-mini", input: 7, output: 3, cached: 0, reasoning: 0)])
            let usage = try #require(try store.traces(matching: TraceQuery()).first).usage
            #expect(usage == [
                ModelUsage(provider: "openai", model: "gpt-4o-mini", calls: 1, inputTokens: 7, outputTokens: 3),
                ModelUsage(provider: "openai", model: "o3-mini", calls: 2, inputTokens: 110, outputTokens: 55, cacheReadTokens: 40, reasoningTokens: 31),
            ], "\(name)")
            #expect(try store.trace(TraceID(high: 0, low: 1)!)?.summary.usage == usage, "\(name)")
        }
    }
}
