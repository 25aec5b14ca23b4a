package import AssayCore
import AssayOTLP
import Foundation
package import Logging
import ServiceLifecycle
import Synchronization

/// The collector's single writer: requests queue their spans here, and one thread writes everything
/// that is waiting in one transaction (group commit), then answers each request. A request is
/// answered only after its spans are committed, so a success response means they are durable.
///
/// The queue is bounded in spans; when it is full `submit` fails at once with `queueFull`, which the
/// collector turns into a retryable 503. On graceful shutdown it drains what is queued, then stops.
package final class SpanWriter: Service, @unchecked Sendable {
    private enum Job: Sendable {
        case spans(IngestBatch, CheckedContinuation<IngestCounts, any Error>)
        case feedback([Feedback], CheckedContinuation<FeedbackCounts, any Error>)
        case evaluation([TraceID: OnlineEvaluation], [Feedback], UInt64, CheckedContinuation<FeedbackCounts, any Error>)

        /// What the job weighs against the queue and commit limits.
        var size: Int {
            switch self {
            case .spans(let batch, _): batch.spans.count
            case .feedback(let items, _): items.count
            case .evaluation(let outcomes, let items, _, _): outcomes.count + items.count
            }
        }
    }

    private enum Outcome {
        case spans(IngestCounts)
        case feedback(Result<FeedbackCounts, AssayError>)
    }

    private let store: any TraceStore
    private let metrics: CollectorMetrics
    private let logger: Logger
    private var writer: SerialWriter<Job, Void>!
    private let depth = QueueDepth()

    /// Spans (and feedback items) waiting for the writer now: online evaluation yields while ingest waits.
    package var queuedWeight: Int { depth.value.load(ordering: .relaxed) }

    /// Creates a writer over `store`; it starts its thread at once.
    package init(store: any TraceStore, configuration: CollectorConfiguration, metrics: CollectorMetrics, logger: Logger) {
        self.store = store
        self.metrics = metrics
        self.logger = logger
        let maxSpansPerCommit = configuration.maxSpansPerCommit
        writer = SerialWriter(name: "assay-span-writer", capacity: configuration.maxQueuedSpans, whenFull: .refuse,
                              weight: \.size, onQueueChange: { [depth] in
                                  depth.value.store($0, ordering: .relaxed)
                                  metrics.queuedSpans.set(Int64($0))
                              }) { [self] next in
            while let taken = next(maxSpansPerCommit) { commit(taken, spans: taken.reduce(0) { $0 + $1.size }) }
        }
    }

    /// Queues a batch and waits until it is committed.
    ///
    /// - Returns: the counts of new and already present spans.
    /// - Throws: `CollectorError.queueFull` at once when the queue is full, `.shuttingDown` after
    ///   shutdown began, or the store's error when the commit failed.
    package func submit(_ batch: IngestBatch) async throws -> IngestCounts {
        try await withCheckedThrowingContinuation { continuation in
            enqueue(.spans(batch, continuation)) { continuation.resume(throwing: $0) }
        }
    }

    /// Queues feedback behind the spans already accepted (so feedback on a trace whose spans were just
    /// exported finds them) and waits until it is committed.
    ///
    /// - Throws: `AssayError.unknownFeedbackTargets` when a target is not stored (nothing of it is written), or the
    ///   failures of `submit(_:)`.
    package func submit(_ feedback: [Feedback]) async throws -> FeedbackCounts {
        try await withCheckedThrowingContinuation { continuation in
            enqueue(.feedback(feedback, continuation)) { continuation.resume(throwing: $0) }
        }
    }

    /// Queues online evaluation's results (its feedback and what it did with each trace) and waits
    /// until they are committed, in one transaction.
    ///
    /// - Throws: as `submit(_:)` for feedback.
    package func submit(evaluation outcomes: [TraceID: OnlineEvaluation], feedback: [Feedback], at time: UInt64) async throws -> FeedbackCounts {
        try await withCheckedThrowingContinuation { continuation in
            enqueue(.evaluation(outcomes, feedback, time, continuation)) { continuation.resume(throwing: $0) }
        }
    }

    private func enqueue(_ job: Job, refuse: (CollectorError) -> Void) {
        switch writer.submit(job) {
        case .success: break
        case .failure(.queueFull): refuse(.queueFull)
        case .failure: refuse(.shuttingDown)
        }
    }

    /// Runs until graceful shutdown, then drains the queue and stops the thread.
    package func run() async throws {
        try? await gracefulShutdown()
        stop()
    }

    /// Stops accepting work, writes what is queued, and waits for the thread to end.
    package func stop() {
        writer.close()
        try? writer.join()
    }

    private func commit(_ taken: [Job], spans: Int) {
        let start = DispatchTime.now().uptimeNanoseconds
        do {
            let outcomes = try store.write { writer in
                try taken.map { job -> Outcome in
                    switch job {
                    case .spans(let batch, _): return .spans(try writer.write(batch))
                    case .feedback(let items, _):
                        let unknown = try writer.unknownTargets(items)
                        guard unknown.isEmpty else { return .feedback(.failure(AssayError.unknownFeedbackTargets(unknown))) }
                        return .feedback(.success(try writer.add(items)))
                    case .evaluation(let outcomes, let items, let time, _):
                        let unknown = try writer.unknownTargets(items)
                        guard unknown.isEmpty else { return .feedback(.failure(AssayError.unknownFeedbackTargets(unknown))) }
                        let counts = try writer.add(items)
                        try writer.recordEvaluation(outcomes, at: time)
                        return .feedback(.success(counts))
                    }
                }
            }
            metrics.commitDuration.recordNanoseconds(Int64(DispatchTime.now().uptimeNanoseconds - start))
            for (job, outcome) in zip(taken, outcomes) {
                switch (job, outcome) {
                case (.spans(_, let c), .spans(let counts)): c.resume(returning: counts)
                case (.feedback(_, let c), .feedback(let result)): c.resume(with: result.mapError { $0 as any Error })
                case (.evaluation(_, _, _, let c), .feedback(let result)): c.resume(with: result.mapError { $0 as any Error })
                default: preconditionFailure("outcomes follow jobs")
                }
            }
        } catch {
            logger.error("commit failed", metadata: ["requests": "\(taken.count)", "spans": "\(spans)", "error": "\(error)"])
            for job in taken {
                switch job {
                case .spans(_, let c): c.resume(throwing: error)
                case .feedback(_, let c): c.resume(throwing: error)
                case .evaluation(_, _, _, let c): c.resume(throwing: error)
                }
            }
        }
    }
}

/// The writer's queued weight, readable from any thread.
private final class QueueDepth: Sendable {
    let value = Atomic<Int>(0)
}
