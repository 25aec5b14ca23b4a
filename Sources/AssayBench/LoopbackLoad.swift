import Foundation

/// Load on a loopback server from keep-alive clients: one client's latencies, or calls/s from several
/// threads. `send` makes call `i` on a client and returns its HTTP status and, for a stream, when its
/// first chunk arrived (`DispatchTime` nanoseconds).
enum LoopbackLoad {
    typealias Send = @Sendable (KeepAliveClient, Int) throws -> (status: Int, firstChunk: UInt64?)

    struct Latency {
        var p50: Double
        var p99: Double
    }

    /// One client, one call at a time: the latency of each (to the last byte, or to a stream's first
    /// chunk), in milliseconds; the first tenth warms connections and caches and is left out.
    static func sequential(port: Int, count: Int, send: Send) throws -> Latency {
        let client = try KeepAliveClient(port: port)
        var millis: [Double] = []
        millis.reserveCapacity(count)
        for i in 0..<count {
            let start = DispatchTime.now().uptimeNanoseconds
            let (status, first) = try send(client, i)
            let end = first ?? DispatchTime.now().uptimeNanoseconds
            guard status == 200 else { throw BenchError("call \(i) answered \(status)") }
            millis.append(Double(end - start) / 1e6)
        }
        let sorted = millis.dropFirst(count / 10).sorted()
        func at(_ p: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
        return Latency(p50: at(0.5), p99: at(0.99))
    }

    /// `clients` threads, each on its own keep-alive connection, share `count` calls; returns calls/s.
    static func concurrent(port: Int, count: Int, clients: Int, send: @escaping Send) throws -> Double {
        final class Failure: @unchecked Sendable { let lock = NSLock(); var message: String? }
        let failure = Failure()
        let group = DispatchGroup()
        let start = DispatchTime.now().uptimeNanoseconds
        for c in 0..<clients {
            group.enter()
            Thread {
                defer { group.leave() }
                do {
                    let client = try KeepAliveClient(port: port)
                    for i in stride(from: c, to: count, by: clients) {
                        let (status, _) = try send(client, i)
                        if status != 200 { throw BenchError("a call answered \(status)") }
                    }
                } catch { failure.lock.withLock { failure.message = "\(error)" } }
            }.start()
        }
        group.wait()
        if let message = failure.message { throw BenchError(message) }
        return Double(count) / (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
}
