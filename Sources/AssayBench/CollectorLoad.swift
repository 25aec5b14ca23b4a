import Foundation

extension CollectorBenchmark {
    /// Posts every body once from `clients` keep-alive clients on loopback, client `i` to
    /// `servers[i % servers.count]` (so several servers share the clients evenly), the bodies taken
    /// in order from one shared queue. A 503 is retried after 20 ms; a 200 counts as committed.
    ///
    /// - Returns: the spans and bytes answered 200, the wall time, the latencies and the servers'
    ///   largest peak RSS.
    static func drive(bodies: [Body], clients: Int, servers: [ServeProcess], contentType: String) -> Result {
        let state = LoadState(count: bodies.count)
        let start = DispatchTime.now().uptimeNanoseconds
        let threads = (0..<clients).map { c in
            let done = DispatchSemaphore(value: 0)
            let port = servers[c % servers.count].port
            Thread.detachNewThread {
                defer { done.signal() }
                guard let client = try? KeepAliveClient(port: port) else { state.fail(); return }
                while let index = state.next() {
                    let body = bodies[index]
                    while true {
                        let sent = DispatchTime.now().uptimeNanoseconds
                        guard let status = try? client.post(path: "/v1/traces", contentType: contentType, body: body.bytes) else { state.fail(); return }
                        if status == 503 {
                            state.refuse()
                            usleep(20_000)
                            continue
                        }
                        if status == 200 {
                            state.accept(spans: body.spans, bytes: body.bytes.count, seconds: Double(DispatchTime.now().uptimeNanoseconds - sent) / 1e9)
                        } else {
                            state.fail()
                        }
                        break
                    }
                }
            }
            return done
        }
        var peak = 0
        func poll() { for server in servers { peak = max(peak, server.highWaterMark()) } }
        for thread in threads {
            while thread.wait(timeout: .now() + .milliseconds(20)) == .timedOut { poll() }
        }
        var result = state.result
        result.seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        poll()
        result.peakRSS = peak
        return result
    }
}

/// Shared progress of the load clients.
private final class LoadState: @unchecked Sendable {
    private let lock = NSLock()
    private var nextIndex = 0
    private let count: Int
    private var value = CollectorBenchmark.Result()

    init(count: Int) { self.count = count }

    func next() -> Int? {
        lock.withLock {
            guard nextIndex < count else { return nil }
            defer { nextIndex += 1 }
            return nextIndex
        }
    }

    func accept(spans: Int, bytes: Int, seconds: Double) {
        lock.withLock {
            value.spans += spans
            value.bytes += bytes
            value.latencies.append(seconds)
        }
    }

    func refuse() { lock.withLock { value.refused += 1 } }
    func fail() { lock.withLock { value.failed += 1 } }
    var result: CollectorBenchmark.Result { lock.withLock { value } }
}
