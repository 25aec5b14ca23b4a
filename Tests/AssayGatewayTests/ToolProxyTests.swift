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
    /// A loopback tool that counts what reaches it and echoes it back.
    final class Upstream: @unchecked Sendable {
        private let lock = NSLock()
        private var seen: [String] = []
        var received: [String] { lock.withLock { seen } }
        func add(_ s: String) { lock.withLock { seen.append(s) } }
    }

    static func startTool(_ upstream: Upstream) async throws -> (Task<Void, any Error>, Int) {
        let router = Router()
        router.on("/**", method: .post) { request, _ -> Response in
            let body = String(buffer: try await request.body.collect(upTo: 1 << 20))
            upstream.add("POST \(request.uri.path)\(request.uri.query.map { "?" + $0 } ?? "") \(body)")
            var h = HTTPFields()
            h[.contentType] = "application/json"
            return Response(status: .created, headers: h, body: .init(byteBuffer: ByteBuffer(string: #"{"created":true}"#)))
        }
        let ready = ReadyPort()
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { await ready.set($0.localAddress?.port ?? 0) })
        let task = Task { try await app.runService() }
        return (task, await ready.wait())
    }

    static func started(_ tools: [ToolEndpoint], plan: FaultPlan? = nil) async throws -> (Gateway, GatewaySlot, GatewayCell) {
        var c = GatewayConfiguration()
        let tier = GatewayTests.tier()
        c.tiers[tier.name] = tier
        for t in tools { c.tools[t.name] = t }
        let gateway = Gateway(configuration: c)
        try await gateway.start()
        let slot = gateway.openSlot()
        let cell = GatewayCell(label: "e1/mid#0", tier: tier, faults: plan.map { CellFaults(plan: $0, cell: "e1/mid@\($0.name)/0") })
        let (t, s) = GatewayTests.ids()
        cell.attempt(traceID: t, rootSpanID: s)
        slot.begin(cell)
        return (gateway, slot, cell)
    }

    static func send(_ url: String, body: String, headers: [String: String] = [:]) async throws -> (Int, String) {
        var request = URLRequest(url: URL(string: url)!, timeoutInterval: 10)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
        request.httpBody = Data(body.utf8)
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as! HTTPURLResponse).statusCode, String(decoding: data, as: UTF8.self))
    }

    static func attribute(_ span: Span, _ key: String) -> AttributeValue? { span.attributes.last { $0.key == key }?.value }

    @Test("a request is forwarded with its path, query and body, and recorded as an execute_tool span")
    func forwards() async throws {
        let upstream = Upstream()
        let (server, port) = try await Self.startTool(upstream)
        defer { server.cancel() }
        let (gateway, slot, cell) = try await Self.started([ToolEndpoint(name: "crm", baseURL: "http://127.0.0.1:\(port)/api", environmentVariable: "CRM_URL")])
        defer { Task { await gateway.stop() } }
        let (status, body) = try await Self.send(gateway.toolURL(slot, tool: "crm") + "/tickets?x=1", body: #"{"a":1}"#, headers: ["Idempotency-Key": "k1"])
        #expect(status == 201 && body == #"{"created":true}"#)
        #expect(upstream.received == [#"POST /api/tickets?x=1 {"a":1}"#])
        let span = try #require(cell.toolSpans.first)
        #expect(span.name == "execute_tool crm" && span.parentSpanID == GatewayTests.ids().1)
        #expect(Self.attribute(span, "gen_ai.operation.name") == .string("execute_tool"))
        #expect(Self.attribute(span, "http.request.method") == .string("POST"))
        #expect(Self.attribute(span, "url.path") == .string("/tickets?x=1"))
        #expect(Self.attribute(span, "http.response.status_code") == .int(201))
        #expect(Self.attribute(span, "assay.tool.side_effect") == .bool(true) && Self.attribute(span, "assay.tool.forwarded") == .bool(true))
        #expect(Self.attribute(span, "assay.tool.idempotency_key") == .string("k1"))
        #expect(Self.attribute(span, "assay.tool.request_body") == nil, "bodies are kept only when asked")
        let unknown = try await Self.send(gateway.toolURL(GatewaySlot(token: "nope"), tool: "crm"), body: "{}")
        #expect(unknown.0 == 401)
    }

    @Test("a planned status never reaches the tool; a reset reaches it and loses the answer")
    func statusAndReset() async throws {
        let upstream = Upstream()
        let (server, port) = try await Self.startTool(upstream)
        defer { server.cancel() }
        let plan = FaultPlan(name: "p", injections: [
            FaultInjection(target: .tool, when: .call(1), action: .status(503, retryAfterSeconds: nil)),
            FaultInjection(target: .tool, when: .call(2), action: .reset),
        ])
        let (gateway, slot, cell) = try await Self.started([ToolEndpoint(name: "crm", baseURL: "http://127.0.0.1:\(port)", environmentVariable: "CRM_URL")], plan: plan)
        defer { Task { await gateway.stop() } }
        let url = gateway.toolURL(slot, tool: "crm") + "/send"
        let refused = try await Self.send(url, body: "{}")
        #expect(refused.0 == 503 && upstream.received.isEmpty)
        var lost = false
        do { _ = try await Self.send(url, body: #"{"n":2}"#) } catch { lost = true }
        #expect(lost, "the client gets no answer")
        #expect(upstream.received == [#"POST /send {"n":2}"#], "the side effect happened")
        let third = try await Self.send(url, body: "{}")
        #expect(third.0 == 201)
        #expect(cell.faults?.log == ["tool:status_503", "tool:reset"])
        let spans = cell.toolSpans
        #expect(spans.map { Self.attribute($0, "assay.tool.forwarded") } == [.bool(false), .bool(true), .bool(true)])
        #expect(spans.map { Self.attribute($0, "assay.fault.kind") } == [.string("status_503"), .string("reset"), nil])
    }

    @Test("a simulated tool answers itself; a declared read-only POST has no side effect")
    func simulated() async throws {
        let tool = ToolEndpoint(name: "kb", baseURL: nil, environmentVariable: "KB_URL", recordBodies: true, readOnly: [ToolRoute.parse("POST /search")!])
        let (gateway, slot, cell) = try await Self.started([tool])
        defer { Task { await gateway.stop() } }
        let (status, body) = try await Self.send(gateway.toolURL(slot, tool: "kb") + "/search", body: #"{"q":"refund"}"#)
        #expect(status == 200 && body.contains("\"ok\":true"), "\(body)")
        let span = try #require(cell.toolSpans.first)
        #expect(Self.attribute(span, "assay.tool.side_effect") == .bool(false))
        #expect(Self.attribute(span, "assay.tool.request_body") == .string(#"{"q":"refund"}"#))
        #expect(ToolRoute.parse("GET") == nil && ToolRoute.parse("POST search") == nil)
    }
}
