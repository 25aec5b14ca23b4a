/// A server's bound port, set once it listens, for whoever started it to wait on (the runner's
/// collector and the model gateway both bind port 0).
package actor ReadyPort {
    private var port: Int?
    private var waiters: [CheckedContinuation<Int, Never>] = []

    /// Nothing bound yet.
    package init() {}

    /// Sets the port and wakes the waiters.
    package func set(_ p: Int) {
        port = p
        for w in waiters { w.resume(returning: p) }
        waiters = []
    }

    /// The port, once it is set.
    package func wait() async -> Int {
        if let port { return port }
        return await withCheckedContinuation { waiters.append($0) }
    }
}
