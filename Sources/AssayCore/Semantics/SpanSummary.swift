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
    /// Input tokens read from the provider's prompt cache (part of `inputTokens`).
    public var cacheReadTokens: Int64?
    /// Input tokens written to the provider's prompt cache (part of `inputTokens`).
    public var cacheWriteTokens: Int64?
    /// Output tokens spent on reasoning (part of `outputTokens`).
    public var reasoningTokens: Int64?
    /// The tool's name, for tool spans.
    public var toolName: String?
    /// The error type (`error.type`, else the type of a recorded exception on a failed span).
    public var errorType: String?
    /// The session or conversation id.
    public var sessionID: String?
    /// The end user's id.
    public var userID: String?

    /// Derives the summary of a span, in one pass over its attributes.
    public init(span: Span) {
        var found = [AttributeValue?](repeating: nil, count: Field.allCases.count)
        for attribute in span.attributes {
            if let field = Self.fields[attribute.key] { found[field.rawValue] = attribute.value }
        }
        func string(_ fields: Field...) -> String? {
            for f in fields {
                switch found[f.rawValue] {
                case .string(let s)? where !s.isEmpty: return s
                case .string?, .empty?, nil: continue
                case let value?: return value.displayText
                }
            }
            return nil
        }
        /// A token count: the first field present, if it is a plausible count (0 to 10^12), so that
        /// sums over millions of spans cannot overflow.
        func int(_ fields: Field...) -> Int64? {
            for f in fields { if let n = found[f.rawValue]?.intValue { return (0...1_000_000_000_000).contains(n) ? n : nil } }
            return nil
        }
        operation = Self.operation(of: span, found: found)
        provider = string(.providerName, .system, .llmProvider, .llmSystem)
        model = string(.responseModel, .requestModel, .llmModelName, .llmResponseModel, .llmRequestModel, .embeddingModelName)
        inputTokens = int(.inputTokens, .promptTokens, .llmPromptTokens, .llmUsagePromptTokens)
        outputTokens = int(.outputTokens, .completionTokens, .llmCompletionTokens, .llmUsageCompletionTokens)
        totalTokens = int(.totalTokens, .llmTotalTokens, .llmUsageTotalTokens)
        if totalTokens == nil, inputTokens != nil || outputTokens != nil {
            totalTokens = (inputTokens ?? 0) &+ (outputTokens ?? 0)
        }
        cacheReadTokens = int(.cacheReadTokens, .openInferenceCacheRead, .traceloopCacheRead)
        cacheWriteTokens = int(.cacheWriteTokens, .openInferenceCacheWrite, .traceloopCacheWrite)
        reasoningTokens = int(.reasoningTokens, .openInferenceReasoning)
        toolName = string(.toolName, .openInferenceToolName)
        if toolName == nil, operation == .tool {
            toolName = span.name.hasPrefix("execute_tool ") ? String(span.name.dropFirst(13)) : string(.traceloopEntityName)
        }
        errorType = string(.errorType)
        if errorType == nil, span.status.code == .error {
            errorType = span.events.last(where: { $0.name == "exception" })?.attributes[key: "exception.type"]?.stringValue
        }
        sessionID = string(.sessionID, .conversationID, .traceloopSessionID)
        userID = string(.userID, .endUserID, .traceloopUserID)
    }

    /// The attributes the summary reads, by key.
    enum Field: Int, CaseIterable {
        case operationName, openInferenceKind, traceloopKind, llmRequestType
        case providerName, system, llmProvider, llmSystem
        case responseModel, requestModel, llmModelName, llmResponseModel, llmRequestModel, embeddingModelName
        case inputTokens, promptTokens, llmPromptTokens, llmUsagePromptTokens
        case outputTokens, completionTokens, llmCompletionTokens, llmUsageCompletionTokens
        case totalTokens, llmTotalTokens, llmUsageTotalTokens
        case cacheReadTokens, openInferenceCacheRead, traceloopCacheRead
        case cacheWriteTokens, openInferenceCacheWrite, traceloopCacheWrite
        case reasoningTokens, openInferenceReasoning
        case toolName, openInferenceToolName, traceloopEntityName, errorType
        case sessionID, conversationID, traceloopSessionID, userID, endUserID, traceloopUserID
        case firstDocumentID, firstDocumentContent

        var key: String {
            switch self {
            case .operationName: "gen_ai.operation.name"
            case .openInferenceKind: "openinference.span.kind"
            case .traceloopKind: "traceloop.span.kind"
            case .llmRequestType: "llm.request.type"
            case .providerName: "gen_ai.provider.name"
            case .system: "gen_ai.system"
            case .llmProvider: "llm.provider"
            case .llmSystem: "llm.system"
            case .responseModel: "gen_ai.response.model"
            case .requestModel: "gen_ai.request.model"
            case .llmModelName: "llm.model_name"
            case .llmResponseModel: "llm.response.model"
            case .llmRequestModel: "llm.request.model"
            case .embeddingModelName: "embedding.model_name"
            case .inputTokens: "gen_ai.usage.input_tokens"
            case .promptTokens: "gen_ai.usage.prompt_tokens"
            case .llmPromptTokens: "llm.token_count.prompt"
            case .llmUsagePromptTokens: "llm.usage.prompt_tokens"
            case .outputTokens: "gen_ai.usage.output_tokens"
            case .completionTokens: "gen_ai.usage.completion_tokens"
            case .llmCompletionTokens: "llm.token_count.completion"
            case .llmUsageCompletionTokens: "llm.usage.completion_tokens"
            case .totalTokens: "gen_ai.usage.total_tokens"
            case .llmTotalTokens: "llm.token_count.total"
            case .llmUsageTotalTokens: "llm.usage.total_tokens"
            case .cacheReadTokens: "gen_ai.usage.cache_read.input_tokens"
            case .openInferenceCacheRead: "llm.token_count.prompt_details.cache_read"
            case .traceloopCacheRead: "gen_ai.usage.cache_read_input_tokens"
            case .cacheWriteTokens: "gen_ai.usage.cache_creation.input_tokens"
            case .openInferenceCacheWrite: "llm.token_count.prompt_details.cache_write"
            case .traceloopCacheWrite: "gen_ai.usage.cache_creation_input_tokens"
            case .reasoningTokens: "gen_ai.usage.reasoning.output_tokens"
            case .openInferenceReasoning: "llm.token_count.completion_details.reasoning"
            case .toolName: "gen_ai.tool.name"
            case .openInferenceToolName: "tool.name"
            case .traceloopEntityName: "traceloop.entity.name"
            case .errorType: "error.type"
            case .sessionID: "session.id"
            case .conversationID: "gen_ai.conversation.id"
            case .traceloopSessionID: "traceloop.association.properties.session_id"
            case .userID: "user.id"
            case .endUserID: "enduser.id"
            case .traceloopUserID: "traceloop.association.properties.user_id"
            case .firstDocumentID: "retrieval.documents.0.document.id"
            case .firstDocumentContent: "retrieval.documents.0.document.content"
            }
        }
    }

    private static let fields: [String: Field] = Dictionary(uniqueKeysWithValues: Field.allCases.map { ($0.key, $0) })

    /// The operation, from the most specific convention present.
    static func operation(of span: Span) -> SpanOperation {
        var found = [AttributeValue?](repeating: nil, count: Field.allCases.count)
        for attribute in span.attributes {
            if let field = fields[attribute.key] { found[field.rawValue] = attribute.value }
        }
        return operation(of: span, found: found)
    }

    private static func operation(of span: Span, found: [AttributeValue?]) -> SpanOperation {
        func text(_ f: Field) -> String? { found[f.rawValue]?.stringValue }
        if let name = text(.operationName), let op = SpanOperation(label: name) { return op }
        if let kind = text(.openInferenceKind) {
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
        if let kind = text(.traceloopKind) {
            switch kind.lowercased() {
            case "workflow", "task": return .chain
            case "agent": return .agent
            case "tool": return .tool
            default: break
            }
        }
        if let type = text(.llmRequestType) { return type == "embedding" ? .embeddings : .chat }
        if found[Field.toolName.rawValue] != nil || found[Field.openInferenceToolName.rawValue] != nil { return .tool }
        if found[Field.requestModel.rawValue] != nil || found[Field.llmModelName.rawValue] != nil || found[Field.system.rawValue] != nil {
            return .chat
        }
        if found[Field.firstDocumentID.rawValue] != nil || found[Field.firstDocumentContent.rawValue] != nil { return .retrieval }
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
