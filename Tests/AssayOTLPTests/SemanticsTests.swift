import Testing
@testable import AssayCore
import AssayTestSupport

@Suite("Understanding LLM spans across conventions")
struct SemanticsTests {
    @Test("GenAI JSON-string messages: operation, provider, model, tokens, input and output text")
    func genAIStrings() throws {
        let spans = try Fixtures.spans("python-sdk.jsonl").filter { $0.name == "chat gpt-4o-mini" }
        let triage = try #require(spans.first { SpanSummary(span: $0).inputTokens == 412 })
        let s = SpanSummary(span: triage)
        #expect(s.operation == .chat)
        #expect(s.provider == "openai")
        #expect(s.model?.hasPrefix("gpt-4o-mini") == true)
        #expect(s.outputTokens == 38)
        #expect(s.totalTokens == 450)
        let c = SpanContent(span: triage)
        #expect(!c.inputMessages.isEmpty)
        #expect(c.inputMessages.contains { $0.role == "user" && !$0.content.isEmpty })
        #expect(c.outputText?.isEmpty == false)
    }

    @Test("GenAI structured messages with tool calls, tool results and retrieval documents")
    func genAIStructured() throws {
        let spans = try Fixtures.spans("genai-structured.json")
        let chats = spans.filter { SpanSummary(span: $0).operation == .chat }
        #expect(chats.count == 3)
        #expect(chats.contains { SpanContent(span: $0).outputMessages.first?.toolCalls.first?.name == "search_calendar" })
        #expect(chats.contains { SpanContent(span: $0).inputMessages.contains { $0.role == "tool" || $0.toolCallID != nil } })
        #expect(chats.contains { SpanContent(span: $0).systemInstructions?.isEmpty == false })
        let retrieval = try #require(spans.first { SpanSummary(span: $0).operation == .retrieval })
        let docs = SpanContent(span: retrieval).documents
        #expect(!docs.isEmpty && docs.allSatisfy { $0.id != nil && $0.score != nil })
        let tool = try #require(spans.first { SpanSummary(span: $0).operation == .tool })
        #expect(SpanSummary(span: tool).toolName == "search_calendar")
        #expect(SpanContent(span: tool).toolArguments?.isEmpty == false)
        let failed = try #require(spans.first { $0.status.code == .error })
        #expect(SpanSummary(span: failed).errorType == "openai.RateLimitError")
        #expect(spans.contains { SpanSummary(span: $0).operation == .embeddings })
        #expect(spans.contains { SpanSummary(span: $0).operation == .agent && SpanSummary(span: $0).sessionID != nil })
    }

    @Test("OpenInference: span kinds, flattened messages, tool calls, documents, session and user")
    func openInference() throws {
        let spans = try Fixtures.spans("openinference.json")
        let ops = spans.map { SpanSummary(span: $0).operation }
        #expect(Set(ops) == [.agent, .chain, .chat, .embeddings, .retrieval, .tool])
        let llm = try #require(spans.first { SpanSummary(span: $0).operation == .chat && SpanSummary(span: $0).inputTokens == 96 })
        #expect(SpanSummary(span: llm).totalTokens == 110)
        #expect(SpanSummary(span: llm).model?.hasPrefix("gpt-4o-mini") == true)
        #expect(SpanContent(span: llm).inputMessages.count == 2)
        let caller = try #require(spans.first { SpanSummary(span: $0).inputTokens == 142 })
        #expect(SpanContent(span: caller).outputMessages.first?.toolCalls.first?.name.isEmpty == false)
        let retriever = try #require(spans.first { SpanSummary(span: $0).operation == .retrieval })
        #expect(SpanContent(span: retriever).documents.count == 3)
        #expect(spans.allSatisfy { SpanSummary(span: $0).sessionID == "sess_2f8c1e" && SpanSummary(span: $0).userID == "user_sam_keller" })
        let root = try #require(spans.first { $0.parentSpanID == nil })
        #expect(SpanContent(span: root).inputText?.isEmpty == false)
    }

    @Test("OpenLLMetry: older names, indexed prompt keys, event-based content, traceloop kinds")
    func openLLMetry() throws {
        let spans = try Fixtures.spans("openllmetry.json")
        let chats = spans.filter { SpanSummary(span: $0).operation == .chat }
        #expect(chats.count == 3)
        #expect(chats.allSatisfy { SpanSummary(span: $0).provider?.lowercased() == "openai" && SpanSummary(span: $0).inputTokens != nil })
        #expect(chats.allSatisfy { SpanContent(span: $0).inputText?.isEmpty == false })
        #expect(chats.allSatisfy { SpanContent(span: $0).outputText?.isEmpty == false })
        #expect(spans.contains { SpanSummary(span: $0).operation == .tool })
        #expect(spans.contains { SpanSummary(span: $0).operation == .agent })
        #expect(spans.first { $0.parentSpanID == nil }.map { SpanSummary(span: $0).operation } == .chain)
    }

    @Test("a trace rolls up tokens from model calls only, not from an agent span repeating them")
    func rollupNoDoubleCounting() throws {
        let spans = try Fixtures.spans("genai-structured.json")
        let summary = TraceSummary(traceID: spans[0].traceID, spans: spans.map { ($0, SpanSummary(span: $0)) })
        let modelCalls = spans.map { SpanSummary(span: $0) }.filter { $0.operation == .chat || $0.operation == .embeddings }
        #expect(summary.inputTokens == modelCalls.reduce(0) { $0 + ($1.inputTokens ?? 0) })
        #expect(summary.rootName == "invoke_agent email_assistant")
        #expect(summary.spanCount == 7)
        #expect(summary.errorCount == 1)
        #expect(summary.models.contains("gpt-4o") && summary.models.contains("gpt-4o-mini"))
        #expect(summary.sessionID != nil)
    }

    @Test("the earliest parentless span is the root, whatever the arrival order")
    func rootChoice() {
        let late = Span.stub(id: 5, name: "late root", start: 50)
        let early = Span.stub(id: 9, name: "early root", start: 10)
        let child = Span.stub(id: 2, parent: 9, name: "child", start: 20)
        for order in [[late, early, child], [child, early, late], [early, child, late]] {
            var rollup = TraceRollup(traceID: late.traceID)
            for s in order { rollup.add(s, SpanSummary(span: s)) }
            #expect(rollup.summary.rootName == "early root")
            #expect(rollup.summary.startTimeUnixNano == 10)
        }
    }
}
