/// The tokens one model used within a trace (or one call), by kind: what a price table prices.
///
/// Counts follow the GenAI conventions: `inputTokens` includes the cached ones (`cacheReadTokens` and
/// `cacheWriteTokens` are parts of it), and `outputTokens` includes `reasoningTokens`.
public struct ModelUsage: Hashable, Sendable {
    /// The provider, when a span names one (`gen_ai.provider.name`, `gen_ai.system`, `llm.provider`, `llm.system`).
    public var provider: String?
    /// The model that answered, else the one requested; nil when no span named one.
    public var model: String?
    /// Model calls (chat and embeddings spans) counted.
    public var calls: Int64
    /// Input tokens, cached ones included.
    public var inputTokens: Int64
    /// Output tokens, reasoning ones included.
    public var outputTokens: Int64
    /// Input tokens read from the provider's prompt cache.
    public var cacheReadTokens: Int64
    /// Input tokens written to the provider's prompt cache.
    public var cacheWriteTokens: Int64
    /// Output tokens spent on reasoning.
    public var reasoningTokens: Int64
    /// Calls among `calls` that reported no token counts at all.
    public var callsWithoutUsage: Int64

    /// Creates a usage.
    public init(provider: String? = nil, model: String? = nil, calls: Int64 = 0, inputTokens: Int64 = 0, outputTokens: Int64 = 0,
                cacheReadTokens: Int64 = 0, cacheWriteTokens: Int64 = 0, reasoningTokens: Int64 = 0, callsWithoutUsage: Int64 = 0) {
        self.provider = provider
        self.model = model
        self.calls = calls
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.cacheReadTokens = cacheReadTokens
        self.cacheWriteTokens = cacheWriteTokens
        self.reasoningTokens = reasoningTokens
        self.callsWithoutUsage = callsWithoutUsage
    }

    /// The usage of one model-call span, or nil for a span that is not a model call (chat or embeddings).
    public init?(call s: SpanSummary) {
        guard s.operation == .chat || s.operation == .embeddings else { return nil }
        self.init(provider: s.provider, model: s.model, calls: 1, inputTokens: s.inputTokens ?? 0, outputTokens: s.outputTokens ?? 0,
                  cacheReadTokens: s.cacheReadTokens ?? 0, cacheWriteTokens: s.cacheWriteTokens ?? 0,
                  reasoningTokens: s.reasoningTokens ?? 0,
                  callsWithoutUsage: s.inputTokens == nil && s.outputTokens == nil && s.totalTokens == nil ? 1 : 0)
    }

    /// Whether `other` is for the same provider and model, so that the two add up.
    public func sameModel(as other: ModelUsage) -> Bool { provider == other.provider && model == other.model }

    /// Adds another usage of the same provider and model.
    public mutating func add(_ other: ModelUsage) {
        calls &+= other.calls
        inputTokens &+= other.inputTokens
        outputTokens &+= other.outputTokens
        cacheReadTokens &+= other.cacheReadTokens
        cacheWriteTokens &+= other.cacheWriteTokens
        reasoningTokens &+= other.reasoningTokens
        callsWithoutUsage &+= other.callsWithoutUsage
    }

    /// Merges usages into one per provider and model, ordered by model then provider (nil first).
    public static func merged(_ usages: [ModelUsage]) -> [ModelUsage] {
        var out: [ModelUsage] = []
        for u in usages {
            if let i = out.firstIndex(where: { $0.sameModel(as: u) }) { out[i].add(u) } else { out.append(u) }
        }
        return out.sorted { ($0.model ?? "", $0.provider ?? "") < ($1.model ?? "", $1.provider ?? "") }
    }
}
