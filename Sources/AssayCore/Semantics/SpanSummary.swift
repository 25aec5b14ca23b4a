/// The cheap, indexable facts about a span derived from its attributes: what it does, which model,
/// how many tokens. Computed at ingest and stored beside the span.
///
/// Sources, in order of preference: OpenTelemetry GenAI (current names, then older ones), OpenInference,
/// OpenLLMetry (shared/reference/formats.md, sections 3 and 4).
public struct SpanSummary: Hashable, Sendable {
    /// What the span does.
    public var operation: SpanOperation
    /// The model provider (`gen_ai.provider.name`, `gen_ai.system`, `llm.provider`, `llm.system`).
    public var provider: String?
    /// The model that answered, else the one requested.
    public var model: String?
    /// Input (prompt) tokens.
    public var inputTokens: Int64?
    /// Output (completion) tokens.
    public var outputTokens: Int64?
    /// Total tokens: as reported, else input plus output.
    public var totalTokens: Int64?
    /// The tool's name, for tool spans.
    public var toolName: String?
    /// The error type (`error.type`, else the type of a recorded exception on a failed span).
    public var errorType: String?
    /// The session or conversation id.
    public var sessionID: String?
    /// The end user's id.
    public var userID: String?

    /// Derives the summary of a span.
    public init(span: Span) {
        let a = span.attributes
        operation = Self.operation(of: span)
        provider = a.firstString("gen_ai.provider.name", "gen_ai.system", "llm.provider", "llm.system")
        model = a.firstString("gen_ai.response.model", "gen_ai.request.model", "llm.model_name", "llm.response.model", "llm.request.model", "embedding.model_name")
        inputTokens = a.firstInt("gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens", "llm.token_count.prompt", "llm.usage.prompt_tokens")
        outputTokens = a.firstInt("gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens", "llm.token_count.completion", "llm.usage.completion_tokens")
        totalTokens = a.firstInt("gen_ai.usage.total_tokens", "llm.token_count.total", "llm.usage.total_tokens")
        if totalTokens == nil, inputTokens != nil || outputTokens != nil {
            totalTokens = (inputTokens ?? 0) &+ (outputTokens ?? 0)
        }
        toolName = a.firstString("gen_ai.tool.name", "tool.name")
        if toolName == nil, operation == .tool {
            toolName = span.name.hasPrefix("execute_tool ") ? String(span.name.dropFirst(13)) : a.firstString("traceloop.entity.name")
        }
        errorType = a.firstString("error.type")
        if errorType == nil, span.status.code == .error {
            errorType = span.events.last(where: { $0.name == "exception" })?.attributes[key: "exception.type"]?.stringValue
        }
        sessionID = a.firstString("session.id", "gen_ai.conversation.id", "traceloop.association.properties.session_id")
        userID = a.firstString("user.id", "enduser.id", "traceloop.association.properties.user_id")
    }

    /// The operation, from the most specific convention present.
    static func operation(of span: Span) -> SpanOperation {
        let a = span.attributes
        if let name = a[key: "gen_ai.operation.name"]?.stringValue, let op = SpanOperation(label: name) { return op }
        if let kind = a[key: "openinference.span.kind"]?.stringValue {
            switch kind.uppercased() {
            case "LLM": return .chat
            case "EMBEDDING": return .embeddings
            case "RETRIEVER", "RERANKER": return .retrieval
            case "TOOL": return .tool
            case "AGENT": return .agent
            case "CHAIN": return .chain
            default: return .other
            }
        }
        if let kind = a[key: "traceloop.span.kind"]?.stringValue {
            switch kind.lowercased() {
            case "workflow", "task": return .chain
            case "agent": return .agent
            case "tool": return .tool
            default: break
            }
        }
        if let type = a[key: "llm.request.type"]?.stringValue {
            return type == "embedding" ? .embeddings : .chat
        }
        if a[key: "gen_ai.tool.name"] != nil || a[key: "tool.name"] != nil { return .tool }
        if a[key: "gen_ai.request.model"] != nil || a[key: "llm.model_name"] != nil || a[key: "gen_ai.system"] != nil { return .chat }
        if a[key: "retrieval.documents.0.document.id"] != nil || a[key: "retrieval.documents.0.document.content"] != nil { return .retrieval }
        return .other
    }
}

extension Array where Element == Attribute {
    /// The first of `keys` present as a non-empty string.
    func firstString(_ keys: String...) -> String? {
        for key in keys {
            if let value = self[key: key] {
                switch value {
                case .string(let s) where !s.isEmpty: return s
                case .string, .empty: continue
                default: return value.displayText
                }
            }
        }
        return nil
    }

    /// The first of `keys` present as an integer.
    func firstInt(_ keys: String...) -> Int64? {
        for key in keys { if let n = self[key: key]?.intValue { return n } }
        return nil
    }
}
