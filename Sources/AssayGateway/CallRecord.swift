import AssayCore

/// What the gateway knows of a call while it is in flight, and the GenAI span it becomes.
struct CallRecord: Sendable {
    var api: ProviderAPI
    var cell: GatewayCell
    /// The model the agent asked for.
    var agentModel: String?
    /// The model sent upstream.
    var model: String?
    var request: JSONValue
    var stream: Bool
    var hash: String?
    /// The span's trace and parent: the agent's `traceparent`, or the cell's root.
    var traceID: TraceID
    var parentSpanID: SpanID
    var spanID: SpanID
    var start: UInt64
    /// The injected fault's kind (`status_429`, `delay`, ...), when a fault plan hit the call.
    var fault: String?
    /// The `Retry-After` the agent was given, seconds (injected or the upstream's).
    var retryAfter: Double?
    /// A streamed answer is cut off after this many events (the `cut_stream` fault).
    var cutAfterEvents: Int?

    /// The span of the finished call.
    func span(summary: CallSummary, status: Int, errorType: String?, errorMessage: String?, cache: CacheUse, cost: Double?,
              firstChunkNanos: UInt64?, end: UInt64) -> Span {
        var a: [Attribute] = [
            Attribute("gen_ai.operation.name", .string(api.operation)),
            Attribute("gen_ai.provider.name", .string(cell.tier.upstream.kind?.providerName ?? "assay.simulated")),
        ]
        if let model { a.append(Attribute("gen_ai.request.model", .string(model))) }
        if let agentModel, agentModel != model { a.append(Attribute("assay.gateway.agent_model", .string(agentModel))) }
        for (key, name) in [("temperature", "temperature"), ("top_p", "top_p")] {
            if let d = request[key]?.double { a.append(Attribute("gen_ai.request." + name, .double(d))) }
        }
        if let n = (request["max_tokens"] ?? request["max_completion_tokens"] ?? request["max_output_tokens"]), case .number = n {
            a.append(Attribute("gen_ai.request.max_tokens", .int(CallSummary.int(n))))
        }
        if let m = summary.responseModel { a.append(Attribute("gen_ai.response.model", .string(m))) }
        if let id = summary.responseID { a.append(Attribute("gen_ai.response.id", .string(id))) }
        if !summary.finishReasons.isEmpty { a.append(Attribute("gen_ai.response.finish_reasons", .array(summary.finishReasons.map { .string($0) }))) }
        if summary.usage.reported {
            let prefix = "gen_ai.usage."
            a.append(Attribute(prefix + "input_tokens", .int(summary.usage.inputTokens)))
            a.append(Attribute(prefix + "output_tokens", .int(summary.usage.outputTokens)))
            if let n = summary.usage.cacheReadTokens { a.append(Attribute(prefix + "cache_read.input_tokens", .int(n))) }
            if let n = summary.usage.cacheCreationTokens { a.append(Attribute(prefix + "cache_creation.input_tokens", .int(n))) }
            if let n = summary.usage.reasoningTokens { a.append(Attribute(prefix + "reasoning.output_tokens", .int(n))) }
        }
        if !summary.systemInstructions.isEmpty { a.append(Attribute("gen_ai.system_instructions", .string(JSONValue.array(summary.systemInstructions).compactJSON))) }
        if !summary.inputMessages.isEmpty { a.append(Attribute("gen_ai.input.messages", .string(JSONValue.array(summary.inputMessages).compactJSON))) }
        if !summary.outputMessages.isEmpty { a.append(Attribute("gen_ai.output.messages", .string(JSONValue.array(summary.outputMessages).compactJSON))) }
        if let tools = summary.toolDefinitions { a.append(Attribute("gen_ai.tool.definitions", .string(tools.compactJSON))) }
        let server = cell.tier.upstream.hostAndPort
        if !cell.tier.upstream.isSimulated {
            a.append(Attribute("server.address", .string(server.host)))
            if let port = server.port { a.append(Attribute("server.port", .int(Int64(port)))) }
        }
        if status > 0 { a.append(Attribute("http.response.status_code", .int(Int64(status)))) }
        if let errorType { a.append(Attribute("error.type", .string(errorType))) }
        if let cost { a.append(Attribute("assay.cost_usd", .double(cost))) }
        a.append(Attribute("assay.tier", .string(cell.tier.name)))
        a.append(Attribute("assay.gateway.stream", .bool(stream)))
        a.append(Attribute("assay.gateway.cache", .string(cache.rawValue)))
        if let hash { a.append(Attribute("assay.gateway.request_hash", .string(hash))) }
        if let fault {
            a.append(Attribute("assay.fault.kind", .string(fault)))
            if let plan = cell.faults?.plan.name { a.append(Attribute("assay.fault.plan", .string(plan))) }
        }
        if let retryAfter { a.append(Attribute("assay.gateway.retry_after_s", .double(retryAfter))) }
        if let firstChunkNanos { a.append(Attribute("assay.gateway.time_to_first_chunk_ns", .int(Int64(clamping: firstChunkNanos)))) }
        let name = api.operation + (model.map { " " + $0 } ?? "")
        return Span(traceID: traceID, spanID: spanID, parentSpanID: parentSpanID, name: name, kind: .client,
                    startTimeUnixNano: start, endTimeUnixNano: max(start, end), attributes: a,
                    status: errorType == nil ? SpanStatus() : SpanStatus(code: .error, message: errorMessage ?? errorType!))
    }
}
