/// What kind of scorer produced a score: a built-in one, a command, the LLM judge, embedding
/// similarity, or a kind this version does not know (read from a newer run), kept by its name.
public enum ScorerKind: Hashable, Sendable, CustomStringConvertible {
    /// A built-in scorer.
    case builtin(BuiltinScorerKind)
    /// A program that reads the case as JSON and answers a score (`kind: command`).
    case command
    /// The LLM judge (`kind: llm_judge`).
    case llmJudge
    /// Embedding similarity (`kind: embedding_similarity`).
    case embeddingSimilarity
    /// A resilience scorer of the suite's `resilience:` section (docs/resilience.md).
    case resilience(ResilienceScorerKind)
    /// A conversation scorer of the suite's `conversation:` section (docs/conversations.md).
    case conversation(ConversationScorerKind)
    /// A kind this version does not know.
    case unknown(String)

    /// The kind named as in scorer files and run records.
    public init(_ name: String) {
        switch name {
        case "command": self = .command
        case "llm_judge": self = .llmJudge
        case "embedding_similarity": self = .embeddingSimilarity
        default: self = BuiltinScorerKind(rawValue: name).map(ScorerKind.builtin)
            ?? ResilienceScorerKind(rawValue: name).map(ScorerKind.resilience)
            ?? ConversationScorerKind(rawValue: name).map(ScorerKind.conversation) ?? .unknown(name)
        }
    }

    /// The kind's name, as in scorer files and run records.
    public var name: String {
        switch self {
        case .builtin(let kind): kind.rawValue
        case .command: "command"
        case .llmJudge: "llm_judge"
        case .embeddingSimilarity: "embedding_similarity"
        case .resilience(let kind): kind.rawValue
        case .conversation(let kind): kind.rawValue
        case .unknown(let name): name
        }
    }

    /// Whether the scorer calls a model (the judge or embeddings), so its scores depend on one.
    public var callsModel: Bool { self == .llmJudge || self == .embeddingSimilarity }

    /// The name.
    public var description: String { name }
}
