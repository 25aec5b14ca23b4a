/// The tokens a provider reported for one call, in GenAI terms: input tokens include cached ones.
package struct CallUsage: Sendable, Equatable {
    /// `gen_ai.usage.input_tokens`, cache reads and writes included.
    package var inputTokens: Int64 = 0
    /// `gen_ai.usage.output_tokens`, reasoning included.
    package var outputTokens: Int64 = 0
    /// `gen_ai.usage.cache_read.input_tokens`.
    package var cacheReadTokens: Int64?
    /// `gen_ai.usage.cache_creation.input_tokens`.
    package var cacheCreationTokens: Int64?
    /// `gen_ai.usage.reasoning.output_tokens`.
    package var reasoningTokens: Int64?
    /// False when the provider reported no usage (a stream without `include_usage`, an error).
    package var reported = false

    /// Creates usage.
    package init(inputTokens: Int64 = 0, outputTokens: Int64 = 0, cacheReadTokens: Int64? = nil, cacheCreationTokens: Int64? = nil,
                 reasoningTokens: Int64? = nil, reported: Bool = false) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.cacheReadTokens = cacheReadTokens
        self.cacheCreationTokens = cacheCreationTokens
        self.reasoningTokens = reasoningTokens
        self.reported = reported
    }
}
