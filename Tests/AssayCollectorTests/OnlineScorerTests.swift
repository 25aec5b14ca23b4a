@testable import AssayCollector
import AssayCore
import AssayEval
import AssayOTLP
import Logging
import Testing

/// The online scorer against the reference in-memory store, one sweep at a time: what it takes, what it
/// leaves out and why, and the judge budget.
@Suite("The online scorer's sweeps")
struct OnlineScorerTests {
    /// A judge stand-in: every score is one judge call, recorded as the real judges record theirs.
    struct CountingJudge: Scorer {
        let recorder: OnlineJudgeRecorder
        var name: String { "llm_judge" }
        var parametersJSON: String { "{}" }
        var threshold: Double { 0.5 }
        func score(_ input: ScorerInput) async -> Score {
            var call = JudgeCall(operation: .chat, scorer: name, provider: "openai", url: "http://127.0.0.1:1/v1", requestModel: "gpt-4o-mini")
            call.inputTokens = 10
            call.outputTokens = 2
            await recorder.record(call)
            return Score(scorer: name, kind: kind, threshold: threshold, outcome: .scored(value: 1, passed: true), explanation: "fine")
        }
    }

    struct Fixture {
        let store = InMemoryTraceStore()
        let metrics = CollectorMetrics()
        let writer: SpanWriter
        let judge = OnlineJudgeRecorder()
        init() {
            writer = SpanWriter(store: store, configuration: CollectorConfiguration(), metrics: metrics, logger: Logger(label: "test"))
            judge.attach(writer: writer, metrics: metrics)
        }

        func add(_ count: Int, name: String = "invoke_agent a") throws -> [TraceID] {
            let ids = (1...count).map { TraceID(high: 5, low: UInt64($0) + UInt64(name.utf8.count) * 1000)! }
            let spans = ids.flatMap { id in [
                Span(traceID: id, spanID: SpanID(1)!, name: name, startTimeUnixNano: 1, endTimeUnixNano: 9),
                Span(traceID: id, spanID: SpanID(2)!, parentSpanID: SpanID(1)!, name: "chat m", startTimeUnixNano: 2, endTimeUnixNano: 8,
                     attributes: [Attribute("gen_ai.operation.name", .string("chat"))]),
            ] }
            _ = try store.write { try $0.write(IngestBatch(TracesData(resourceSpans: [ResourceSpans(scopeSpans: [ScopeSpans(spans: spans)])]))) }
            return ids
        }

        func scorer(_ configure: (inout OnlineScoringConfiguration) throws -> Void) throws -> OnlineScorer {
            var c = OnlineScoringConfiguration(components: [
                ComponentScorer(name: "reply", selector: try SpanSelector.parse("op=chat last"), scorers: [.init(CountingJudge(recorder: judge))]),
            ])
            c.completion = TraceCompletion(quietNanos: 0, maxWaitNanos: 60_000_000_000)
            try configure(&c)
            return OnlineScorer(store: store, writer: writer, configuration: c, judge: judge, metrics: metrics, logger: Logger(label: "test"),
                                clock: { WallClock.nowNanos() + 1_000_000_000 })
        }

        var exposition: String { String(decoding: metrics.exposition(), as: UTF8.self) }
    }

    @Test("once the hour's judge calls are spent, the traces a judge would score are left out as over budget, and /metrics says so")
    func judgeBudget() async throws {
        let f = Fixture()
        let ids = try f.add(5)
        let scorer = try f.scorer { $0.judgeCallsPerHour = 2; $0.concurrency = 1 }
        #expect(try await scorer.sweep() == 5)
        let outcomes = ids.map { f.store.evaluation(of: $0) }
        #expect(outcomes.filter { $0 == .scored }.count == 2)
        #expect(outcomes.filter { $0 == .overBudget }.count == 3)
        #expect(f.judge.callsInLastHour() == 2)
        #expect(f.exposition.contains("assay_online_judge_budget_exhausted 1"))
        #expect(f.exposition.contains("assay_online_judge_calls_total 2"))
        // Two calls of 10 input and 2 output tokens at gpt-4o-mini's pinned prices ($0.15 and $0.60 a million).
        let spend = f.exposition.split(separator: "\n").first { $0.hasPrefix("assay_online_judge_cost_usd_total ") }
        let usd = try #require(spend.flatMap { Double($0.split(separator: " ")[1]) })
        #expect(abs(usd - 2 * (10 * 0.15 + 2 * 0.60) / 1e6) < 1e-12)
        #expect(f.exposition.contains(#"assay_online_traces_skipped_total{reason="over_budget"} 3"#))
        // The judge's own calls became traces; they are never scored online.
        #expect(try await scorer.sweep() == 2)
        #expect(f.exposition.contains(#"assay_online_traces_skipped_total{reason="not_applicable"} 2"#))
        #expect(try await scorer.sweep() == 0)
        f.writer.stop()
    }

    @Test("a trace no component applies to is recorded as nothing to score; sampling out is recorded, not retried")
    func nothingToScoreAndSampling() async throws {
        let f = Fixture()
        let ids = try f.add(40)
        let scorer = try f.scorer { $0.sampleRate = 0.25; $0.components[0].selector = try SpanSelector.parse("op=tool") }
        #expect(try await scorer.sweep() == 40)
        let sampled = ids.filter { OnlineSampling.isSampled($0, rate: 0.25) }
        #expect(!sampled.isEmpty && sampled.count < 40)
        for id in ids { #expect(f.store.evaluation(of: id) == (sampled.contains(id) ? .nothingToScore : .sampledOut)) }
        #expect(try await scorer.sweep() == 0)
        #expect(f.exposition.contains("assay_online_traces_completed_total 40"))
        f.writer.stop()
    }

    @Test("a trace is taken only once it is complete, and at most the queue's bound per sweep")
    func boundAndCompletion() async throws {
        let f = Fixture()
        _ = try f.add(7)
        var c = OnlineScoringConfiguration(components: [])
        c.completion = TraceCompletion(quietNanos: 3_600_000_000_000, maxWaitNanos: 7_200_000_000_000)
        let waiting = OnlineScorer(store: f.store, writer: f.writer, configuration: c, judge: nil, metrics: f.metrics, logger: Logger(label: "test"))
        #expect(try await waiting.sweep() == 0)
        let bounded = try f.scorer { $0.queueCapacity = 3; $0.components = [] }
        #expect(try await bounded.sweep() == 3)
        #expect(try await bounded.sweep() == 3)
        #expect(try await bounded.sweep() == 1)
        f.writer.stop()
    }
}
