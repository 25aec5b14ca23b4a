/// The content of an LLM-application span: its input and output as text and as messages, tool
/// arguments and result, retrieved documents. Derived on demand from the raw attributes and events
/// (they stay the source of truth), from whichever convention the producer used.
public struct SpanContent: Hashable, Sendable {
    /// The input as text: `input.value`, else the input messages rendered as text.
    public var inputText: String?
    /// The output as text: `output.value`, else the output messages rendered as text.
    public var outputText: String?
    /// The input messages, when the span is an LLM call that recorded them.
    public var inputMessages: [LLMMessage]
    /// The output messages (choices).
    public var outputMessages: [LLMMessage]
    /// System instructions given separately from the messages.
    public var systemInstructions: String?
    /// A tool span's arguments.
    public var toolArguments: String?
    /// A tool span's result.
    public var toolResult: String?
    /// Documents a retrieval span returned, in rank order.
    public var documents: [RetrievedDocument]

    /// Derives the content of a span.
    public init(span: Span) {
        let a = span.attributes
        inputMessages = MessageExtraction.messages(
            attributes: a, structuredKey: "gen_ai.input.messages",
            flattenedPrefix: "llm.input_messages.", indexedPrefix: "gen_ai.prompt.", events: span.events, output: false)
        outputMessages = MessageExtraction.messages(
            attributes: a, structuredKey: "gen_ai.output.messages",
            flattenedPrefix: "llm.output_messages.", indexedPrefix: "gen_ai.completion.", events: span.events, output: true)
        systemInstructions = a.firstString("gen_ai.system_instructions").map { MessageExtraction.instructionsText($0) }
        inputText = a.firstString("input.value", "traceloop.entity.input", "gen_ai.prompt")
            ?? span.events.first(where: { $0.name == "gen_ai.content.prompt" })?.attributes.firstString("gen_ai.prompt")
            ?? MessageExtraction.text(of: inputMessages)
        outputText = a.firstString("output.value", "traceloop.entity.output", "gen_ai.completion")
            ?? span.events.first(where: { $0.name == "gen_ai.content.completion" })?.attributes.firstString("gen_ai.completion")
            ?? MessageExtraction.text(of: outputMessages)
        toolArguments = a.firstString("gen_ai.tool.call.arguments", "tool_call.function.arguments")
        toolResult = a.firstString("gen_ai.tool.call.result")
        if SpanSummary.operation(of: span) == .tool {
            toolArguments = toolArguments ?? inputText
            toolResult = toolResult ?? outputText
        }
        documents = DocumentExtraction.documents(attributes: a)
    }
}
