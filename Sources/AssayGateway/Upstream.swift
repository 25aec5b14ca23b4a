/// Where a tier's model calls go: a real provider (OpenAI- or Anthropic-compatible) or the simulated
/// one that answers `sim-*` models with no network.
package struct Upstream: Sendable, Equatable {
    /// The upstream's protocol; nil for the simulated provider.
    package var kind: ProviderKind?
    /// The base URL, as the SDK's base-URL variable takes it: `https://api.openai.com/v1` for OpenAI
    /// (paths such as `/chat/completions` are appended), `https://api.anthropic.com` for Anthropic
    /// (`/v1/messages` is appended).
    package var baseURL: String
    /// The environment variable that holds the real key; nil when the upstream needs none.
    package var keyVariable: String?

    /// Creates an upstream.
    package init(kind: ProviderKind?, baseURL: String, keyVariable: String?) {
        self.kind = kind
        self.baseURL = baseURL
        self.keyVariable = keyVariable
    }

    /// The simulated provider (docs/gateway.md, "The simulated provider").
    package static let simulated = Upstream(kind: nil, baseURL: "sim://", keyVariable: nil)

    /// No upstream: a tier whose model is not `sim-*` and that names none. Its calls are refused.
    package static let none = Upstream(kind: nil, baseURL: "", keyVariable: nil)

    /// True for the simulated provider.
    package var isSimulated: Bool { kind == nil && baseURL == "sim://" }

    /// The URL a request for `api` goes to.
    package func url(for api: ProviderAPI) -> String {
        let base = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        switch api {
        case .messages: return base + (base.hasSuffix("/v1") ? "" : "/v1") + "/messages"
        case .chatCompletions: return base + "/chat/completions"
        case .responses: return base + "/responses"
        case .embeddings: return base + "/embeddings"
        }
    }

    /// The default base URL of a kind.
    package static func defaultBaseURL(_ kind: ProviderKind) -> String {
        kind == .openai ? "https://api.openai.com/v1" : "https://api.anthropic.com"
    }

    /// The default key variable of a kind.
    package static func defaultKeyVariable(_ kind: ProviderKind) -> String {
        kind == .openai ? "OPENAI_API_KEY" : "ANTHROPIC_API_KEY"
    }

    /// `host:port` of the base URL, for `server.address` and messages.
    package var hostAndPort: (host: String, port: Int?) {
        var rest = Substring(baseURL)
        if let r = rest.range(of: "://") { rest = rest[r.upperBound...] }
        let authority = rest.prefix { $0 != "/" }
        if let colon = authority.lastIndex(of: ":"), let port = Int(authority[authority.index(after: colon)...]) {
            return (String(authority[..<colon]), port)
        }
        return (String(authority), nil)
    }
}

/// One tier as the gateway sees it: the model its calls are rewritten to, its upstream and prices.
package struct GatewayTier: Sendable {
    /// The tier's name (`low`, `mid`, ...).
    package var name: String
    /// The model sent upstream.
    package var model: String
    /// The model embedding calls are rewritten to; nil: embedding calls keep the agent's model.
    package var embeddingModel: String?
    /// Where calls go.
    package var upstream: Upstream
    /// US dollars per million input tokens.
    package var inputPricePerMillion: Double
    /// US dollars per million output tokens.
    package var outputPricePerMillion: Double
    /// False when neither the suite nor the price table prices the model: calls then have no cost
    /// (nil, not 0) and spend nothing from the budget (docs/prices.md, "Runs").
    package var priced = true

    /// Creates a tier.
    package init(name: String, model: String, embeddingModel: String? = nil, upstream: Upstream,
                 inputPricePerMillion: Double, outputPricePerMillion: Double) {
        self.name = name
        self.model = model
        self.embeddingModel = embeddingModel
        self.upstream = upstream
        self.inputPricePerMillion = inputPricePerMillion
        self.outputPricePerMillion = outputPricePerMillion
    }

    /// The cost of a call, US dollars; nil when the tier is not priced.
    package func cost(_ usage: CallUsage) -> Double? {
        guard priced else { return nil }
        return (Double(usage.inputTokens) * inputPricePerMillion + Double(usage.outputTokens) * outputPricePerMillion) / 1_000_000
    }
}
