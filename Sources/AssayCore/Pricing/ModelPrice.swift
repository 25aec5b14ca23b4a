/// One entry of a price table: what a model's tokens cost, in US dollars per token, as LiteLLM's
/// `model_prices_and_context_window.json` gives them (docs/prices.md).
///
/// A price the entry does not give is nil, not 0: cache reads and writes then cost the input price,
/// reasoning tokens the output price, and a missing input or output price leaves the cost unknown.
public struct ModelPrice: Hashable, Sendable {
    /// The entry's key in the table, e.g. `gpt-4o-mini` or `gemini/gemini-2.5-flash`.
    public var key: String
    /// `litellm_provider`: LiteLLM's name of the provider, e.g. `openai`, `vertex_ai-language-models`.
    public var provider: String?
    /// `mode`: `chat`, `embedding`, `completion`, `responses`, ...
    public var mode: String?
    /// `input_cost_per_token`: an input token that is neither read from nor written to a prompt cache.
    public var inputPerToken: Double?
    /// `output_cost_per_token`: an output token (reasoning ones too, unless priced apart).
    public var outputPerToken: Double?
    /// `cache_read_input_token_cost`: an input token read from the provider's prompt cache.
    public var cacheReadPerToken: Double?
    /// `cache_creation_input_token_cost`: an input token written to the provider's prompt cache.
    public var cacheWritePerToken: Double?
    /// `output_cost_per_reasoning_token`: an output token spent on reasoning.
    public var reasoningPerToken: Double?
    /// Where the entry comes from: `pinned` for the table built into Assay, else the override file's path.
    public var source: String

    /// Creates an entry.
    public init(key: String, provider: String? = nil, mode: String? = nil, inputPerToken: Double? = nil, outputPerToken: Double? = nil,
                cacheReadPerToken: Double? = nil, cacheWritePerToken: Double? = nil, reasoningPerToken: Double? = nil,
                source: String = "pinned") {
        self.key = key
        self.provider = provider
        self.mode = mode
        self.inputPerToken = inputPerToken
        self.outputPerToken = outputPerToken
        self.cacheReadPerToken = cacheReadPerToken
        self.cacheWritePerToken = cacheWritePerToken
        self.reasoningPerToken = reasoningPerToken
        self.source = source
    }

    /// Whether the entry prices tokens at all (image, audio and per-request entries do not).
    public var pricesTokens: Bool { inputPerToken != nil || outputPerToken != nil }
}
