package import AssayCore

/// The provider behind `sim-*` models: answers every API with no network and no key, the same bytes
/// for the same model and request (docs/gateway.md, "The simulated provider"). It does not understand
/// prompts: it echoes the last user text, calls the first tool offered until a tool result arrives, and
/// counts tokens as words, so that agents, spans, costs, the cache and the guard can be exercised. A
/// request may script its answer per model (`assay_sim_answers`), as the example agents do.
package enum SimulatedProvider {
    /// The response body for a request (non-streaming).
    package static func respond(_ api: ProviderAPI, model: String, request: JSONValue) -> JSONValue {
        let hash = CanonicalRequest.hash(provider: "sim", api: api, model: model, request: request)
        let id = String(hash.prefix(24))
        var summary = CallSummary()
        summary.readRequest(api, request)
        let question = lastUserText(summary.inputMessages)
        // A simulated agent may script what each simulated model answers (`assay_sim_answers`).
        let scripted = request[scriptField]?[model]?.string
        let answer = scripted ?? "\(model) answers: \(question)"
        let promptWords = Int64((summary.inputMessages + summary.systemInstructions).reduce(0) { $0 + words(text(of: $1)) + 1 })
        let wantsTool = scripted == nil && summary.toolDefinitions != nil && !hasToolResult(summary.inputMessages)
        let toolName = firstToolName(api, summary.toolDefinitions)
        let arguments = JSONValue.object([("query", .string(question))]).compactJSON
        let outputWords = Int64(max(1, words(answer)))
        switch api {
        case .chatCompletions:
            let message: JSONValue = wantsTool
                ? .object([("role", .string("assistant")), ("content", .null), ("tool_calls", .array([
                    .object([("id", .string("call_" + id.prefix(12))), ("type", .string("function")),
                             ("function", .object([("name", .string(toolName)), ("arguments", .string(arguments))]))]),
                ]))])
                : .object([("role", .string("assistant")), ("content", .string(answer))])
            return .object([
                ("id", .string("chatcmpl-sim-" + id)), ("object", .string("chat.completion")), ("created", .number("1767225600")),
                ("model", .string(model)),
                ("choices", .array([.object([("index", .number("0")), ("message", message),
                                             ("finish_reason", .string(wantsTool ? "tool_calls" : "stop"))])])),
                ("usage", .object([("prompt_tokens", .number(String(promptWords))), ("completion_tokens", .number(String(outputWords))),
                                   ("total_tokens", .number(String(promptWords + outputWords)))])),
            ])
        case .responses:
            let item: JSONValue = wantsTool
                ? .object([("type", .string("function_call")), ("id", .string("fc_" + id.prefix(12))), ("call_id", .string("call_" + id.prefix(12))),
                           ("name", .string(toolName)), ("arguments", .string(arguments)), ("status", .string("completed"))])
                : .object([("type", .string("message")), ("id", .string("msg_" + id.prefix(12))), ("status", .string("completed")),
                           ("role", .string("assistant")),
                           ("content", .array([.object([("type", .string("output_text")), ("text", .string(answer)), ("annotations", .array([]))])]))])
            return .object([
                ("id", .string("resp_sim_" + id)), ("object", .string("response")), ("created_at", .number("1767225600")),
                ("status", .string("completed")), ("model", .string(model)), ("output", .array([item])),
                ("usage", .object([("input_tokens", .number(String(promptWords))), ("output_tokens", .number(String(outputWords))),
                                   ("total_tokens", .number(String(promptWords + outputWords)))])),
            ])
        case .embeddings:
            let inputs = request["input"]?.elements ?? [request["input"] ?? .string("")]
            let data = inputs.enumerated().map { i, input -> JSONValue in
                let digest = CanonicalRequest.hash(provider: "sim", api: .embeddings, model: model, request: input)
                let vector = stride(from: 0, to: 16, by: 2).map { k -> JSONValue in
                    let byte = Int(digest.dropFirst(k).prefix(2), radix: 16) ?? 0
                    return .number(String(Double(byte) / 255.0 * 2 - 1))
                }
                return .object([("object", .string("embedding")), ("index", .number(String(i))), ("embedding", .array(vector))])
            }
            let tokens = String(inputs.reduce(0) { $0 + max(1, words($1.text)) })
            return .object([("object", .string("list")), ("data", .array(data)), ("model", .string(model)),
                            ("usage", .object([("prompt_tokens", .number(tokens)), ("total_tokens", .number(tokens))]))])
        case .messages:
            let block: JSONValue = wantsTool
                ? .object([("type", .string("tool_use")), ("id", .string("toolu_" + id.prefix(16))), ("name", .string(toolName)),
                           ("input", .object([("query", .string(question))]))])
                : .object([("type", .string("text")), ("text", .string(answer))])
            return .object([
                ("id", .string("msg_sim_" + id)), ("type", .string("message")), ("role", .string("assistant")), ("model", .string(model)),
                ("content", .array([block])), ("stop_reason", .string(wantsTool ? "tool_use" : "end_turn")), ("stop_sequence", .null),
                ("usage", .object([("input_tokens", .number(String(promptWords))), ("output_tokens", .number(String(outputWords)))])),
            ])
        }
    }

    /// The events of the same response streamed, as the provider's SSE bytes.
    package static func stream(_ api: ProviderAPI, body: JSONValue, includeUsage: Bool) -> [[UInt8]] {
        SimulatedStream.events(api, body: body, includeUsage: includeUsage).map { Array($0.utf8) }
    }

    /// The request member by which a simulated agent scripts each `sim-*` model's answer:
    /// `{"sim-low": "...", "sim-mid": "..."}`. The gateway removes it before a real upstream sees it.
    package static let scriptField = "assay_sim_answers"

    static func words(_ text: String) -> Int { text.split { $0 == " " || $0 == "\n" || $0 == "\t" }.count }

    /// The words a message or part holds: its text, tool arguments and results.
    static func text(of v: JSONValue) -> String {
        if let parts = v["parts"]?.elements { return parts.map(text(of:)).joined(separator: " ") }
        return [v["content"]?.text, v["arguments"]?.text, v["response"]?.text].compactMap { $0 }.joined(separator: " ")
    }

    static func lastUserText(_ messages: [JSONValue]) -> String {
        for m in messages.reversed() where m["role"]?.string == "user" {
            let text = (m["parts"]?.elements ?? []).compactMap { $0["content"]?.string }.joined(separator: " ")
            if !text.isEmpty { return String(text.prefix(400)) }
        }
        return ""
    }

    static func hasToolResult(_ messages: [JSONValue]) -> Bool {
        messages.contains { m in (m["parts"]?.elements ?? []).contains { $0["type"]?.string == "tool_call_response" } }
    }

    static func firstToolName(_ api: ProviderAPI, _ tools: JSONValue?) -> String {
        guard let first = tools?.elements?.first else { return "tool" }
        return (first["function"]?["name"] ?? first["name"])?.string ?? "tool"
    }
}
