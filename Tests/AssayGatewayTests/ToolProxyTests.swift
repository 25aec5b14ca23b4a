@testable import AssayGateway
import AssayCore
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Hummingbird
import Testing

/// The tool proxy over HTTP: a real loopback tool behind it, requests recorded as `execute_tool`
/// spans, and the faults a plan injects (docs/resilience.md).
@Suite("The tool proxy")
struct ToolProxyTests {
    /// What reached the loopback tool.
    struct Seen: Equatable {
        var method: String
        var target: String
        var body: String
        var host: String
        var custom: String?
    }

    /// A loopback tool that keeps what reaches it and answers 201 `{"created":true}` (404 on `…/missing`).
    final class Upstream: @unchecked Sendable {
        private let lock = NSLock()
        private var seen: [Seen] = []
        private var times: [UInt64] = []
        var received: [Seen] { lock.withLock { seen } }
        /// When each request arrived, Unix nanoseconds.
        var arrivals: [UInt64] { lock.withLock { times } }
        func add(_ s: Seen) {
            lock.withLock {
                seen.append(s)
                times.append(WallClock.nowNanos())
            }
        }

        /// Waits until `count` requests have arrived (at most 60 s: the machine may be loaded).
        func waitFor(_ count: Int) async throws {
            let deadline = ContinuousClock.now + .seconds(60)
            while received.count < count, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        }
    }

    static func startTool(_ upstream: Upstream) async throws -> (Task<Void, any Error>, Int) {
        let router = Router()
        for method in [HTTPRequest.Method.get, .post, .put, .delete] {
            router.on("/**", method: method) { request, _ -> Response in
                let body = String(buffer: try await request.body.collect(upTo: 1 << 20))
                upstream.add(Seen(method: request.method.rawValue, target: request.head.path ?? "", body: body,
                                  host: request.head.authority ?? "", custom: request.headers[.init("x-custom")!]))
                var h = HTTPFields()
                h[.contentType] = "application/json"
                h[.init("x-tool")!] = "crm"
                if request.uri.path.hasSuffix("/missing") { return Response(status: .notFound, headers: h, body: .init(byteBuffer: ByteBuffer(string: "{}"))) }
                return Response(status: .created, headers: h, body: .init(byteBuffer: ByteBuffer(string: #"{"created":true}"#)))
            }
        }
        let ready = ReadyPort()
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { await ready.set($0.localAddress?.port ?? 0) })
        let task = Task { try await app.runService() }
        return (task, await ready.wait())
    }

    static func gateway(_ tools: [ToolEndpoint]) async throws -> Gateway {
        var c = GatewayConfiguration()
        let tier = GatewayTests.tier()
        c.tiers[tier.name] = tier
        for t in tools { c.tools[t.name] = t }
        let gateway = Gateway(configuration: c)
        try await gateway.start()
        return gateway
    }

    /// A new slot on `gateway` serving a new cell, under `plan` when given, with `key` as the cell's key.
    static func cell(on gateway: Gateway, plan: FaultPlan? = nil, key: String = "e1/mid@p/0") -> (GatewaySlot, GatewayCell) {
        let slot = gateway.openSlot()
        let cell = GatewayCell(label: "e1/mid#0", tier: GatewayTests.tier(), faults: plan.map { CellFaults(plan: $0, cell: key) })
        let (t, s) = GatewayTests.ids()
        cell.attempt(traceID: t, rootSpanID: s)
        slot.begin(cell)
        return (slot, cell)
    }

    static func started(_ tools: [ToolEndpoint], plan: FaultPlan? = nil) async throws -> (Gateway, GatewaySlot, GatewayCell) {
        let gateway = try await gateway(tools)
        let (slot, cell) = cell(on: gateway, plan: plan)
        return (gateway, slot, cell)
    }

    struct Answer {
        var status: Int
        var headers: [String: String]
        var body: String
    }

    /// One request from a fresh client (no connection reused from another test).
    static func call(_ url: String, method: String = "POST", body: String? = "{}", headers: [String: String] = [:]) async throws -> Answer {
        var request = URLRequest(url: URL(string: url)!, timeoutInterval: 60)
        request.httpMethod = method
        if let body {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(body.utf8)
        }
        for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
        let session = URLSession(configuration: .ephemeral)
        defer { session.finishTasksAndInvalidate() }
        let (data, response) = try await session.data(for: request)
        let http = response as! HTTPURLResponse
        var h: [String: String] = [:]
        for (k, v) in http.allHeaderFields { h[String(describing: k).lowercased()] = String(describing: v) }
        return Answer(status: http.statusCode, headers: h, body: String(decoding: data, as: UTF8.self))
    }

    /// Sends `request` on a new TCP connection and reads until the server closes it: the bytes that
    /// came back, and the errno of the read that ended it (0 for an orderly close, `EAGAIN` when
    /// nothing came for `timeoutMilliseconds`).
    static func raw(port: Int, _ request: String, timeoutMilliseconds timeout: Int = 60_000) async -> (received: [UInt8], errno: Int32) {
        await withCheckedContinuation { done in
            Thread {
                let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
                defer { close(fd) }
                var limit = timeval(tv_sec: timeout / 1000, tv_usec: (timeout % 1000) * 1000)
                setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
                var address = sockaddr_in()
                address.sin_family = sa_family_t(AF_INET)
                address.sin_port = in_port_t(UInt16(port).bigEndian)
                address.sin_addr.s_addr = inet_addr("127.0.0.1")
                let rc = withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
                }
                guard rc == 0 else { return done.resume(returning: ([], errno)) }
                let bytes = Array(request.utf8)
                _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                var received: [UInt8] = []
                var buffer = [UInt8](repeating: 0, count: 4096)
                while true {
                    let n = recv(fd, &buffer, buffer.count, 0)
                    if n > 0 { received += buffer[0..<n]; continue }
                    return done.resume(returning: (received, n == 0 ? 0 : errno))
                }
            }.start()
        }
    }

    static func attribute(_ span: Span, _ key: String) -> AttributeValue? { span.attributes.last { $0.key == key }?.value }

    @Test("a request is forwarded with its method, path, query, body and headers, and recorded as an execute_tool span")
    func forwards() async throws {
        let upstream = Upstream()
        let (server, port) = try await Self.startTool(upstream)
        defer { server.cancel() }
        let base = "http://127.0.0.1:\(port)/api"
        let (gateway, slot, cell) = try await Self.started([ToolEndpoint(name: "crm", baseURL: base, environmentVariable: "CRM_URL")])
        defer { Task { await gateway.stop() } }
        let url = gateway.toolURL(slot, tool: "crm")
        #expect(url == "http://127.0.0.1:\(gateway.port)/tools/\(slot.token)/crm")
        let a = try await Self.call(url + "/tickets?x=1&y=%2F", body: #"{"a":1}"#, headers: ["Idempotency-Key": "k1", "X-Custom": "c"])
        #expect(a.status == 201 && a.body == #"{"created":true}"#)
        #expect(a.headers["x-tool"] == "crm", "the tool's headers come back")
        let get = try await Self.call(url, method: "GET", body: nil)
        #expect(get.status == 201)
        #expect(upstream.received == [
            Seen(method: "POST", target: "/api/tickets?x=1&y=%2F", body: #"{"a":1}"#, host: "127.0.0.1:\(port)", custom: "c"),
            Seen(method: "GET", target: "/api", body: "", host: "127.0.0.1:\(port)", custom: nil),
        ])

        let spans = cell.toolSpans
        #expect(spans.count == 2)
        let span = try #require(spans.first)
        #expect(span.name == "execute_tool crm" && span.kind == .client)
        #expect(span.traceID == GatewayTests.ids().0 && span.parentSpanID == GatewayTests.ids().1, "no traceparent: under the cell's root")
        #expect(span.endTimeUnixNano >= span.startTimeUnixNano && span.status.code != .error)
        let expected: [(String, AttributeValue)] = [
            ("gen_ai.operation.name", .string("execute_tool")), ("gen_ai.tool.name", .string("crm")),
            ("http.request.method", .string("POST")), ("url.path", .string("/tickets?x=1&y=%2F")),
            ("server.address", .string("127.0.0.1")), ("server.port", .int(Int64(port))),
            ("http.response.status_code", .int(201)), ("assay.tool.idempotency_key", .string("k1")),
            ("assay.tool.request_sha256", .string(SHA256.hex("POST /tickets?x=1&y=%2F\n{\"a\":1}"))),
            ("assay.tool.side_effect", .bool(true)), ("assay.tool.forwarded", .bool(true)),
            ("assay.tool.call_index", .int(1)), ("assay.tier", .string("mid")),
        ]
        for (key, value) in expected { #expect(Self.attribute(span, key) == value, "\(key)") }
        for key in ["error.type", "assay.fault.kind", "assay.tool.request_body", "assay.tool.response_body"] {
            #expect(Self.attribute(span, key) == nil, "\(key) is absent")
        }
        #expect(Self.attribute(spans[1], "url.path") == .string("") && Self.attribute(spans[1], "assay.tool.side_effect") == .bool(false))
        #expect(Self.attribute(spans[1], "assay.tool.call_index") == .int(2))
        #expect(gateway.stats.toolCalls == 2 && gateway.stats.toolFaults == 0)
    }

    @Test("an agent's traceparent places the span; an upstream error status is the span's error type")
    func traceparent() async throws {
        let upstream = Upstream()
        let (server, port) = try await Self.startTool(upstream)
        defer { server.cancel() }
        let (gateway, slot, cell) = try await Self.started([ToolEndpoint(name: "crm", baseURL: "http://127.0.0.1:\(port)", environmentVariable: "CRM_URL")])
        defer { Task { await gateway.stop() } }
        let trace = "0af7651916cd43dd8448eb211c80319c", parent = "b7ad6b7169203331"
        let a = try await Self.call(gateway.toolURL(slot, tool: "crm") + "/missing", method: "GET", body: nil,
                                    headers: ["traceparent": "00-\(trace)-\(parent)-01"])
        #expect(a.status == 404)
        let span = try #require(cell.toolSpans.first)
        #expect(span.traceID.description == trace && span.parentSpanID?.description == parent)
        #expect(Self.attribute(span, "error.type") == .string("404") && span.status.code == .error)
        #expect(Self.attribute(span, "assay.tool.forwarded") == .bool(true) && Self.attribute(span, "assay.fault.kind") == nil)
    }

    @Test("an unknown key is 401, a key with no cell 409, an unknown tool 404 naming the declared ones")
    func refusals() async throws {
        let (gateway, slot, cell) = try await Self.started([ToolEndpoint(name: "kb", baseURL: nil, environmentVariable: "KB_URL")])
        defer { Task { await gateway.stop() } }
        let unknown = try await Self.call(gateway.toolURL(GatewaySlot(token: "nope"), tool: "kb"))
        #expect(unknown.status == 401)
        let message = try JSONValue.parse(unknown.body)["error"]?.string
        #expect(message?.hasPrefix("assay tool proxy: ") == true, "\(unknown.body)")
        let tool = try await Self.call(gateway.toolURL(slot, tool: "crm") + "/a")
        #expect(tool.status == 404 && tool.body.contains("\\\"crm\\\"") && tool.body.contains("declares kb"), "\(tool.body)")
        let idle = gateway.openSlot()
        #expect(try await Self.call(gateway.toolURL(idle, tool: "kb")).status == 409)
        #expect(cell.toolSpans.isEmpty, "refusals are not tool calls")
    }

    @Test("a planned status is answered without forwarding, with Retry-After on a 429")
    func plannedStatus() async throws {
        let upstream = Upstream()
        let (server, port) = try await Self.startTool(upstream)
        defer { server.cancel() }
        let plan = FaultPlan(name: "p", injections: [
            FaultInjection(target: .tool, when: .call(1), action: .status(503, retryAfterSeconds: nil)),
            FaultInjection(target: .tool, when: .call(2), action: .status(429, retryAfterSeconds: nil)),
        ])
        let (gateway, slot, cell) = try await Self.started([ToolEndpoint(name: "crm", baseURL: "http://127.0.0.1:\(port)", environmentVariable: "CRM_URL")], plan: plan)
        defer { Task { await gateway.stop() } }
        let url = gateway.toolURL(slot, tool: "crm") + "/send"
        let refused = try await Self.call(url)
        #expect(refused.status == 503 && refused.headers["retry-after"] == nil)
        #expect(refused.body == #"{"error":{"message":"assay fault: HTTP 503","type":"assay_fault"}}"#)
        let limited = try await Self.call(url)
        #expect(limited.status == 429 && limited.headers["retry-after"] == "1")
        #expect(upstream.received.isEmpty, "the tool never saw a refused request")
        #expect(try await Self.call(url).status == 201)
        let spans = cell.toolSpans
        #expect(spans.map { Self.attribute($0, "assay.tool.forwarded") } == [.bool(false), .bool(false), .bool(true)])
        #expect(spans.map { Self.attribute($0, "error.type") } == [.string("assay.fault.status_503"), .string("assay.fault.status_429"), nil])
        #expect(spans.map { Self.attribute($0, "http.response.status_code") } == [.int(503), .int(429), .int(201)])
        #expect(Self.attribute(spans[0], "assay.fault.plan") == .string("p") && spans[0].status.code == .error)
        #expect(gateway.stats.toolFaults == 2)
    }

    @Test("a reset forwards the request, then resets the connection before any byte of an answer")
    func reset() async throws {
        let upstream = Upstream()
        let (server, port) = try await Self.startTool(upstream)
        defer { server.cancel() }
        let plan = FaultPlan(name: "p", injections: [FaultInjection(target: .tool, when: .first(2), action: .reset)])
        let (gateway, slot, cell) = try await Self.started([ToolEndpoint(name: "crm", baseURL: "http://127.0.0.1:\(port)", environmentVariable: "CRM_URL")], plan: plan)
        defer { Task { await gateway.stop() } }
        let body = #"{"n":1}"#
        let request = "POST /tools/\(slot.token)/crm/send HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(body.utf8.count)\r\n\r\n" + body
        let (received, error) = await Self.raw(port: gateway.port, request)
        #expect(received.isEmpty, "no status line: \(String(decoding: received, as: UTF8.self))")
        #expect(error == ECONNRESET)
        // A real client sees a connection error, not a status.
        await #expect(throws: (any Error).self) { try await Self.call(gateway.toolURL(slot, tool: "crm") + "/send", body: #"{"n":2}"#) }
        #expect(upstream.received.map(\.body) == [#"{"n":1}"#, #"{"n":2}"#], "the side effects happened")
        #expect(try await Self.call(gateway.toolURL(slot, tool: "crm") + "/send").status == 201, "the proxy still serves")
        #expect(cell.faults?.log == ["tool:reset", "tool:reset"])
        let spans = cell.toolSpans
        #expect(spans.map { Self.attribute($0, "assay.tool.forwarded") } == [.bool(true), .bool(true), .bool(true)])
        #expect(spans.map { Self.attribute($0, "http.response.status_code") } == [nil, nil, .int(201)])
        #expect(spans.map { Self.attribute($0, "error.type") } == [.string("assay.fault.reset"), .string("assay.fault.reset"), nil])
    }

    @Test("a delay forwards at once and holds the answer; a client with a shorter timeout gives up")
    func delay() async throws {
        let upstream = Upstream()
        let (server, port) = try await Self.startTool(upstream)
        defer { server.cancel() }
        let hold = 0.4
        let plan = FaultPlan(name: "p", injections: [FaultInjection(target: .tool, when: .every, action: .delay(seconds: hold))])
        let (gateway, slot, cell) = try await Self.started([ToolEndpoint(name: "crm", baseURL: "http://127.0.0.1:\(port)", environmentVariable: "CRM_URL")], plan: plan)
        defer { Task { await gateway.stop() } }
        let url = gateway.toolURL(slot, tool: "crm") + "/send"
        let clock = ContinuousClock()
        let start = clock.now
        let late = try await Self.call(url)
        let waited = clock.now - start
        #expect(late.status == 201 && waited >= .milliseconds(Int64(hold * 1000)), "\(waited)")
        let span = try #require(cell.toolSpans.first)
        let arrived = try #require(upstream.arrivals.first)
        #expect(arrived + UInt64(hold * 1e9) <= span.endTimeUnixNano, "forwarded first, then held: the span ends when the answer is sent")
        #expect(Self.attribute(span, "error.type") == .string("assay.fault.delay") && Self.attribute(span, "http.response.status_code") == .int(201))
        let request = "POST /tools/\(slot.token)/crm/send HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n\r\n{}"
        let (received, error) = await Self.raw(port: gateway.port, request, timeoutMilliseconds: 100)
        #expect(received.isEmpty && error == EAGAIN, "the client gave up after 0.1 s")
        try await upstream.waitFor(2)
        #expect(upstream.received.count == 2, "the side effect happened though the client gave up")
    }

    @Test("malformed answers a 200 that is not JSON after forwarding; a crash due answers 503 and records nothing")
    func malformedAndCrash() async throws {
        let upstream = Upstream()
        let (server, port) = try await Self.startTool(upstream)
        defer { server.cancel() }
        let plan = FaultPlan(name: "p", injections: [FaultInjection(target: .tool, when: .call(1), action: .malformed)],
                             crash: CrashPoint(after: .tool, call: 1))
        let tool = ToolEndpoint(name: "crm", baseURL: "http://127.0.0.1:\(port)", environmentVariable: "CRM_URL", recordBodies: true)
        let (gateway, slot, cell) = try await Self.started([tool], plan: plan)
        defer { Task { await gateway.stop() } }
        final class Kills: @unchecked Sendable { let lock = NSLock(); var count = 0 }
        let kills = Kills()
        cell.faults?.setKiller { kills.lock.withLock { kills.count += 1 } }
        let url = gateway.toolURL(slot, tool: "crm") + "/send"
        let bad = try await Self.call(url)
        #expect(bad.status == 200 && bad.headers["content-type"] == "application/json")
        #expect((try? JSONValue.parse(bad.body)) == nil, "\(bad.body)")
        let crashed = try await Self.call(url)
        #expect(crashed.status == 503 && kills.lock.withLock { kills.count } == 1)
        #expect(try await Self.call(url).status == 201, "the crash fires once")
        #expect(upstream.received.count == 2, "the request during the crash was not forwarded")
        let spans = cell.toolSpans
        #expect(spans.map { Self.attribute($0, "assay.tool.call_index") } == [.int(1), .int(2)])
        #expect(Self.attribute(spans[0], "assay.tool.response_body") == .string(bad.body), "the body the agent got")
        #expect(Self.attribute(spans[0], "assay.tool.request_body") == .string("{}"))
    }

    @Test("an upstream that cannot be reached is a 502 naming the tool, a note on the cell and a span")
    func unreachable() async throws {
        let base = "http://127.0.0.1:1"
        let (gateway, slot, cell) = try await Self.started([ToolEndpoint(name: "crm", baseURL: base, environmentVariable: "CRM_URL")])
        defer { Task { await gateway.stop() } }
        let a = try await Self.call(gateway.toolURL(slot, tool: "crm") + "/send")
        #expect(a.status == 502 && a.body.contains("the tool crm (\(base)) cannot be reached"), "\(a.body)")
        #expect(cell.notes == ["the tool crm (\(base)) cannot be reached: connection refused"])
        let span = try #require(cell.toolSpans.first)
        #expect(Self.attribute(span, "error.type") == .string("assay.tool.unreachable"))
        #expect(Self.attribute(span, "assay.tool.forwarded") == .bool(false) && Self.attribute(span, "http.response.status_code") == .int(502))
    }

    @Test("probabilistic faults are the plan's seeded decisions: the same for the same cell, different for another")
    func reproducible() async throws {
        let plan = FaultPlan(name: "flaky", seed: 7, injections: [
            FaultInjection(target: .tool, name: "kb", when: .probability(0.5), action: .status(503, retryAfterSeconds: nil)),
        ])
        let gateway = try await Self.gateway([ToolEndpoint(name: "kb", baseURL: nil, environmentVariable: "KB_URL")])
        defer { Task { await gateway.stop() } }
        func statuses(_ key: String) async throws -> [Int] {
            let (slot, _) = Self.cell(on: gateway, plan: plan, key: key)
            var out: [Int] = []
            for i in 0..<24 { out.append(try await Self.call(gateway.toolURL(slot, tool: "kb") + "/q/\(i)").status) }
            return out
        }
        let first = try await statuses("e1/mid@flaky/0")
        let again = try await statuses("e1/mid@flaky/0")
        let other = try await statuses("e2/mid@flaky/0")
        #expect(first == again)
        #expect(first != other)
        #expect(first.contains(503) && first.contains(200))
        #expect(first == (1...24).map { plan.decide(.tool, name: "kb", index: $0, cell: "e1/mid@flaky/0") == nil ? 200 : 503 })
    }

    @Test("a simulated tool answers itself; a declared read-only POST has no side effect")
    func simulated() async throws {
        let tool = ToolEndpoint(name: "kb", baseURL: nil, environmentVariable: "KB_URL", recordBodies: true, readOnly: [ToolRoute.parse("POST /search")!])
        let (gateway, slot, cell) = try await Self.started([tool])
        defer { Task { await gateway.stop() } }
        let a = try await Self.call(gateway.toolURL(slot, tool: "kb") + "/search", body: #"{"q":"refund"}"#)
        let id = String(SHA256.hex("POST /search\n{\"q\":\"refund\"}").prefix(12))
        #expect(a.status == 200 && a.body == #"{"ok":true,"tool":"kb","method":"POST","path":"/search","id":"\#(id)"}"#, "\(a.body)")
        let span = try #require(cell.toolSpans.first)
        #expect(Self.attribute(span, "assay.tool.side_effect") == .bool(false) && Self.attribute(span, "assay.tool.forwarded") == .bool(true))
        #expect(Self.attribute(span, "server.address") == nil)
        #expect(Self.attribute(span, "assay.tool.request_body") == .string(#"{"q":"refund"}"#))
        #expect(Self.attribute(span, "assay.tool.response_body") == .string(a.body))
    }

    @Test("side effects: POST, PUT, PATCH, DELETE and declared routes, less declared read-only ones")
    func sideEffects() {
        #expect(ToolRoute.parse("POST /search") == ToolRoute(method: "POST", pathPrefix: "/search"))
        #expect(ToolRoute.parse("/send") == ToolRoute(method: nil, pathPrefix: "/send"))
        #expect(ToolRoute.parse("get /send") == ToolRoute(method: "GET", pathPrefix: "/send"))
        #expect(ToolRoute.parse("GET") == nil && ToolRoute.parse("POST search") == nil && ToolRoute.parse("") == nil)
        let tool = ToolEndpoint(name: "mail", baseURL: nil, environmentVariable: "MAIL_URL",
                                sideEffects: [ToolRoute.parse("GET /send")!], readOnly: [ToolRoute.parse("POST /search")!, ToolRoute.parse("/drafts/preview")!])
        #expect(tool.isSideEffect(method: "DELETE", path: "/messages/1"))
        #expect(tool.isSideEffect(method: "GET", path: "/send?to=a"))
        #expect(!tool.isSideEffect(method: "GET", path: "/inbox"))
        #expect(!tool.isSideEffect(method: "POST", path: "/search?q=x"))
        #expect(!tool.isSideEffect(method: "PUT", path: "/drafts/preview/2"))
    }
}
