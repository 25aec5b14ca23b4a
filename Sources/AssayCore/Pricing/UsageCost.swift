/// The cost of one model's usage at an entry's prices, part by part (docs/prices.md, "Cost").
///
/// Input tokens include the cached ones and output tokens the reasoning ones (the GenAI convention),
/// so the parts are: uncached input (input − cache reads − cache writes, never below 0) at the input
/// price; cache reads and cache writes at their prices, else the input price; output − reasoning
/// (never below 0) at the output price; reasoning at its price, else the output price.
public struct UsageCost: Hashable, Sendable {
    /// A kind of token.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        case input, cacheRead = "cache read", cacheWrite = "cache write", output, reasoning
    }

    /// One kind of token and what it costs.
    public struct Part: Hashable, Sendable {
        /// The kind.
        public var kind: Kind
        /// Tokens of this kind.
        public var tokens: Int64
        /// US dollars per token; nil when neither the entry nor its fallback gives a price.
        public var perToken: Double?
        /// The LiteLLM field the price comes from (`input_cost_per_token` when a cache price falls back to it).
        public var field: String
        /// True when the entry has no price of its own for this kind and the fallback applies.
        public var isFallback: Bool
        /// `tokens × perToken`; nil without a price.
        public var usd: Double? { perToken.map { Double(tokens) * $0 } }
    }

    /// The parts with tokens, in `Kind` order.
    public var parts: [Part]

    /// Prices `usage` at `price`.
    public init(usage: ModelUsage, price: ModelPrice) {
        let read = max(0, usage.cacheReadTokens), write = max(0, usage.cacheWriteTokens)
        let cached = read > Int64.max - write ? Int64.max : read + write
        let input = max(0, usage.inputTokens), output = max(0, usage.outputTokens), reasoning = max(0, usage.reasoningTokens)
        parts = Self.prices(price).compactMap { kind, perToken, field, isFallback in
            let tokens: Int64 = switch kind {
            case .input: input > cached ? input - cached : 0
            case .cacheRead: read
            case .cacheWrite: write
            case .output: output > reasoning ? output - reasoning : 0
            case .reasoning: reasoning
            }
            return tokens > 0 ? Part(kind: kind, tokens: tokens, perToken: perToken, field: field, isFallback: isFallback) : nil
        }
    }

    /// The price of each kind of token under an entry, with the field it comes from and whether it is
    /// a fallback: what `assay prices show` lists.
    public static func prices(_ p: ModelPrice) -> [(kind: Kind, perToken: Double?, field: String, isFallback: Bool)] {
        func own(_ value: Double?, _ field: String, else fallback: Double?, _ fallbackField: String) -> (Double?, String, Bool) {
            value != nil ? (value, field, false) : (fallback, fallbackField, true)
        }
        let read = own(p.cacheReadPerToken, "cache_read_input_token_cost", else: p.inputPerToken, "input_cost_per_token")
        let write = own(p.cacheWritePerToken, "cache_creation_input_token_cost", else: p.inputPerToken, "input_cost_per_token")
        let reasoning = own(p.reasoningPerToken, "output_cost_per_reasoning_token", else: p.outputPerToken, "output_cost_per_token")
        return [(.input, p.inputPerToken, "input_cost_per_token", false), (.cacheRead, read.0, read.1, read.2),
                (.cacheWrite, write.0, write.1, write.2), (.output, p.outputPerToken, "output_cost_per_token", false),
                (.reasoning, reasoning.0, reasoning.1, reasoning.2)]
    }

    /// The US dollars of the parts that have a price.
    public var usd: Double { parts.reduce(0) { $0 + ($1.usd ?? 0) } }

    /// The LiteLLM fields the usage needs but the entry does not give: while there is one, the cost is unknown.
    public var missingFields: [String] {
        var out: [String] = []
        for p in parts where p.perToken == nil && !out.contains(p.field) { out.append(p.field) }
        return out
    }

    /// Notes on fallbacks used: `cache read at the input price (the entry has no cache_read_input_token_cost)`.
    public var fallbackNotes: [String] {
        parts.filter { $0.isFallback && $0.perToken != nil }.map { p in
            let own = p.kind == .reasoning ? "output_cost_per_reasoning_token" : p.kind == .cacheRead ? "cache_read_input_token_cost" : "cache_creation_input_token_cost"
            return "\(p.kind.rawValue) at the \(p.kind == .reasoning ? "output" : "input") price (the entry has no \(own))"
        }
    }
}
