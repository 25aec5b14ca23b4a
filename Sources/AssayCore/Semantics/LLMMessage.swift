/// One message of an LLM conversation, normalized from any of the conventions.
public struct LLMMessage: Hashable, Sendable {
    /// `system`, `user`, `assistant`, `tool`, ... as the producer named it.
    public var role: String
    /// The text content (text parts joined by newlines); empty when the message only calls tools.
    public var content: String
    /// Tool calls the message makes.
    public var toolCalls: [ToolCall]
    /// For a tool result message, the call it answers.
    public var toolCallID: String?

    /// Creates a message.
    public init(role: String, content: String, toolCalls: [ToolCall] = [], toolCallID: String? = nil) {
        self.role = role
        self.content = content
        self.toolCalls = toolCalls
        self.toolCallID = toolCallID
    }
}

/// A tool call requested by a model.
public struct ToolCall: Hashable, Sendable {
    /// The call id, when given.
    public var id: String?
    /// The tool's name.
    public var name: String
    /// The arguments as the producer sent them (usually a JSON text).
    public var arguments: String

    /// Creates a tool call.
    public init(id: String? = nil, name: String, arguments: String) {
        self.id = id
        self.name = name
        self.arguments = arguments
    }
}

/// A document returned by a retrieval step.
public struct RetrievedDocument: Hashable, Sendable {
    /// The document id, when given.
    public var id: String?
    /// The relevance score, when given.
    public var score: Double?
    /// The document text, when given.
    public var content: String?

    /// Creates a document.
    public init(id: String? = nil, score: Double? = nil, content: String? = nil) {
        self.id = id
        self.score = score
        self.content = content
    }
}
