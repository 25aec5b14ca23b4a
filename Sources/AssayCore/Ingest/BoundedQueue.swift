import Foundation

/// A blocking first-in first-out queue with a fixed capacity, between one producer thread and one
/// consumer thread. It bounds memory: the producer waits while the queue is full.
final class BoundedQueue<Element: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Element] = []
    private var closed = false
    private var cancelled = false
    private let capacity: Int

    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Waits for room, then appends. Returns false when the consumer has cancelled.
    func push(_ item: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while items.count >= capacity && !cancelled { condition.wait() }
        if cancelled { return false }
        items.append(item)
        condition.broadcast()
        return true
    }

    /// Waits for an item; nil once the producer has closed the queue and it is empty.
    func pop() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty && !closed { condition.wait() }
        if items.isEmpty { return nil }
        let item = items.removeFirst()
        condition.broadcast()
        return item
    }

    /// The producer is done.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// The consumer gives up: pending and future pushes are refused.
    func cancel() {
        condition.lock()
        cancelled = true
        items.removeAll()
        condition.broadcast()
        condition.unlock()
    }
}

/// Runs a closure on a new thread (with a large stack) and waits for its result.
final class WorkerThread<Result: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: Swift.Result<Result, any Error>?

    init(name: String, _ body: @escaping @Sendable () throws -> Result) {
        let thread = Thread { [self] in
            result = Swift.Result { try body() }
            done.signal()
        }
        thread.name = name
        thread.stackSize = 16 << 20
        thread.start()
    }

    /// Waits for the thread to finish and returns its result or rethrows its error.
    func join() throws -> Result {
        done.wait()
        return try result!.get()
    }
}
