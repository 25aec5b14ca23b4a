package import AssayCore

/// Folds a streamed response's events into the body the same call would have returned without
/// streaming, so that one reader (`CallSummary.readResponse`) serves both.
package struct StreamFold: Sendable {
    private let api: ProviderAPI
    // Chat Completions
    private var id: String?
    private var model: String?
    private var choices: [Int: Choice] = [:]
    private var usage: JSONValue?
    // Responses
    private var final: JSONValue?
    // Anthropic
    private var message: [(String, JSONValue)] = []
    private var blocks: [Int: Block] = [:]
    private var stopReason: String?
    private var anthropicUsage: [(String, JSONValue)] = []
    /// The first error event's JSON, when the stream reported one.
    package private(set) var error: JSONValue?
    /// Events seen.
    package private(set) var events = 0

    private struct Choice {
        var role = "assistant"
        var content = ""
        var finishReason: String?
        var calls: [Int: (id: String?, name: String, arguments: String)] = [:]
    }

    private struct Block {
        var type: String
        var text = ""
        var id: String?
        var name: String?
        var json = ""
        var start: JSONValue?
    }

    /// A fold for a stream of `api`.
    package init(_ api: ProviderAPI) { self.api = api }

    /// Takes one event.
    package mutating func add(_ event: ServerSentEvents.Event) {
        guard event.data != "[DONE]", !event.data.isEmpty, let json = try? JSONValue.parse(event.data) else { return }
        events += 1
        if event.name == "error" || json["type"]?.string == "error" || (api != .messages && json["error"] != nil && json["choices"] == nil) {
            if error == nil { error = json["error"] ?? json }
        }
        switch api {
        case .chatCompletions, .embeddings: addChat(json)
        case .responses:
            if let r = json["response"], ["response.completed", "response.incomplete", "response.failed"].contains(json["type"]?.string ?? "") { final = r }
            else if final == nil, json["type"]?.string == "response.created" { final = json["response"] }
        case .messages: addAnthropic(json)
        }
    }

    private mutating func addChat(_ json: JSONValue) {
        if id == nil { id = json["id"]?.string }
        if let m = json["model"]?.string { model = m }
        if let u = json["usage"], !u.isNull { usage = u }
        for c in json["choices"]?.elements ?? [] {
            let index = Int(CallSummary.int(c["index"]))
            var choice = choices[index] ?? Choice()
            let delta = c["delta"]
            if let r = delta?["role"]?.string { choice.role = r }
            if let t = delta?["content"]?.string { choice.content += t }
            for call in delta?["tool_calls"]?.elements ?? [] {
                let i = Int(CallSummary.int(call["index"]))
                var entry = choice.calls[i] ?? (nil, "", "")
                if let id = call["id"]?.string { entry.id = id }
                if let n = call["function"]?["name"]?.string { entry.name += n }
                if let a = call["function"]?["arguments"]?.string { entry.arguments += a }
                choice.calls[i] = entry
            }
            if let f = c["finish_reason"]?.string { choice.finishReason = f }
            choices[index] = choice
        }
    }

    private mutating func addAnthropic(_ json: JSONValue) {
        switch json["type"]?.string {
        case "message_start"?:
            for m in json["message"]?.members ?? [] where m.key != "content" && m.key != "usage" { message.append((m.key, m.value)) }
            for m in json["message"]?["usage"]?.members ?? [] { anthropicUsage.append((m.key, m.value)) }
        case "content_block_start"?:
            let b = json["content_block"]
            blocks[Int(CallSummary.int(json["index"]))] = Block(type: b?["type"]?.string ?? "text", text: b?["text"]?.string ?? "",
                                                                 id: b?["id"]?.string, name: b?["name"]?.string, start: b)
        case "content_block_delta"?:
            let i = Int(CallSummary.int(json["index"]))
            guard var b = blocks[i] else { return }
            let d = json["delta"]
            if let t = d?["text"]?.string { b.text += t }
            if let t = d?["thinking"]?.string { b.text += t }
            if let p = d?["partial_json"]?.string { b.json += p }
            blocks[i] = b
        case "message_delta"?:
            if let r = json["delta"]?["stop_reason"]?.string { stopReason = r }
            for m in json["usage"]?.members ?? [] {
                anthropicUsage.removeAll { $0.0 == m.key }
                anthropicUsage.append((m.key, m.value))
            }
        default: break
        }
    }

    /// The equivalent non-streaming body.
    package var body: JSONValue {
        switch api {
        case .chatCompletions, .embeddings:
            let list = choices.keys.sorted().map { index -> JSONValue in
                let c = choices[index]!
                var message: [(String, JSONValue)] = [("role", .string(c.role)), ("content", c.content.isEmpty && !c.calls.isEmpty ? .null : .string(c.content))]
                if !c.calls.isEmpty {
                    message.append(("tool_calls", .array(c.calls.keys.sorted().map { i in
                        let call = c.calls[i]!
                        return .object([("id", call.id.map(JSONValue.string) ?? .null), ("type", .string("function")),
                                        ("function", .object([("name", .string(call.name)), ("arguments", .string(call.arguments))]))])
                    })))
                }
                return .object([("index", .number(String(index))), ("message", .object(message)),
                                ("finish_reason", c.finishReason.map(JSONValue.string) ?? .null)])
            }
            var members: [(String, JSONValue)] = [("id", id.map(JSONValue.string) ?? .null), ("object", .string("chat.completion")),
                                                  ("model", model.map(JSONValue.string) ?? .null), ("choices", .array(list))]
            if let usage { members.append(("usage", usage)) }
            return .object(members)
        case .responses:
            return final ?? .object([])
        case .messages:
            let content = blocks.keys.sorted().map { i -> JSONValue in
                let b = blocks[i]!
                switch b.type {
                case "tool_use":
                    let input = b.json.isEmpty ? (b.start?["input"] ?? .object([])) : ((try? JSONValue.parse(b.json)) ?? .string(b.json))
                    return .object([("type", .string("tool_use")), ("id", b.id.map(JSONValue.string) ?? .null), ("name", .string(b.name ?? "")), ("input", input)])
                case "thinking": return .object([("type", .string("thinking")), ("thinking", .string(b.text))])
                default: return .object([("type", .string(b.type)), ("text", .string(b.text))])
                }
            }
            var members = message
            members.append(("content", .array(content)))
            members.append(("stop_reason", stopReason.map(JSONValue.string) ?? .null))
            if !anthropicUsage.isEmpty { members.append(("usage", .object(anthropicUsage))) }
            return .object(members)
        }
    }
}
