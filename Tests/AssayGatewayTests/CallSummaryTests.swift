@testable import AssayGateway
@testable import AssayCore
import Testing

@Suite("Provider requests and responses in GenAI terms")
struct CallSummaryTests {
    @Test("Anthropic's cache reads and writes are counted in the input tokens, as GenAI counts them")
    func anthropicInputIncludesCache() throws {
        var s = CallSummary()
        s.readResponse(.messages, try JSONValue.parse(#"{"id":"msg_1","model":"claude-x","role":"assistant","content":[{"type":"text","text":"hi"}],"stop_reason":"end_turn","usage":{"input_tokens":10,"output_tokens":3,"cache_read_input_tokens":100,"cache_creation_input_tokens":5}}"#))
        #expect(s.usage == CallUsage(inputTokens: 115, outputTokens: 3, cacheReadTokens: 100, cacheCreationTokens: 5, reported: true))
        #expect(s.finishReasons == ["end_turn"])
        #expect(s.responseModel == "claude-x")
    }

    @Test("tool calls and tool results become tool_call and tool_call_response parts, arguments as objects")
    func toolCallsBecomeParts() throws {
        var s = CallSummary()
        s.readRequest(.chatCompletions, try JSONValue.parse(#"{"messages":[{"role":"user","content":"q"},{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"lookup","arguments":"{\"query\":\"q\"}"}}]},{"role":"tool","tool_call_id":"c1","content":"found"}],"tools":[{"type":"function","function":{"name":"lookup"}}]}"#))
        #expect(s.inputMessages.count == 3)
        let call = try #require(s.inputMessages[1]["parts"]?.elements?.first)
        #expect(call["type"]?.string == "tool_call" && call["name"]?.string == "lookup" && call["arguments"]?["query"]?.string == "q")
        let result = try #require(s.inputMessages[2]["parts"]?.elements?.first)
        #expect(result["type"]?.string == "tool_call_response" && result["id"]?.string == "c1" && result["response"]?.string == "found")
        #expect(s.toolDefinitions != nil)
        // The core reads them back as messages with tool calls.
        let messages = s.inputMessages.compactMap(MessageExtraction.message(from:))
        #expect(messages[1].toolCalls == [ToolCall(id: "c1", name: "lookup", arguments: #"{"query":"q"}"#)])
    }

    @Test("a Responses API function call is a tool call, and its status a finish reason")
    func responsesFunctionCall() throws {
        var s = CallSummary()
        s.readResponse(.responses, try JSONValue.parse(#"{"id":"resp_1","model":"gpt-x","status":"completed","output":[{"type":"function_call","call_id":"c9","name":"lookup","arguments":"{}"}],"usage":{"input_tokens":7,"output_tokens":2,"input_tokens_details":{"cached_tokens":4},"output_tokens_details":{"reasoning_tokens":1}}}"#))
        #expect(s.finishReasons == ["tool_call"])
        #expect(s.usage == CallUsage(inputTokens: 7, outputTokens: 2, cacheReadTokens: 4, reasoningTokens: 1, reported: true))
        #expect(s.outputMessages.first?["parts"]?.elements?.first?["name"]?.string == "lookup")
    }
}
