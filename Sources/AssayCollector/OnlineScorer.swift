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
                do { _ = try await self.sweep() } catch is CancellationError { return } catch {
                    self.logger.error("online evaluation: a sweep failed", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: self.configuration.sweepInterval)
            }
        }
    }

    /// One sweep: takes the completed traces waiting, evaluates them, and returns how many it took.
    package func sweep() async throws -> Int {
        metrics.onlineBacklog.set(Int64(try store.unevaluatedTraceCount()))
        let ids = try store.completedTraces(configuration.completion, now: clock(), limit: configuration.queueCapacity)
        guard !ids.isEmpty else { return 0 }
        metrics.onlineCompleted(ids.count)
        metrics.onlineQueue.set(Int64(ids.count))
        var next = 0, left = ids.count
        try await withThrowingTaskGroup(of: Void.self) { group in
            while next < min(max(1, configuration.concurrency), ids.count) {
                let id = ids[next]
                next += 1
                group.addTask { try await self.evaluate(id) }
            }
            while try await group.next() != nil {
                left -= 1
                metrics.onlineQueue.set(Int64(left))
                if next < ids.count {
                    let id = ids[next]
                    next += 1
                    group.addTask { try await self.evaluate(id) }
                }
            }
        }
        metrics.onlineQueue.set(Int64(0))
        return ids.count
    }

    /// Evaluates one trace and records the outcome (and its feedback) in one write.
    private func evaluate(_ id: TraceID) async throws {
        try Task.checkCancellation()
        let outcome: OnlineEvaluation
        var items: [Feedback] = []
        if let trace = try store.trace(id) {
            if let skip = skipReason(trace) {
                outcome = skip
            } else {
                let feedback = try store.feedback(for: [id])
                let rows = await TraceScoring.score([trace], feedback: feedback, components: configuration.components, concurrency: 1)
                let time = clock()
                items = rows.compactMap { TraceScoring.feedback($0, time: time, flagFailures: configuration.flagFailures, source: .online) }
                outcome = items.isEmpty ? .nothingToScore : .scored
            }
        } else {
            outcome = .notApplicable
        }
        do {
            _ = try await writer.submit(evaluation: [id: outcome], feedback: items, at: clock())
        } catch {
            logger.warning("online evaluation: could not record a trace's result; it stays unevaluated",
                           metadata: ["trace": "\(id)", "error": "\(error)"])
            return
        }
        metrics.onlineEvaluated(outcome, flagged: items.contains(where: \.needsReview))
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
