import Foundation
import Logging

/// Writes the LLM cache's recordings on a thread of its own, so that a call's answer never waits for
/// the disk. The queue is bounded: past `limit` recordings waiting, a call waits for room (the disk
/// sets the pace, and memory stays bounded). `drain()` returns once everything queued is written, which
/// the gateway does before it stops, so the next run finds every recording.
final class CacheWriter: @unchecked Sendable {
    private let condition = NSCondition()
    private var queue: [(path: String, bytes: [UInt8])] = []
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []
    private let limit: Int
    private let stats: StatsBox
    private let logger: Logger

    init(limit: Int = 1024, stats: StatsBox, logger: Logger) {
        self.limit = limit
        self.stats = stats
        self.logger = logger
        let thread = Thread { [self] in loop() }
        thread.name = "assay.gateway.cache-writer"
        thread.start()
    }

    /// Queues a recording; waits while the queue is full.
    func enqueue(path: String, bytes: [UInt8]) async {
        while true {
            let full: Bool = condition.withLock {
                if queue.count >= limit { return true }
                queue.append((path, bytes))
                condition.broadcast()
                return false
            }
            if !full { return }
            await withCheckedContinuation { continuation in
                let room = condition.withLock { () -> Bool in
                    if queue.count < limit { return true }
                    waiting.append(continuation)
                    return false
                }
                if room { continuation.resume() }
            }
        }
    }

    /// Waits until every queued recording is written.
    func drain() {
        condition.withLock { while !queue.isEmpty || busy { condition.wait() } }
    }

    private func loop() {
        while true {
            let (item, resumed): ((path: String, bytes: [UInt8]), [CheckedContinuation<Void, Never>]) = condition.withLock {
                while queue.isEmpty { condition.wait() }
                busy = true
                let next = queue.removeFirst()
                let room = waiting
                waiting = []
                return (next, room)
            }
            for c in resumed { c.resume() }
            do {
                try LLMCache.store(item.bytes, at: item.path)
                stats.update { $0.recorded += 1 }
            } catch {
                stats.update { $0.recordFailures += 1 }
                logger.error("\(error.description)")
            }
            condition.withLock {
                busy = false
                condition.broadcast()
            }
        }
    }
}
