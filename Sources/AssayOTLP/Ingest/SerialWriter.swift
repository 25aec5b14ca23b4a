import Foundation

/// The one single-writer design of the package: producers queue jobs, and one thread of its own (with
/// a large stack) takes them in arrival order and writes them to the store. File ingest and the
/// collector's group commit both run on it.
///
/// The queue is bounded by the jobs' total weight (spans, say). A producer either waits for room
/// (`.wait`: back-pressure for a file reader) or is refused at once (`.refuse`: a collector answers
/// 503 and the client retries). An empty queue always takes a job, so one oversized job cannot be
/// refused forever.
///
/// ```swift
/// let writer = SerialWriter<IngestBatch, Int>(name: "writer", capacity: 8192, whenFull: .wait, weight: \.spans.count) { next in
///     var spans = 0
///     while let group = next(1) { spans += group[0].spans.count }
///     return spans
/// }
/// _ = writer.submit(batch)
/// writer.close()
/// let spans = try writer.join()
/// ```
package final class SerialWriter<Job: Sendable, Output: Sendable>: @unchecked Sendable {
    /// What a producer meets when the queue is full.
    package enum WhenFull: Sendable {
        /// Wait for room.
        case wait
        /// Refuse at once.
        case refuse
    }

    /// Takes the next jobs for the writer: waits for at least one, then takes jobs in order while their
    /// total weight stays within the given limit; nil once the queue is closed (or cancelled) and empty.
    package typealias Next = (_ maxWeight: Int) -> [Job]?

    private let condition = NSCondition()
    private var jobs: [Job] = []
    /// The weight of the jobs queued or being written: a group counts until the writer asks for the next.
    private var queuedWeight = 0
    private var inFlightWeight = 0
    private var closed = false
    private var cancelled = false
    private let capacity: Int
    private let whenFull: WhenFull
    private let weight: @Sendable (Job) -> Int
    private let onQueueChange: @Sendable (Int) -> Void
    private let done = DispatchSemaphore(value: 0)
    private var result: Result<Output, any Error>?

    /// Starts the writer's thread, which runs `body` until it returns.
    ///
    /// - Parameters:
    ///   - capacity: the most weight that may wait in the queue.
    ///   - weight: a job's weight (at least 0).
    ///   - onQueueChange: told the queued weight whenever it changes (for metrics).
    ///   - body: the writer; it takes jobs with `next` and returns its output, which `join` gives back.
    package init(name: String, capacity: Int, whenFull: WhenFull, weight: @escaping @Sendable (Job) -> Int,
                 onQueueChange: @escaping @Sendable (Int) -> Void = { _ in },
                 body: @escaping @Sendable (_ next: Next) throws -> Output) {
        self.capacity = max(1, capacity)
        self.whenFull = whenFull
        self.weight = weight
        self.onQueueChange = onQueueChange
        let thread = Thread { [self] in
            result = Result { try body { [self] in take($0) } }
            // Whatever the body left behind is refused, and producers waiting for room wake up.
            cancel()
            done.signal()
        }
        thread.name = name
        thread.stackSize = 16 << 20
        thread.start()
    }

    /// Queues a job; with `.wait`, waits for room first.
    package func submit(_ job: Job) -> Result<Void, IngestError> {
        let w = weight(job)
        condition.lock()
        defer { condition.unlock() }
        while whenFull == .wait && !jobs.isEmpty && queuedWeight + w > capacity && !closed && !cancelled { condition.wait() }
        if closed || cancelled { return .failure(.closed) }
        if !jobs.isEmpty && queuedWeight + w > capacity { return .failure(.queueFull) }
        jobs.append(job)
        queuedWeight += w
        onQueueChange(queuedWeight)
        condition.broadcast()
        return .success(())
    }

    /// No more jobs will come: the writer drains what is queued, then `next` returns nil.
    package func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// Drops what is queued and refuses further jobs: the writer gave up.
    package func cancel() {
        condition.lock()
        cancelled = true
        jobs.removeAll()
        queuedWeight = 0
        inFlightWeight = 0
        onQueueChange(0)
        condition.broadcast()
        condition.unlock()
    }

    /// Waits for the writer's body to return, and returns its output or rethrows its error.
    package func join() throws -> Output {
        done.wait()
        done.signal()
        return try result!.get()
    }

    private func take(_ maxWeight: Int) -> [Job]? {
        condition.lock()
        defer { condition.unlock() }
        queuedWeight -= inFlightWeight
        inFlightWeight = 0
        onQueueChange(queuedWeight)
        condition.broadcast()
        while jobs.isEmpty && !closed && !cancelled { condition.wait() }
        if jobs.isEmpty { return nil }
        var taken: [Job] = [], total = 0
        while let job = jobs.first, taken.isEmpty || total + weight(job) <= maxWeight {
            taken.append(jobs.removeFirst())
            total += weight(job)
        }
        inFlightWeight = total
        return taken
    }
}
