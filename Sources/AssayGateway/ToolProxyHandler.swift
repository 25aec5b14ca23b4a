import AsyncHTTPClient
import AssayCore
import Foundation
import Hummingbird
import HTTPTypes
import NIOCore
import NIOHTTP1

/// One tool request through the proxy (`/tools/TOKEN/TOOL/...`, any method): attribute it to a cell
/// by the key in its path, inject the cell's planned fault, forward it, and record it as an
/// `execute_tool` span (docs/resilience.md, "Faults on tool calls").
struct ToolProxyHandler: Sendable {
    let tools: [String: ToolEndpoint]
    let client: ClientBox
    let slots: SlotTable
    let stats: StatsBox
    let timeoutSeconds: Double

    /// The largest request body taken, 32 MiB.
    static let maxBody = 32 << 20
    /// The largest upstream answer passed on, 256 MiB.
    static let maxAnswer = 256 << 20
    /// Headers not passed either way: the hop-by-hop ones, `Host` and `Content-Length`.
    static let hopByHop: Set<String> = ["connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization",
                                        "transfer-encoding", "te", "trailer", "upgrade", "host", "content-length"]

    func handle(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let start = WallClock.nowNanos()
        guard let token = context.parameters.get("token"), let name = context.parameters.get("tool") else {
            return Self.refusal(404, "no such route: \(DisplayFormat.safe(request.uri.path, limit: 80))")
        }
        guard let slot = slots[token] else {
            return Self.refusal(401, "the key in the path is not a running cell's; the proxy serves only the agents that assay run starts")
        }
        guard let cell = slot.cell else { return Self.refusal(409, "no cell is running on this key now") }
        guard let tool = tools[name] else {
            let declared = tools.isEmpty ? "no tools" : tools.keys.sorted().joined(separator: ", ")
            return Self.refusal(404, "the suite declares no tool \"\(DisplayFormat.safe(name, limit: 60))\"; it declares \(declared)")
        }
        // A crash due now: the agent's process group is being killed; nothing is forwarded or recorded.
        if let faults = cell.faults, faults.crashDue() { return Self.fault(503, "assay fault: the agent is being restarted") }
        let method = request.method.rawValue
        let path = Self.rest(of: request, token: token, tool: name)
        let body = Array(buffer: try await request.body.collect(upTo: Self.maxBody))
        let (index, injection) = cell.faults?.next(.tool, name: name) ?? (cell.toolSpans.count + 1, nil)
        var call = ToolCall(tool: tool, cell: cell, method: method, path: path, start: start,
                            parent: GatewayHandler.traceparent(request.headers) ?? cell.root,
                            requestHash: SHA256.hex(method + " " + path + "\n" + String(decoding: body, as: UTF8.self)),
                            idempotencyKey: request.headers[HTTPField.Name("idempotency-key")!], index: index,
                            fault: injection?.action.kind)
        if tool.recordBodies { call.requestBody = body }
        stats.update {
            $0.toolCalls += 1
            if injection != nil { $0.toolFaults += 1 }
        }
        let faultType = injection.map { "assay.fault." + $0.action.kind }

        // A refused request never reaches the tool: the server said no.
        if case .status(let code, let after)? = injection?.action {
            var response = Self.fault(code, "assay fault: HTTP \(code)")
            if let seconds = after ?? (code == 429 ? 1 : nil) {
                response.headers[.retryAfter] = seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
            }
            cell.recordTool(call.span(status: code, errorType: faultType))
            return response
        }

        // Forward, or answer as the simulated tool.
        var status = 200
        var headers = HTTPFields()
        var answer: [UInt8]
        if let base = tool.baseURL {
            do {
                (status, headers, answer) = try await forward(base + path, method: method, headers: request.headers, body: body)
            } catch {
                let message = "the tool \(name) (\(base)) cannot be reached: \(GatewayHandler.describe(error))"
                cell.note(message)
                // A timeout or a connection closed before the answer: the request went out, and may have been acted on.
                call.forwarded = Self.wasSent(error)
                cell.recordTool(call.span(status: 502, errorType: "assay.tool.unreachable"))
                return Self.refusal(502, message)
            }
        } else {
            answer = Array(JSONValue.object([("ok", .bool(true)), ("tool", .string(name)), ("method", .string(method)), ("path", .string(path)),
                                             ("id", .string(String(call.requestHash.prefix(12))))]).compactJSON.utf8)
            headers[.contentType] = "application/json"
        }
        call.forwarded = true

        switch injection?.action {
        case .delay(let seconds)?:
            // The side effect happened; the answer is late.
            try? await Task.sleep(for: .milliseconds(Int64(seconds * 1000)))
        case .reset?:
            // The side effect happened; the answer is lost: the connection is reset before a byte of it.
            cell.recordTool(call.span(status: nil, errorType: faultType))
            await Self.reset(context.channel)
            return Response(status: .ok)  // never sent: the connection is gone
        case .malformed?, .cutStream?, .empty?:
            answer = Array(#"{"assay fault": "malformed"#.utf8)
            headers = HTTPFields()
            headers[.contentType] = "application/json"
            status = 200
        default: break
        }
        if tool.recordBodies { call.responseBody = answer }
        cell.recordTool(call.span(status: status, errorType: faultType ?? (status >= 400 ? String(status) : nil)))
        return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: answer)))
    }

    /// The request's path after `/tools/TOKEN/TOOL`, as sent (still percent-encoded), with its query
    /// string: `""`, `"/tickets"`, `"/a/b/?x=1"`.
    static func rest(of request: Request, token: String, tool: String) -> String {
        let raw = request.head.path ?? ""
        let prefix = "/tools/\(token)/\(tool)"
        if raw.hasPrefix(prefix) { return String(raw.dropFirst(prefix.count)) }
        // The token or the tool's name was percent-encoded: the decoded path's tail and the query.
        let segments = request.uri.path.split(separator: "/", omittingEmptySubsequences: false)
        let tail = segments.count > 4 ? "/" + segments.dropFirst(4).joined(separator: "/") : ""
        return tail + (request.uri.query.map { "?" + $0 } ?? "")
    }

    /// Sends the request on to the tool and returns its answer.
    private func forward(_ url: String, method: String, headers: HTTPFields, body: [UInt8]) async throws -> (Int, HTTPFields, [UInt8]) {
        guard let client = client.value else { throw GatewayError.cannotStart("the gateway is stopping") }
        var outgoing = HTTPClientRequest(url: url)
        outgoing.method = HTTPMethod(rawValue: method)
        for field in headers where !Self.hopByHop.contains(field.name.canonicalName) {
            outgoing.headers.add(name: field.name.rawName, value: field.value)
        }
        if !body.isEmpty { outgoing.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await client.execute(outgoing, timeout: .milliseconds(Int64(timeoutSeconds * 1000)))
        var back = HTTPFields()
        for (name, value) in response.headers where !Self.hopByHop.contains(name.lowercased()) {
            if let n = HTTPField.Name(name) { back.append(HTTPField(name: n, value: value)) }
        }
        let bytes = try await response.body.collect(upTo: Self.maxAnswer)
        return (Int(response.status.code), back, Array(buffer: bytes))
    }

    /// Whether a failed forward had sent the request: it timed out or lost its connection waiting
    /// for the answer, rather than failing to connect.
    static func wasSent(_ error: any Error) -> Bool {
        guard let e = error as? HTTPClientError else { return false }
        return e == .readTimeout || e == .deadlineExceeded || e == .remoteConnectionClosed
    }

    /// Resets the agent's connection: `SO_LINGER` 0, then close, so the kernel sends a TCP RST and
    /// the client's read fails with "connection reset by peer" before any byte of a response.
    static func reset(_ channel: any Channel) async {
        if let options = channel as? any SocketOptionProvider {
            try? await options.setSoLinger(linger(l_onoff: 1, l_linger: 0)).get()
        }
        try? await channel.close().get()
    }

    /// The proxy's own refusal: `{"error": "assay tool proxy: MESSAGE"}`.
    static func refusal(_ status: Int, _ message: String) -> Response {
        json(status, JSONValue.object([("error", .string("assay tool proxy: " + message))]))
    }

    /// An injected error: `{"error": {"message": MESSAGE, "type": "assay_fault"}}`.
    static func fault(_ status: Int, _ message: String) -> Response {
        json(status, JSONValue.object([("error", .object([("message", .string(message)), ("type", .string("assay_fault"))]))]))
    }

    private static func json(_ status: Int, _ value: JSONValue) -> Response {
        var h = HTTPFields()
        h[.contentType] = "application/json"
        return Response(status: .init(code: status), headers: h, body: .init(byteBuffer: ByteBuffer(string: value.compactJSON)))
    }
}

/// The gateway's request context: Hummingbird's basic one and the request's connection, which the
/// tool proxy's `reset` fault closes.
struct GatewayRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The connection the request came on.
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}
