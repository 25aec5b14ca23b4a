import AssayCore
import Foundation

/// What the tool proxy knows of one tool request, and the `execute_tool` span it becomes
/// (docs/resilience.md, "Faults on tool calls").
struct ToolCall {
    var tool: ToolEndpoint
    var cell: GatewayCell
    var method: String
    /// The path after `/tools/TOKEN/TOOL`, with its query string.
    var path: String
    /// When the request arrived, Unix nanoseconds.
    var start: UInt64
    var parent: (TraceID, SpanID)?
    /// SHA-256 of `METHOD path\nbody`.
    var requestHash: String
    var idempotencyKey: String?
    /// The call's number among the cell's tool calls.
    var index: Int
    /// The injected fault's kind, when one hit.
    var fault: String?
    /// Whether the upstream received the request (a simulated tool counts as one).
    var forwarded = false
    var requestBody: [UInt8]?
    /// The body the agent got, kept with `recordBodies`.
    var responseBody: [UInt8]?

    /// Bodies kept on spans are cut to 16 KiB.
    static let keptBody = 16 << 10

    /// The span, ending now; `status` nil when no answer went back (a reset).
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
            let port = url.port ?? (url.scheme?.lowercased() == "https" ? 443 : 80)
            a.append(Attribute("server.port", .int(Int64(port))))
        }
        if let status { a.append(Attribute("http.response.status_code", .int(Int64(status)))) }
        if let idempotencyKey { a.append(Attribute("assay.tool.idempotency_key", .string(idempotencyKey))) }
        if let errorType { a.append(Attribute("error.type", .string(errorType))) }
        if let fault {
            a.append(Attribute("assay.fault.kind", .string(fault)))
            if let plan = cell.faults?.plan.name { a.append(Attribute("assay.fault.plan", .string(plan))) }
        }
        if let b = requestBody { a.append(Attribute("assay.tool.request_body", .string(Self.kept(b)))) }
        if let b = responseBody { a.append(Attribute("assay.tool.response_body", .string(Self.kept(b)))) }
        var rng = SystemRandomNumberGenerator()
        var id: SpanID?
        while id == nil { id = SpanID(rng.next()) }
        let (trace, parentID) = parent ?? (TraceID(high: 0, low: 1)!, nil as SpanID?)
        return Span(traceID: trace, spanID: id!, parentSpanID: parentID, name: "execute_tool " + tool.name, kind: .client,
                    startTimeUnixNano: start, endTimeUnixNano: max(start, WallClock.nowNanos()), attributes: a,
                    status: errorType.map { SpanStatus(code: .error, message: $0) } ?? SpanStatus())
    }

    /// A body as text, cut to 16 KiB (a UTF-8 sequence cut in two becomes U+FFFD).
    static func kept(_ body: [UInt8]) -> String { String(decoding: body.prefix(keptBody), as: UTF8.self) }
}
