import AssayCore
import Foundation

/// One model call of the thread assistant: the system instructions, the chat messages (OpenAI Chat
/// Completions shape: `user`, `assistant` with optional `tool_calls`, `tool`), and what each simulated
/// model answers.
struct ModelCall: Sendable {
    var instructions: String
    var messages: [JSONValue]
    /// The answer of each tier's simulated model.
    var answers: [Tier: String]
    var temperature: Double
}

/// Where the thread assistant's model calls go: through the run's model gateway (`--gateway`), which
/// records each call as a span with the provider's token counts, or simulated in process, recording
/// the chat span itself with the simulated provider's token count (words, plus one a message).
enum ModelRoute: Sendable {
    /// Through the gateway; `tier` is the runner's, for a model that is not a `sim-*` one.
    case gateway(GatewayChat, tier: Tier)
    /// Simulated in process at the tier's quality.
    case local(model: String, tier: Tier)

    /// Makes the call under the span `parent`; answers the text and the tier of the model that answered.
    func complete(_ call: ModelCall, parent: SpanID, tracer: inout Tracer) throws(AgentError) -> (text: String, tier: Tier) {
        switch self {
        case .gateway(let chat, let tier):
            let answers = Dictionary(uniqueKeysWithValues: call.answers.map { ("sim-" + $0.key.rawValue, $0.value) })
            let answer = try chat.complete(instructions: call.instructions, chatMessages: call.messages, answers: answers,
                                           temperature: call.temperature, traceparent: "00-\(tracer.traceID)-\(parent)-01")
            return (answer.text, Tier.quality(model: answer.model, tier: tier))
        case .local(let model, let tier):
            let text = call.answers[tier] ?? ""
            let responseID = "chatcmpl-\(tracer.newSpanID())"
            tracer.span("chat \(model)", kind: .client, parent: parent) { _, _ in
                sleepMillis(tier.llmLatencyMillis)
                let input = JSONValue.array(call.messages.map(Self.genAIMessage))
                let output = JSONValue.array([EmailAssistant.message(role: "assistant", text: text, finishReason: "stop")])
                let inputTokens = Self.words(call.instructions) + 1 + call.messages.reduce(0) { $0 + Self.words(Self.text(of: $1)) + 1 }
                return ((), [
                    Attribute("gen_ai.operation.name", .string("chat")),
                    Attribute("gen_ai.provider.name", .string("openai")),
                    Attribute("gen_ai.request.model", .string(model)),
                    Attribute("gen_ai.request.temperature", .double(call.temperature)),
                    Attribute("gen_ai.response.model", .string(model)),
                    Attribute("gen_ai.response.id", .string(responseID)),
                    Attribute("gen_ai.response.finish_reasons", .array([.string("stop")])),
                    Attribute("gen_ai.usage.input_tokens", .int(Int64(inputTokens))),
                    Attribute("gen_ai.usage.output_tokens", .int(Int64(max(1, Self.words(text))))),
                    Attribute("gen_ai.system_instructions", .string(JSONValue.array([
                        .object([("type", .string("text")), ("content", .string(call.instructions))]),
                    ]).compactJSON)),
                    Attribute("gen_ai.input.messages", .string(input.compactJSON)),
                    Attribute("gen_ai.output.messages", .string(output.compactJSON)),
                ])
            }
            return (text, tier)
        }
    }

    /// Words, as the simulated provider counts tokens.
    static func words(_ text: String) -> Int { text.split { $0 == " " || $0 == "\n" || $0 == "\t" }.count }

    /// A Chat Completions message's text: its content, tool arguments and results.
    static func text(of message: JSONValue) -> String {
        var parts = [message["content"]?.string].compactMap { $0 }
        for call in message["tool_calls"]?.elements ?? [] { parts.append(call["function"]?["arguments"]?.string ?? "") }
        return parts.joined(separator: " ")
    }

    /// A Chat Completions message in the GenAI conventions' `{role, parts}` shape.
    static func genAIMessage(_ message: JSONValue) -> JSONValue {
        let role = message["role"]?.string ?? "user"
        var parts: [JSONValue] = []
        if role == "tool" {
            parts.append(.object([("type", .string("tool_call_response")), ("id", message["tool_call_id"] ?? .null),
                                  ("response", message["content"] ?? .null)]))
        } else {
            if let content = message["content"]?.string { parts.append(.object([("type", .string("text")), ("content", .string(content))])) }
            for call in message["tool_calls"]?.elements ?? [] {
                parts.append(.object([("type", .string("tool_call")), ("id", call["id"] ?? .null),
                                      ("name", call["function"]?["name"] ?? .null),
                                      ("arguments", EmailAssistant.parse(call["function"]?["arguments"]?.string ?? "{}"))]))
            }
        }
        return .object([("role", .string(role)), ("parts", .array(parts))])
    }
}
