public import AssayCore
import Foundation
public import Logging
public import ServiceLifecycle

/// The collector's single writer: requests queue their spans here, and one thread writes everything
/// that is waiting in one transaction (group commit), then answers each request. A request is
/// answered only after its spans are committed, so a success response means they are durable.
///
/// The queue is bounded in spans; when it is full `submit` fails at once with `queueFull`, which the
/// collector turns into a retryable 503. On graceful shutdown it drains what is queued, then stops.
public final class SpanWriter: Service, @unchecked Sendable {
    /// Why a submission was not written.
    public enum Failure: Error, Sendable {
        /// The queue holds `maxQueuedSpans` already.
        case queueFull
        /// The writer is stopping and takes no more work.
        case shuttingDown
    }

    private struct Job {
        var batch: IngestBatch
        var continuation: CheckedContinuation<IngestCounts, any Error>
    }

    private let store: any TraceStore
    private let maxQueuedSpans: Int
    private let maxSpansPerCommit: Int
    private let metrics: CollectorMetrics
    private let logger: Logger
    private let condition = NSCondition()
    private var jobs: [Job] = []
    private var queuedSpans = 0
    private var stopping = false
    private var thread: Thread?
    private let stopped = DispatchSemaphore(value: 0)

    /// Creates a writer over `store`; it starts its thread at once.
    public init(store: any TraceStore, configuration: CollectorConfiguration, metrics: CollectorMetrics, logger: Logger) {
        self.store = store
        self.maxQueuedSpans = configuration.maxQueuedSpans
        self.maxSpansPerCommit = configuration.maxSpansPerCommit
        self.metrics = metrics
        self.logger = logger
        let thread = Thread { [self] in loop() }
        thread.name = "assay-span-writer"
        self.thread = thread
        thread.start()
    }

    /// Queues a batch and waits until it is committed.
    ///
    /// - Returns: the counts of new and already present spans.
    /// - Throws: `Failure.queueFull` at once when the queue is full, `Failure.shuttingDown` after
    ///   shutdown began, or the store's error when the commit failed.
    public func submit(_ batch: IngestBatch) async throws -> IngestCounts {
        try await withCheckedThrowingContinuation { continuation in
            condition.lock()
            defer { condition.unlock() }
            if stopping {
                continuation.resume(throwing: Failure.shuttingDown)
                return
            }
            // An empty queue always takes a request, so one oversized request cannot be refused forever.
            if queuedSpans + batch.spans.count > maxQueuedSpans && !jobs.isEmpty {
                continuation.resume(throwing: Failure.queueFull)
                return
            }
            jobs.append(Job(batch: batch, continuation: continuation))
            queuedSpans += batch.spans.count
            metrics.queuedSpans.set(Int64(queuedSpans))
            condition.signal()
        }
    }

    /// Runs until graceful shutdown, then drains the queue and stops the thread.
    public func run() async throws {
        try? await gracefulShutdown()
        stop()
    }

    /// Stops accepting work, writes what is queued, and waits for the thread to end.
    public func stop() {
        condition.lock()
        let already = stopping
        stopping = true
        condition.signal()
        condition.unlock()
        if !already { stopped.wait() }
    }

    private func loop() {
        while true {
            condition.lock()
            while jobs.isEmpty && !stopping { condition.wait() }
            if jobs.isEmpty && stopping {
                condition.unlock()
                stopped.signal()
                return
            }
            var taken: [Job] = []
            var spans = 0
            while let job = jobs.first, taken.isEmpty || spans + job.batch.spans.count <= maxSpansPerCommit {
                taken.append(jobs.removeFirst())
                spans += job.batch.spans.count
            }
            condition.unlock()
            commit(taken, spans: spans)
            condition.lock()
            queuedSpans -= spans
            metrics.queuedSpans.set(Int64(queuedSpans))
            condition.unlock()
        }
    }

    private func commit(_ taken: [Job], spans: Int) {
        let start = DispatchTime.now().uptimeNanoseconds
        do {
            let counts = try store.write { writer in try taken.map { try writer.write($0.batch) } }
            metrics.commitDuration.recordNanoseconds(Int64(DispatchTime.now().uptimeNanoseconds - start))
            for (job, c) in zip(taken, counts) { job.continuation.resume(returning: c) }
        } catch {
            logger.error("commit failed", metadata: ["requests": "\(taken.count)", "spans": "\(spans)", "error": "\(error)"])
            for job in taken { job.continuation.resume(throwing: error) }
        }
    }
}
