import AsyncHTTPClient
import AssayCore
import Foundation
import Hummingbird
import HTTPTypes
import NIOCore
import NIOHTTP1

/// One tool request through the proxy: attribute it to a cell by the key in its path, inject the
/// cell's planned fault, forward it, and record it as an `execute_tool` span (docs/resilience.md).
struct ToolProxyHandler: Sendable {
    let tools: [String: ToolEndpoint]
    let client: ClientBox
    let slots: SlotTable
    let stats: StatsBox
    let timeoutSeconds: Double

    /// The largest request body taken, 32 MiB; bodies kept on spans are cut to 16 KiB.
    static let maxBody = 32 << 20
    static let keptBody = 16 << 10
    /// Headers not passed either way.
    static let hopByHop: Set<String> = ["connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade",
                                        "host", "content-length"]

    func handle(_ request: Request, context: some RequestContext) async throws -> Response {
        let start = WallClock.nowNanos()
        guard let token = context.parameters.get("token"), let name = context.parameters.get("tool") else {
            return Self.answer(404, "assay tool proxy: no such route")
        }
        guard let slot = slots[token] else {
            return Self.answer(401, "assay tool proxy: this key is not a running cell's; the proxy serves only the agents that assay run starts")
        }
        guard let cell = slot.cell else { return Self.answer(409, "assay tool proxy: no cell is running on this key") }
        guard let tool = tools[name] else {
            return Self.answer(404, "assay tool proxy: no tool \(DisplayFormat.safe(name, limit: 60)); the suite declares \(tools.keys.sorted().joined(separator: ", "))")
        }
        // A crash due now: the agent is being killed; this request is never answered.
        if let faults = cell.faults, faults.crashDue() { return Self.answer(503, "assay fault: the agent is being restarted") }
        let rest = "/" + context.parameters.getCatchAll().joined(separator: "/")
        let path = (rest == "/" && !request.uri.path.hasSuffix("/") ? "" : rest) + (request.uri.query.map { "?" + $0 } ?? "")
        let method = request.method.rawValue
        let body = Array(buffer: try await request.body.collect(upTo: Self.maxBody))
        var record = ToolCall(tool: tool, cell: cell, method: method, path: path, start: start,
                              parent: GatewayHandler.traceparent(request.headers) ?? cell.root,
                              requestHash: SHA256.hex(method + " " + path + "\n" + String(decoding: body, as: UTF8.self)),
                              idempotencyKey: request.headers[HTTPField.Name("idempotency-key")!],
                              index: cell.toolSpans.count + 1)
        if tool.recordBodies { record.requestBody = body }
        stats.update { $0.toolCalls += 1 }
        let planned = cell.faults?.next(.tool, name: name)
        if let index = planned?.index { record.index = index }
        let injection = planned?.injection
        if let injection {
            record.fault = injection.action.kind
            stats.update { $0.toolFaults += 1 }
            // A refused request never reaches the tool.
            if case .status(let code, let after) = injection.action {
                let retryAfter = after ?? (code == 429 ? 1 : nil)
                cell.recordTool(record.span(status: code, errorType: "assay.fault." + injection.action.kind))
                var response = Self.answer(code, "assay fault: HTTP \(code)", type: "assay_fault")
                if let retryAfter { response.headers[HTTPField.Name("retry-after")!] = retryAfter == retryAfter.rounded() ? String(Int(retryAfter)) : String(retryAfter) }
                return response
            }
        }
        // Forward (or answer as the simulated tool).
        var status = 200
        var headers = HTTPFields()
        var answer: [UInt8]
        if let base = tool.baseURL {
            do {
                (status, headers, answer) = try await forward(base + path, method: method, headers: request.headers, body: body)
            } catch {
                let message = "the tool \(name) (\(base)) cannot be reached: \(GatewayHandler.describe(error))"
                cell.note(message)
                cell.recordTool(record.span(status: 502, errorType: "assay.tool.unreachable"))
                return Self.answer(502, "assay tool proxy: " + message)
            }
        } else {
            let id = String(record.requestHash.prefix(12))
            answer = Array(JSONValue.object([("ok", .bool(true)), ("tool", .string(name)), ("method", .string(method)), ("path", .string(path)),
                                             ("id", .string(id))]).compactJSON.utf8)
            headers[.contentType] = "application/json"
        }
        record.forwarded = true
        if tool.recordBodies { record.responseBody = answer }
        switch injection?.action {
        case .delay(let seconds)?:
            try? await Task.sleep(for: .milliseconds(Int64(seconds * 1000)))
        case .reset?:
            // The side effect happened; the answer is lost: the connection breaks off after the status line.
            cell.recordTool(record.span(status: nil, errorType: "assay.fault.reset"))
            return Response(status: .ok, headers: headers, body: ResponseBody { _ in throw GatewayError.streamBroken("assay fault: connection reset") })
        case .malformed?, .cutStream?, .empty?:
            answer = Array("{\"assay fault\": ".utf8)
            headers[.contentType] = "application/json"
            status = 200
        default: break
        }
        let errorType = injection.map { "assay.fault." + $0.action.kind } ?? (status >= 400 ? String(status) : nil)
        cell.recordTool(record.span(status: status, errorType: errorType))
        return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: answer)))
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
        let bytes = try await response.body.collect(upTo: 256 << 20)
        return (Int(response.status.code), back, Array(buffer: bytes))
    }

    /// A JSON error answer.
    static func answer(_ status: Int, _ message: String, type: String = "assay_tool_proxy") -> Response {
        var h = HTTPFields()
        h[.contentType] = "application/json"
        let body = JSONValue.object([("error", .object([("message", .string(message)), ("type", .string(type))]))]).compactJSON
        return Response(status: .init(code: status), headers: h, body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}

/// What the proxy knows of a tool request, and the `execute_tool` span it becomes.
struct ToolCall {
    var tool: ToolEndpoint
    var cell: GatewayCell
    var method: String
    var path: String
    var start: UInt64
    var parent: (TraceID, SpanID)?
    var requestHash: String
    var idempotencyKey: String?
    var index: Int
    var fault: String?
    var forwarded = false
    var requestBody: [UInt8]?
    var responseBody: [UInt8]?

    /// The span; `status` nil when no answer went back (a reset).
    func span(status: Int?, errorType: String?) -> Span {
        var a: [Attribute] = [
            Attribute("gen_ai.operation.name", .string("execute_tool")),
            Attribute("gen_ai.tool.name", .string(tool.name)),
            Attribute("http.request.method", .string(method)),
            Attribute("url.path", .string(path)),
            Attribute("assay.tool.request_sha256", .string(requestHash)),
            Attribute("assay.tool.side_effect", .bool(tool.isSideEffect(method: method, path: path))),
            Attribute("assay.tool.forwarded", .bool(forwarded)),
            Attribute("assay.tool.call_index", .int(Int64(index))),
            Attribute("assay.tier", .string(cell.tier.name)),
        ]
        if let base = tool.baseURL, let url = URL(string: base), let host = url.host {
            a.append(Attribute("server.address", .string(host)))
            if let port = url.port { a.append(Attribute("server.port", .int(Int64(port)))) }
        }
        if let status { a.append(Attribute("http.response.status_code", .int(Int64(status)))) }
        if let idempotencyKey { a.append(Attribute("assay.tool.idempotency_key", .string(idempotencyKey))) }
        if let errorType { a.append(Attribute("error.type", .string(errorType))) }
        if let fault {
            a.append(Attribute("assay.fault.kind", .string(fault)))
            if let plan = cell.faults?.plan.name { a.append(Attribute("assay.fault.plan", .string(plan))) }
        }
        if let b = requestBody { a.append(Attribute("assay.tool.request_body", .string(String(decoding: b.prefix(ToolProxyHandler.keptBody), as: UTF8.self)))) }
        if let b = responseBody { a.append(Attribute("assay.tool.response_body", .string(String(decoding: b.prefix(ToolProxyHandler.keptBody), as: UTF8.self)))) }
        var rng = SystemRandomNumberGenerator()
        var id: SpanID?
        while id == nil { id = SpanID(rng.next()) }
        let (trace, parentID) = parent ?? (TraceID(high: 0, low: 1)!, nil as SpanID?)
        return Span(traceID: trace, spanID: id!, parentSpanID: parentID, name: "execute_tool " + tool.name, kind: .client,
                    startTimeUnixNano: start, endTimeUnixNano: max(start, WallClock.nowNanos()), attributes: a,
                    status: errorType == nil ? SpanStatus() : SpanStatus(code: .error, message: errorType!))
    }
}
