/// The provider APIs the gateway speaks, by the path an official client posts to.
package enum ProviderAPI: String, Sendable, CaseIterable {
    /// OpenAI Chat Completions, `POST /v1/chat/completions`.
    case chatCompletions = "chat.completions"
    /// The OpenAI Responses API, `POST /v1/responses`.
    case responses
    /// OpenAI Embeddings, `POST /v1/embeddings`.
    case embeddings
    /// Anthropic Messages, `POST /v1/messages`.
    case messages

    /// The path under the gateway's root.
    package var path: String {
        switch self {
        case .chatCompletions: "/v1/chat/completions"
        case .responses: "/v1/responses"
        case .embeddings: "/v1/embeddings"
        case .messages: "/v1/messages"
        }
    }

    /// The API family: which kind of upstream can answer it.
    package var family: ProviderKind { self == .messages ? .anthropic : .openai }

    /// `gen_ai.operation.name`.
    package var operation: String { self == .embeddings ? "embeddings" : "chat" }
}

/// An upstream's wire protocol.
package enum ProviderKind: String, Sendable {
    /// OpenAI-compatible: Chat Completions, Responses, Embeddings; `Authorization: Bearer`.
    case openai
    /// Anthropic-compatible: Messages; `x-api-key`.
    case anthropic

    /// `gen_ai.provider.name` for an upstream of this kind.
    package var providerName: String { rawValue }
}
