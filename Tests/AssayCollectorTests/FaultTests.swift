import AssayCore
import AssayOTLP
import AssaySQLite
import CompressNIO
import Foundation
import NIOCore
import Testing

@Suite("The live collector under faults", .serialized)
struct FaultTests {
    /// One request's body: `count` spans of a trace of its own.
    static func body(trace: UInt64, count: Int = 50) -> [UInt8] {
        OTLPProtoEncoder.encode(Bodies.spans(count, trace: trace))
    }

    static let protobuf = ["Content-Type": "application/x-protobuf"]

    @Test("kill -9 under load loses no acknowledged span, and a restart carries on")
    func killNine() async throws {
        let folder = try Paths.temporaryFolder()
        let database = folder.appendingPathComponent("db.sqlite")
        let server = try ServerProcess(database: database)
        let acknowledged = Acknowledged()
        let port = server.port
        // Four clients post as fast as they can until the server dies.
        let clients = (0..<4).map { client in
            Thread.detachNewThreadWithResult {
                var trace = UInt64(client) << 32
                while true {
                    trace += 1
                    guard let reply = try? RawHTTP.post(port, headers: Self.protobuf, body: Self.body(trace: trace)) else { return }
                    if reply.status == 200 { acknowledged.add(trace) }
                }
            }
        }
        try await Task.sleep(for: .milliseconds(1500))
        server.stop(signal: SIGKILL)
        for client in clients { client.wait() }
        let acked = acknowledged.traces
        #expect(acked.count > 10, "the load should have been acknowledged many times before the kill")

        let store = try SQLiteTraceStore(path: database.path)
        var missing = 0
        for trace in acked where try store.trace(TraceID(high: 9, low: trace)!)?.spans.count != 50 { missing += 1 }
        #expect(missing == 0, "\(missing) of \(acked.count) acknowledged requests lost spans")

        let restarted = try ServerProcess(database: database)
        let reply = try RawHTTP.post(restarted.port, headers: Self.protobuf, body: Self.body(trace: 1 << 40))
        #expect(reply.status == 200)
        #expect(restarted.stop() == 0)
        #expect(try SQLiteTraceStore(path: database.path).trace(TraceID(high: 9, low: 1 << 40)!)?.spans.count == 50)
    }

    @Test("SIGTERM lets in-flight requests finish, then exits 0")
    func gracefulStop() async throws {
        let folder = try Paths.temporaryFolder()
        let server = try ServerProcess(database: folder.appendingPathComponent("db.sqlite"))
        let port = server.port
        let sender = Thread.detachNewThreadWithResult { (1...20).map { try? RawHTTP.post(port, headers: Self.protobuf, body: Self.body(trace: $0)) } }
        try await Task.sleep(for: .milliseconds(100))
        #expect(server.stop(signal: SIGTERM) == 0)
        let replies = sender.wait() ?? []
        let ok = replies.compactMap { $0 }.filter { $0.status == 200 }.count
        let store = try SQLiteTraceStore(path: server.database.path)
        #expect(try store.traces(matching: TraceQuery(limit: 100)).count >= ok)
    }

    @Test("answers bad bodies with the right status through a socket and keeps serving")
    func badBodies() throws {
        let folder = try Paths.temporaryFolder()
        let server = try ServerProcess(database: folder.appendingPathComponent("db.sqlite"), arguments: ["--max-body-bytes", "1000000"])
        defer { server.stop() }
        var rng = SplitMix64(seed: 3)
        let random = (0..<4096).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        let valid = Self.body(trace: 77)
        var zeros = ByteBuffer(bytes: [UInt8](repeating: 0, count: 32 << 20))
        let bomb = Array(try zeros.compress(with: .gzip()).readableBytesView)
        let cases: [(String, [String: String], [UInt8], Int)] = [
            ("random bytes", Self.protobuf, random, 400),
            ("truncated protobuf", Self.protobuf, Array(valid.prefix(valid.count / 2)), 400),
            ("JSON with wrong types", ["Content-Type": "application/json"], Array(#"{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":5}]}]}]}"#.utf8), 200),
            ("JSON garbage", ["Content-Type": "application/json"], Array("{]".utf8), 400),
            ("gzip bomb", ["Content-Type": "application/x-protobuf", "Content-Encoding": "gzip"], bomb, 413),
            ("bad gzip", ["Content-Type": "application/x-protobuf", "Content-Encoding": "gzip"], random, 400),
            ("no content type", [:], valid, 415),
        ]
        for (name, headers, body, status) in cases {
            let reply = try RawHTTP.post(server.port, headers: headers, body: body)
            #expect(reply.status == status, "\(name)")
        }
        let chunked = try RawHTTP.post(server.port, headers: Self.protobuf, body: valid, chunked: true)
        #expect(chunked.status == 200, "a chunked body without Content-Length")
        #expect(try RawHTTP.get(server.port, path: "/healthz").status == 200)
        let metrics = String(decoding: try RawHTTP.get(server.port, path: "/metrics").body, as: UTF8.self)
        #expect(metrics.contains(#"assay_spans_rejected_total{reason="invalid"} 1"#))
    }

    @Test("a slow client gets 408 after the read timeout while others are served")
    func slowClient() throws {
        let folder = try Paths.temporaryFolder()
        let server = try ServerProcess(database: folder.appendingPathComponent("db.sqlite"), arguments: ["--read-timeout", "1"])
        defer { server.stop() }
        let slow = try RawHTTP.connect(server.port)
        defer { close(slow) }
        try RawHTTP.send(slow, Array("POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-protobuf\r\nContent-Length: 100000\r\n\r\nabc".utf8))
        let started = Date()
        let other = try RawHTTP.post(server.port, headers: Self.protobuf, body: Self.body(trace: 5))
        #expect(other.status == 200)
        #expect(Date().timeIntervalSince(started) < 1, "the slow client must not hold up others")
        let reply = try RawHTTP.receive(slow)
        #expect(reply.status == 408)
    }
}

/// Trace numbers whose requests got 200, shared by the client threads.
final class Acknowledged: @unchecked Sendable {
    private let lock = NSLock()
    private var set: [UInt64] = []
    func add(_ trace: UInt64) { lock.withLock { set.append(trace) } }
    var traces: [UInt64] { lock.withLock { set } }
}

/// A thread whose result can be waited for.
final class ThreadResult<T>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var value: T?
    func set(_ v: T) { value = v; done.signal() }
    @discardableResult func wait() -> T? { done.wait(); done.signal(); return value }
}

extension Thread {
    static func detachNewThreadWithResult<T>(_ body: @escaping @Sendable () -> T) -> ThreadResult<T> {
        let result = ThreadResult<T>()
        Thread.detachNewThread { result.set(body()) }
        return result
    }
}
