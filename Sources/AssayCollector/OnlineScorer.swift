package import AssayCore
import AssayEval
package import Logging
import ServiceLifecycle

/// Online evaluation (`assay serve --score`): every sweep it asks the store for application traces
/// that completed and were not evaluated yet, at most `queueCapacity` of them, scores them with the
/// scorer files' components a few at a time, and writes each trace's results as feedback from source
/// `online` through the collector's writer, together with what it did with the trace.
///
/// Scoring never holds up ingest: it reads through the store's readers, and its writes are small jobs
/// in the same group commits as spans. The store is the queue: a trace left when the collector stops
/// is still unevaluated, and the next start scores it. See docs/online-evaluation.md.
package final class OnlineScorer: Service, Sendable {
    private let store: any OnlineEvaluationStore
    private let writer: SpanWriter
    private let configuration: OnlineScoringConfiguration
    private let judge: OnlineJudgeRecorder?
    private let metrics: CollectorMetrics
    private let logger: Logger
    private let clock: @Sendable () -> UInt64

    /// Creates the scorer; `judge` is the recorder the scorer files' judges were given, for their budget.
    package init(store: any OnlineEvaluationStore, writer: SpanWriter, configuration: OnlineScoringConfiguration,
                 judge: OnlineJudgeRecorder?, metrics: CollectorMetrics, logger: Logger,
                 clock: @escaping @Sendable () -> UInt64 = WallClock.nowNanos) {
        self.store = store
        self.writer = writer
        self.configuration = configuration
        self.judge = judge
        self.metrics = metrics
        self.logger = logger
        self.clock = clock
    }

    /// Sweeps until graceful shutdown; a trace being scored then is left unevaluated for the next start.
    package func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                var taken = 0
                do { taken = try await self.sweep() } catch is CancellationError { return } catch {
                    self.logger.error("online evaluation: a sweep failed", metadata: ["error": "\(error)"])
                }
                // A full sweep means more are waiting: take them at once; otherwise wait for new ones.
                if taken < self.configuration.queueCapacity { try? await Task.sleep(for: self.configuration.sweepInterval) }
            }
        }
    }

    /// One sweep: takes the completed traces waiting, evaluates them, and returns how many it took.
    package func sweep() async throws -> Int {
        let ids = try store.completedTraces(configuration.completion, now: clock(), limit: configuration.queueCapacity)
        // Counting the backlog reads all of it: only when caught up, not on every sweep of a long one.
        if ids.count < configuration.queueCapacity { metrics.onlineBacklog.set(Int64(try store.unevaluatedTraceCount())) }
        guard !ids.isEmpty else { return 0 }
        metrics.onlineCompleted(ids.count)
        metrics.onlineQueue.set(Int64(ids.count))
        // Traces are read, scored and recorded in chunks: one read of the chunk's traces and feedback,
        // one write of its results. With a judge budget the chunk is as small as the concurrency, so
        // the budget is overshot by at most the calls in flight.
        let chunk = configuration.judgeCallsPerHour != nil && configuration.usesJudge ? max(1, configuration.concurrency) : 64
        var left = ids.count
        for start in stride(from: 0, to: ids.count, by: chunk) {
            try Task.checkCancellation()
            let part = Array(ids[start..<min(start + chunk, ids.count)])
            try await yieldToIngest()
            try await evaluate(part)
            left -= part.count
            metrics.onlineQueue.set(Int64(left))
        }
        return ids.count
    }

    /// Ingest comes first: while spans wait for the writer, scoring waits too, up to half a second per
    /// chunk, so that under sustained load it still moves (slowly) and catches up when the load eases.
    private func yieldToIngest() async throws {
        var waited = 0
        while writer.queuedWeight > 0, waited < 25 {
            try await Task.sleep(for: .milliseconds(20))
            waited += 1
        }
    }

    /// Evaluates some traces and records the outcomes (and their feedback) in one write.
    private func evaluate(_ ids: [TraceID]) async throws {
        var outcomes: [TraceID: OnlineEvaluation] = [:]
        var chosen: [StoredTrace] = []
        for trace in try store.traces(ids) {
            if let skip = skipReason(trace) { outcomes[trace.summary.traceID] = skip } else { chosen.append(trace) }
        }
        for id in ids where outcomes[id] == nil && !chosen.contains(where: { $0.summary.traceID == id }) { outcomes[id] = .notApplicable }
        var items: [Feedback] = []
        if !chosen.isEmpty {
            let feedback = try store.feedback(for: chosen.map(\.summary.traceID))
            let rows = await TraceScoring.score(chosen, feedback: feedback, components: configuration.components,
                                                  concurrency: configuration.concurrency, onlySelected: true)
            let time = clock()
            items = rows.compactMap { TraceScoring.feedback($0, time: time, flagFailures: configuration.flagFailures, source: .online) }
            let scored = Set(items.map(\.traceID))
            for trace in chosen { outcomes[trace.summary.traceID] = scored.contains(trace.summary.traceID) ? .scored : .nothingToScore }
        }
        do {
            _ = try await writer.submit(evaluation: outcomes, feedback: items, at: clock())
        } catch {
            logger.warning("online evaluation: could not record the results of \(ids.count) traces; they stay unevaluated", metadata: ["error": "\(error)"])
            return
        }
        let flagged = Set(items.filter(\.needsReview).map(\.traceID))
        for (id, outcome) in outcomes { metrics.onlineEvaluated(outcome, flagged: flagged.contains(id)) }
    }

    /// Why a trace is not scored, or nil to score it.
    private func skipReason(_ trace: StoredTrace) -> OnlineEvaluation? {
        if TraceOrigin(rootName: trace.summary.rootName) == .runs { return .notApplicable }
        // The judge's own calls are stored as traces: scoring them would feed the judge its own output.
        if !trace.spans.isEmpty, trace.spans.allSatisfy({ $0.resource.attributes[key: "service.name"]?.stringValue == "assay-judge" }) {
            return .notApplicable
        }
        if !OnlineSampling.isSampled(trace.summary.traceID, rate: configuration.sampleRate) { return .sampledOut }
        if let limit = configuration.judgeCallsPerHour, let judge, configuration.usesJudge {
            let spent = judge.callsInLastHour() >= limit
            metrics.onlineBudgetExhausted.set(Int64(spent ? 1 : 0))
            if spent { return .overBudget }
        }
        return nil
    }
}
