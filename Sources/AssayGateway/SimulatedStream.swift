import AssayCore

/// Turns a complete response into the SSE events the provider would have streamed for it.
enum SimulatedStream {
    static func events(_ api: ProviderAPI, body: JSONValue, includeUsage: Bool) -> [String] {
        switch api {
        case .chatCompletions, .embeddings: chat(body, includeUsage: includeUsage)
        case .responses: responses(body)
        case .messages: messages(body)
        }
    }

    static func data(_ v: JSONValue) -> String { "data: \(v.compactJSON)\n\n" }
    static func named(_ name: String, _ v: JSONValue) -> String { "event: \(name)\ndata: \(v.compactJSON)\n\n" }

    /// Text in pieces of a few words, as providers send it.
    static func pieces(_ text: String) -> [String] {
        var out: [String] = []
        var current = ""
        for (i, word) in text.split(separator: " ", omittingEmptySubsequences: false).enumerated() {
            current += (i == 0 ? "" : " ") + word
            if current.count >= 12 { out.append(current); current = "" }
        }
        if !current.isEmpty || out.isEmpty { out.append(current) }
        return out
    }

    static func chat(_ body: JSONValue, includeUsage: Bool) -> [String] {
        let head: [(String, JSONValue)] = [("id", body["id"] ?? .null), ("object", .string("chat.completion.chunk")),
                                            ("created", body["created"] ?? .number("0")), ("model", body["model"] ?? .null)]
        func chunk(_ delta: JSONValue, finish: String? = nil) -> String {
            data(.object(head + [("choices", .array([.object([("index", .number("0")), ("delta", delta),
                                                               ("finish_reason", finish.map(JSONValue.string) ?? .null)])]))]))
        }
        let choice = body["choices"]?.elements?.first
        let message = choice?["message"]
        var out = [chunk(.object([("role", .string("assistant")), ("content", .string(""))]))]
        if let text = message?["content"]?.string {
            out += pieces(text).map { chunk(.object([("content", .string($0))])) }
        }
        for (i, call) in (message?["tool_calls"]?.elements ?? []).enumerated() {
            out.append(chunk(.object([("tool_calls", .array([.object([
                ("index", .number(String(i))), ("id", call["id"] ?? .null), ("type", .string("function")),
                ("function", .object([("name", call["function"]?["name"] ?? .null), ("arguments", .string(""))])),
            ])]))])))
            for piece in pieces(call["function"]?["arguments"]?.string ?? "") {
                out.append(chunk(.object([("tool_calls", .array([.object([("index", .number(String(i))),
                                                                          ("function", .object([("arguments", .string(piece))]))])]))])))
            }
        }
        out.append(chunk(.object([]), finish: choice?["finish_reason"]?.string ?? "stop"))
        if includeUsage, let usage = body["usage"] { out.append(data(.object(head + [("choices", .array([])), ("usage", usage)]))) }
        out.append("data: [DONE]\n\n")
        return out
    }

    static func responses(_ body: JSONValue) -> [String] {
        var sequence = 0
        func event(_ type: String, _ members: [(String, JSONValue)]) -> String {
            defer { sequence += 1 }
            return named(type, .object([("type", .string(type)), ("sequence_number", .number(String(sequence)))] + members))
        }
        let pending = body.members.map { members in JSONValue.object(members.filter { $0.key != "output" && $0.key != "usage" && $0.key != "status" }.map { ($0.key, $0.value) }
                                                                   + [("status", .string("in_progress")), ("output", .array([]))]) } ?? body
        var out = [event("response.created", [("response", pending)]), event("response.in_progress", [("response", pending)])]
        for (index, item) in (body["output"]?.elements ?? []).enumerated() {
            let i = JSONValue.number(String(index))
            out.append(event("response.output_item.added", [("output_index", i), ("item", item)]))
            if item["type"]?.string == "message", let text = item["content"]?.elements?.first?["text"]?.string {
                let itemID = item["id"] ?? .null
                let part0 = JSONValue.object([("type", .string("output_text")), ("text", .string("")), ("annotations", .array([]))])
                out.append(event("response.content_part.added", [("item_id", itemID), ("output_index", i), ("content_index", .number("0")), ("part", part0)]))
                for piece in pieces(text) {
                    out.append(event("response.output_text.delta", [("item_id", itemID), ("output_index", i), ("content_index", .number("0")), ("delta", .string(piece))]))
                }
                out.append(event("response.output_text.done", [("item_id", itemID), ("output_index", i), ("content_index", .number("0")), ("text", .string(text))]))
                out.append(event("response.content_part.done", [("item_id", itemID), ("output_index", i), ("content_index", .number("0")),
                                                                ("part", item["content"]?.elements?.first ?? part0)]))
            } else if item["type"]?.string == "function_call" {
                out.append(event("response.function_call_arguments.delta", [("item_id", item["id"] ?? .null), ("output_index", i), ("delta", item["arguments"] ?? .string(""))]))
                out.append(event("response.function_call_arguments.done", [("item_id", item["id"] ?? .null), ("output_index", i), ("arguments", item["arguments"] ?? .string(""))]))
            }
            out.append(event("response.output_item.done", [("output_index", i), ("item", item)]))
        }
        out.append(event("response.completed", [("response", body)]))
        return out
    }

    static func messages(_ body: JSONValue) -> [String] {
        var start = body.members?.filter { $0.key != "content" && $0.key != "usage" && $0.key != "stop_reason" }.map { ($0.key, $0.value) } ?? []
        let input = body["usage"]?["input_tokens"] ?? .number("0")
        start += [("content", .array([])), ("stop_reason", .null),
                  ("usage", .object([("input_tokens", input), ("output_tokens", .number("1"))]))]
        var out = [named("message_start", .object([("type", .string("message_start")), ("message", .object(start))]))]
        for (index, block) in (body["content"]?.elements ?? []).enumerated() {
            let i = JSONValue.number(String(index))
            if block["type"]?.string == "tool_use" {
                let begin = JSONValue.object([("type", .string("tool_use")), ("id", block["id"] ?? .null), ("name", block["name"] ?? .null), ("input", .object([]))])
                out.append(named("content_block_start", .object([("type", .string("content_block_start")), ("index", i), ("content_block", begin)])))
                for piece in pieces(block["input"]?.compactJSON ?? "{}") {
                    out.append(named("content_block_delta", .object([("type", .string("content_block_delta")), ("index", i),
                                                                     ("delta", .object([("type", .string("input_json_delta")), ("partial_json", .string(piece))]))])))
                }
            } else {
                out.append(named("content_block_start", .object([("type", .string("content_block_start")), ("index", i),
                                                                 ("content_block", .object([("type", .string("text")), ("text", .string(""))]))])))
                for piece in pieces(block["text"]?.string ?? "") {
                    out.append(named("content_block_delta", .object([("type", .string("content_block_delta")), ("index", i),
                                                                     ("delta", .object([("type", .string("text_delta")), ("text", .string(piece))]))])))
                }
            }
            out.append(named("content_block_stop", .object([("type", .string("content_block_stop")), ("index", i)])))
        }
        out.append(named("message_delta", .object([("type", .string("message_delta")),
                                                   ("delta", .object([("stop_reason", body["stop_reason"] ?? .null), ("stop_sequence", .null)])),
                                                   ("usage", .object([("output_tokens", body["usage"]?["output_tokens"] ?? .number("0"))]))])))
        out.append(named("message_stop", .object([("type", .string("message_stop"))])))
        return out
    }
}
