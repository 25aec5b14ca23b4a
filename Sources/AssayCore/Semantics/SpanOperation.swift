/// What an LLM-application span does, derived from the GenAI, OpenInference or OpenLLMetry attributes.
public enum SpanOperation: Int, Sendable, CaseIterable, Hashable {
    /// Anything not recognised as one of the others.
    case other = 0
    /// An agent invocation (`invoke_agent`, OpenInference `AGENT`).
    case agent = 1
    /// A call to a language model: chat, text completion, content generation (OpenInference `LLM`).
    case chat = 2
    /// An embeddings call.
    case embeddings = 3
    /// Retrieval or reranking of documents.
    case retrieval = 4
    /// A tool execution.
    case tool = 5
    /// A chain, workflow or task step that groups others.
    case chain = 6

    /// The name used on the command line and in output.
    public var label: String {
        switch self {
        case .other: "other"
        case .agent: "agent"
        case .chat: "chat"
        case .embeddings: "embeddings"
        case .retrieval: "retrieval"
        case .tool: "tool"
        case .chain: "chain"
        }
    }

    /// Parses a label or a common synonym (`llm`, `execute_tool`, `retriever`, `workflow`, ...).
    public init?(label: String) {
        switch label.lowercased() {
        case "other": self = .other
        case "agent", "invoke_agent", "create_agent": self = .agent
        case "chat", "llm", "text_completion", "generate_content", "completion": self = .chat
        case "embeddings", "embedding": self = .embeddings
        case "retrieval", "retriever", "reranker": self = .retrieval
        case "tool", "execute_tool": self = .tool
        case "chain", "workflow", "invoke_workflow", "task": self = .chain
        default: return nil
        }
    }

    /// This operation's bit in a set of operations stored as an integer mask.
    public var bit: Int64 { 1 << Int64(rawValue) }

    /// The operations whose bits are set in `mask`.
    public static func decode(mask: Int64) -> [SpanOperation] { allCases.filter { mask & $0.bit != 0 } }
}
