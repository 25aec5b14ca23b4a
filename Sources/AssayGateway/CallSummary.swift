package import AssayCore

/// What a call's request and final response say, in GenAI terms: the messages as `{role, parts}`
/// JSON, tool definitions, the response's model, id, finish reasons and usage.
package struct CallSummary: Sendable {
    /// `gen_ai.input.messages`.
    package var inputMessages: [JSONValue] = []
    /// `gen_ai.system_instructions`, when the API gives them apart from the messages.
    package var systemInstructions: [JSONValue] = []
    /// `gen_ai.tool.definitions`.
    package var toolDefinitions: JSONValue?
    /// `gen_ai.output.messages`.
    package var outputMessages: [JSONValue] = []
    /// `gen_ai.response.model`.
    package var responseModel: String?
    /// `gen_ai.response.id`.
    package var responseID: String?
    /// `gen_ai.response.finish_reasons`.
    package var finishReasons: [String] = []
    /// The tokens.
    package var usage = CallUsage()

    /// An empty summary.
    package init() {}

    /// Reads the request side of a call.
    package mutating func readRequest(_ api: ProviderAPI, _ request: JSONValue) {
        switch api {
        case .chatCompletions:
            inputMessages = (request["messages"]?.elements ?? []).map(Self.chatMessage)
        case .responses:
            if let instructions = request["instructions"]?.string { systemInstructions = [Self.text(instructions)] }
            if let text = request["input"]?.string { inputMessages = [Self.message("user", [Self.text(text)])] }
            else { inputMessages = Self.responsesItems(request["input"]?.elements ?? []) }
        case .messages:
            if let s = request["system"] {
                systemInstructions = s.string.map { [Self.text($0)] } ?? (s.elements ?? []).compactMap { $0["text"]?.string.map(Self.text) }
            }
            inputMessages = (request["messages"]?.elements ?? []).map { m in
                Self.message(m["role"]?.string ?? "user", Self.anthropicParts(m["content"]))
            }
        case .embeddings:
            break
        }
        if let tools = request["tools"], tools.elements?.isEmpty == false { toolDefinitions = tools }
    }

    /// Reads a final (non-streaming, or folded) response body.
    package mutating func readResponse(_ api: ProviderAPI, _ response: JSONValue) {
        responseModel = response["model"]?.string
        responseID = response["id"]?.string
        let u = response["usage"]
        switch api {
        case .chatCompletions:
            for choice in response["choices"]?.elements ?? [] {
                let reason = choice["finish_reason"]?.string
                if let reason { finishReasons.append(reason) }
                if let m = choice["message"] {
                    var out = Self.chatMessage(m)
                    if let reason, case .object(var members, let line) = out {
                        members.append(JSONMember(key: "finish_reason", value: .string(reason), line: 0))
                        out = .object(members, line: line)
                    }
                    outputMessages.append(out)
                }
            }
            if let u {
                usage = CallUsage(inputTokens: Self.int(u["prompt_tokens"]), outputTokens: Self.int(u["completion_tokens"]),
                                  cacheReadTokens: u["prompt_tokens_details"]?["cached_tokens"].map { Self.int($0) },
                                  reasoningTokens: u["completion_tokens_details"]?["reasoning_tokens"].map { Self.int($0) }, reported: true)
            }
        case .responses:
            var parts: [JSONValue] = []
            for item in response["output"]?.elements ?? [] { parts += Self.responsesOutputParts(item) }
            let status = response["status"]?.string ?? "completed"
            let reason = status == "completed" ? (parts.contains { $0["type"]?.string == "tool_call" } ? "tool_call" : "stop")
                : response["incomplete_details"]?["reason"]?.string ?? status
            finishReasons = [reason]
            if !parts.isEmpty { outputMessages = [Self.message("assistant", parts, finishReason: reason)] }
            if let u {
                usage = CallUsage(inputTokens: Self.int(u["input_tokens"]), outputTokens: Self.int(u["output_tokens"]),
                                  cacheReadTokens: u["input_tokens_details"]?["cached_tokens"].map { Self.int($0) },
                                  reasoningTokens: u["output_tokens_details"]?["reasoning_tokens"].map { Self.int($0) }, reported: true)
            }
        case .messages:
            let reason = response["stop_reason"]?.string
            if let reason { finishReasons = [reason] }
            outputMessages = [Self.message(response["role"]?.string ?? "assistant", Self.anthropicParts(response["content"]), finishReason: reason)]
            if let u {
                // Anthropic's input_tokens leave out cache reads and writes; GenAI's include them.
                let read = u["cache_read_input_tokens"].map { Self.int($0) }, created = u["cache_creation_input_tokens"].map { Self.int($0) }
                usage = CallUsage(inputTokens: Self.int(u["input_tokens"]) &+ (read ?? 0) &+ (created ?? 0), outputTokens: Self.int(u["output_tokens"]),
                                  cacheReadTokens: read, cacheCreationTokens: created, reported: true)
            }
        case .embeddings:
            if let u { usage = CallUsage(inputTokens: Self.int(u["prompt_tokens"]), outputTokens: 0, reported: true) }
        }
    }

    // MARK: - Conversions to GenAI messages

    static func int(_ v: JSONValue?) -> Int64 {
        guard case .number(let text)? = v else { return 0 }
        return Int64(text) ?? Int64(exactly: (Double(text) ?? 0).rounded()) ?? 0
    }

    static func text(_ s: String) -> JSONValue { .object([("type", .string("text")), ("content", .string(s))]) }

    static func message(_ role: String, _ parts: [JSONValue], finishReason: String? = nil) -> JSONValue {
        var members: [(String, JSONValue)] = [("role", .string(role)), ("parts", .array(parts))]
        if let finishReason { members.append(("finish_reason", .string(finishReason))) }
        return .object(members)
    }

    static func toolCall(id: String?, name: String, arguments: JSONValue?) -> JSONValue {
        var members: [(String, JSONValue)] = [("type", .string("tool_call"))]
        if let id { members.append(("id", .string(id))) }
        members.append(("name", .string(name)))
        if let arguments {
            // Arguments arrive as JSON text (OpenAI) or as an object (Anthropic): keep objects as objects.
            members.append(("arguments", arguments.string.flatMap { JSONValue.parseEmbedded($0) } ?? arguments))
        }
        return .object(members)
    }

    static func toolResponse(id: String?, _ response: JSONValue) -> JSONValue {
        var members: [(String, JSONValue)] = [("type", .string("tool_call_response"))]
        if let id { members.append(("id", .string(id))) }
        members.append(("response", response))
        return .object(members)
    }

    /// A Chat Completions message.
    static func chatMessage(_ m: JSONValue) -> JSONValue {
        let role = m["role"]?.string ?? "user"
        var parts: [JSONValue] = []
        if role == "tool" {
            return message(role, [toolResponse(id: m["tool_call_id"]?.string, .string(contentText(m["content"])))])
        }
        if let c = m["content"] {
            if let s = c.string { parts.append(text(s)) }
            for p in c.elements ?? [] {
                if let s = p["text"]?.string { parts.append(text(s)) }
                else if let url = p["image_url"]?["url"]?.string {
                    parts.append(.object([("type", .string("uri")), ("modality", .string("image")), ("uri", .string(url.hasPrefix("data:") ? "data:…" : url))]))
                }
            }
        }
        for call in m["tool_calls"]?.elements ?? [] {
            parts.append(toolCall(id: call["id"]?.string, name: call["function"]?["name"]?.string ?? "", arguments: call["function"]?["arguments"]))
        }
        return message(role, parts)
    }

    static func contentText(_ c: JSONValue?) -> String {
        guard let c else { return "" }
        if let s = c.string { return s }
        return (c.elements ?? []).compactMap { $0["text"]?.string }.joined(separator: "\n")
    }

    /// Responses API input items: messages, function calls and their outputs.
    static func responsesItems(_ items: [JSONValue]) -> [JSONValue] {
        items.map { item in
            switch item["type"]?.string {
            case "function_call"?:
                return message("assistant", [toolCall(id: item["call_id"]?.string, name: item["name"]?.string ?? "", arguments: item["arguments"])])
            case "function_call_output"?:
                return message("tool", [toolResponse(id: item["call_id"]?.string, item["output"] ?? .null)])
            default:
                let role = item["role"]?.string ?? "user"
                if let s = item["content"]?.string { return message(role, [text(s)]) }
                return message(role, (item["content"]?.elements ?? []).compactMap { $0["text"]?.string.map(text) })
            }
        }
    }

    static func responsesOutputParts(_ item: JSONValue) -> [JSONValue] {
        switch item["type"]?.string {
        case "message"?: return (item["content"]?.elements ?? []).compactMap { ($0["text"] ?? $0["refusal"])?.string.map(text) }
        case "function_call"?: return [toolCall(id: item["call_id"]?.string, name: item["name"]?.string ?? "", arguments: item["arguments"])]
        case "reasoning"?:
            let summary = (item["summary"]?.elements ?? []).compactMap { $0["text"]?.string }.joined(separator: "\n")
            return summary.isEmpty ? [] : [.object([("type", .string("reasoning")), ("content", .string(summary))])]
        default: return []
        }
    }

    /// Anthropic content: a string or blocks (text, tool_use, tool_result, thinking, image).
    static func anthropicParts(_ content: JSONValue?) -> [JSONValue] {
        guard let content else { return [] }
        if let s = content.string { return [text(s)] }
        return (content.elements ?? []).compactMap { block in
            switch block["type"]?.string {
            case "text"?: return block["text"]?.string.map(text)
            case "tool_use"?: return toolCall(id: block["id"]?.string, name: block["name"]?.string ?? "", arguments: block["input"])
            case "tool_result"?: return toolResponse(id: block["tool_use_id"]?.string, .string(contentText(block["content"])))
            case "thinking"?: return block["thinking"]?.string.map { .object([("type", .string("reasoning")), ("content", .string($0))]) }
            case "image"?: return .object([("type", .string("blob")), ("modality", .string("image"))])
            default: return nil
            }
        }
    }
}
