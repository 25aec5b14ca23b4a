/// Reads LLM messages from the shapes producers use: structured or JSON-string message lists
/// (GenAI `gen_ai.input.messages`), flattened OpenInference keys (`llm.input_messages.0.message.role`),
/// OpenLLMetry indexed keys (`gen_ai.prompt.0.content`) and per-message events of older GenAI versions.
enum MessageExtraction {
    static func messages(
        attributes: [Attribute], structuredKey: String, flattenedPrefix: String, indexedPrefix: String,
        events: [SpanEvent], output: Bool
    ) -> [LLMMessage] {
        if let value = attributes[key: structuredKey], let list = jsonList(value) {
            return list.compactMap(message(from:))
        }
        let flattened = indexed(attributes, prefix: flattenedPrefix)
        if !flattened.isEmpty {
            return flattened.map { fields in
                message(role: fields["message.role"], content: fields["message.content"]
                        ?? joinedContents(fields, prefix: "message.contents."),
                        fields: fields, toolPrefix: "message.tool_calls.", name: "tool_call.function.name",
                        arguments: "tool_call.function.arguments", id: "tool_call.id", toolCallID: fields["message.tool_call_id"])
            }
        }
        let indexedMessages = indexed(attributes, prefix: indexedPrefix)
        if !indexedMessages.isEmpty {
            return indexedMessages.map { fields in
                message(role: fields["role"] ?? (output ? "assistant" : "user"), content: fields["content"],
                        fields: fields, toolPrefix: "tool_calls.", name: "name", arguments: "arguments", id: "id",
                        toolCallID: fields["tool_call_id"])
            }
        }
        return eventMessages(events, output: output)
    }

    /// Text for a list of messages: a single message's content, else one `role: content` line each.
    static func text(of messages: [LLMMessage]) -> String? {
        if messages.isEmpty { return nil }
        if messages.count == 1 {
            let m = messages[0]
            return m.content.isEmpty ? m.toolCalls.map { "\($0.name)(\($0.arguments))" }.joined(separator: "\n") : m.content
        }
        return messages.map { m in
            let calls = m.toolCalls.map { "\($0.name)(\($0.arguments))" }.joined(separator: " ")
            return "\(m.role): " + (m.content.isEmpty ? calls : m.content)
        }.joined(separator: "\n")
    }

    /// System instructions as text: a JSON list of parts becomes their joined text.
    static func instructionsText(_ raw: String) -> String {
        guard let list = JSONValue.parseEmbedded(raw)?.elements else { return raw }
        let texts = list.compactMap { $0["content"]?.string ?? $0["text"]?.string ?? $0.string }
        return texts.isEmpty ? raw : texts.joined(separator: "\n")
    }

    // MARK: - Structured lists

    private static func jsonList(_ value: AttributeValue) -> [JSONValue]? {
        switch value {
        case .string(let s): return JSONValue.parseEmbedded(s)?.elements
        case .array: return JSONValue(value).elements
        default: return nil
        }
    }

    /// One message object: `{role, parts: [...]}` (GenAI) or `{role, content}` (chat-completions style).
    static func message(from v: JSONValue) -> LLMMessage? {
        guard case .object = v else { return nil }
        let role = v["role"]?.string ?? "user"
        var texts: [String] = []
        var calls: [ToolCall] = []
        var toolCallID = v["tool_call_id"]?.string
        if let parts = v["parts"]?.elements {
            for part in parts {
                switch part["type"]?.string ?? "text" {
                case "tool_call":
                    calls.append(ToolCall(id: part["id"]?.string, name: part["name"]?.string ?? "", arguments: part["arguments"]?.text ?? ""))
                case "tool_call_response":
                    toolCallID = toolCallID ?? part["id"]?.string
                    if let response = part["response"] ?? part["result"] { texts.append(response.text) }
                default:
                    if let text = part["content"]?.text ?? part["text"]?.string { texts.append(text) }
                }
            }
        }
        if let content = v["content"] {
            if let parts = content.elements {
                texts += parts.compactMap { $0["text"]?.string ?? $0["content"]?.string }
            } else if case .null = content {
            } else {
                texts.append(content.text)
            }
        }
        for call in v["tool_calls"]?.elements ?? [] {
            let function = call["function"] ?? call
            calls.append(ToolCall(id: call["id"]?.string, name: function["name"]?.string ?? "", arguments: function["arguments"]?.text ?? ""))
        }
        return LLMMessage(role: role, content: texts.joined(separator: "\n"), toolCalls: calls, toolCallID: toolCallID)
    }

    // MARK: - Flattened keys

    /// Groups `prefix.N.rest` attributes by N (in numeric order) into `[rest: text]`.
    static func indexed(_ attributes: [Attribute], prefix: String) -> [[String: String]] {
        var groups: [Int: [String: String]] = [:]
        for attribute in attributes where attribute.key.hasPrefix(prefix) {
            let rest = attribute.key.dropFirst(prefix.count)
            guard let dot = rest.firstIndex(of: "."), let index = Int(rest[..<dot]), index >= 0, index < 100_000 else { continue }
            groups[index, default: [:]][String(rest[rest.index(after: dot)...])] = attribute.value.displayText
        }
        return groups.keys.sorted().map { groups[$0]! }
    }

    private static func joinedContents(_ fields: [String: String], prefix: String) -> String? {
        let texts = fields.filter { $0.key.hasPrefix(prefix) && $0.key.hasSuffix(".message_content.text") }
            .sorted { $0.key.localizedStandardCompare($1.key) == .orderedAscending }.map(\.value)
        return texts.isEmpty ? nil : texts.joined(separator: "\n")
    }

    private static func message(
        role: String?, content: String?, fields: [String: String], toolPrefix: String,
        name: String, arguments: String, id: String, toolCallID: String?
    ) -> LLMMessage {
        var calls: [Int: (id: String?, name: String, arguments: String)] = [:]
        for (key, value) in fields where key.hasPrefix(toolPrefix) {
            let rest = key.dropFirst(toolPrefix.count)
            guard let dot = rest.firstIndex(of: "."), let index = Int(rest[..<dot]) else { continue }
            let field = String(rest[rest.index(after: dot)...])
            var call = calls[index] ?? (nil, "", "")
            if field == name { call.name = value } else if field == arguments { call.arguments = value } else if field == id { call.id = value }
            calls[index] = call
        }
        let toolCalls = calls.keys.sorted().map { ToolCall(id: calls[$0]!.id, name: calls[$0]!.name, arguments: calls[$0]!.arguments) }
        return LLMMessage(role: role ?? "user", content: content ?? "", toolCalls: toolCalls, toolCallID: toolCallID)
    }

    // MARK: - Events

    /// Older GenAI versions record one event per message: `gen_ai.user.message`, `gen_ai.choice`, ...
    private static func eventMessages(_ events: [SpanEvent], output: Bool) -> [LLMMessage] {
        events.compactMap { event in
            let name = event.name
            if output {
                guard name == "gen_ai.choice" else { return nil }
                if let raw = event.attributes.firstString("message"), let v = JSONValue.parseEmbedded(raw), var m = message(from: v) {
                    if v["role"] == nil { m.role = "assistant" }
                    return m
                }
                return event.attributes.firstString("content").map { LLMMessage(role: "assistant", content: $0) }
            }
            guard name.hasPrefix("gen_ai."), name.hasSuffix(".message") else { return nil }
            let role = String(name.dropFirst(7).dropLast(8))
            return LLMMessage(role: event.attributes.firstString("role") ?? role, content: event.attributes.firstString("content") ?? "")
        }
    }
}
