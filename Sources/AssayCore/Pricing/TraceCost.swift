/// What a trace (or one span) cost, over its model usage: the known US dollars, and the model calls
/// that could not be priced (docs/prices.md, "Unknown is not $0").
///
/// It reads `-` with no model calls, `unknown` when any model is unpriced (no model name, no entry,
/// or an entry without the price its tokens need) or when no call reported token counts, and the
/// dollars otherwise. It is never `$0` for a call it could not price.
public struct TraceCost: Hashable, Sendable {
    /// One model's usage and its price.
    public struct Model: Hashable, Sendable {
        /// The usage.
        public var usage: ModelUsage
        /// The entry it matched, and how.
        public var match: PriceMatch?
        /// Its cost at the entry's prices.
        public var cost: UsageCost?
        /// Why it has no price; nil when it has one.
        public var problem: String?

        /// The model's name for a message: the model, else `(no model name)`.
        public var name: String { usage.model.map { DisplayFormat.safe($0, limit: 60) } ?? "(no model name)" }
    }

    /// Each model used, in the usage's order.
    public var models: [Model]
    /// Model calls counted.
    public var calls: Int64
    /// Calls that reported no token counts.
    public var callsWithoutUsage: Int64
    /// Why the usage itself is unknown (a store that kept no per-model usage), when it is.
    public var usageMissing: String?

    /// Prices each model of `usage` with `prices`.
    public init(usage: [ModelUsage], prices: PriceTable) {
        models = usage.map { u in
            guard let model = u.model, !model.trimmingCharacters(in: .whitespaces).isEmpty else {
                return Model(usage: u, problem: "the span names no model")
            }
            guard let match = prices.match(model: model, provider: u.provider) else {
                return Model(usage: u, problem: "no entry for \(DisplayFormat.safe(model, limit: 60)) in the price table")
            }
            guard match.price.pricesTokens else {
                return Model(usage: u, match: match, problem: "entry \(match.key) has no per-token price")
            }
            let cost = UsageCost(usage: u, price: match.price)
            let missing = cost.missingFields
            return Model(usage: u, match: match, cost: cost,
                         problem: missing.isEmpty ? nil : "entry \(match.key) has no \(missing.joined(separator: " or "))")
        }
        calls = usage.reduce(0) { $0 &+ $1.calls }
        callsWithoutUsage = usage.reduce(0) { $0 &+ $1.callsWithoutUsage }
    }

    /// The cost of one span: `-` unless it is a model call.
    public init(span: SpanSummary, prices: PriceTable) {
        self.init(usage: ModelUsage(call: span).map { [$0] } ?? [], prices: prices)
    }

    /// The models that could not be priced.
    public var unpriced: [Model] { models.filter { $0.problem != nil } }

    /// US dollars over the priced models (the known part, when some are not).
    public var knownUSD: Double { models.reduce(0) { $0 + ($1.problem == nil ? $1.cost?.usd ?? 0 : 0) } }

    /// Whether there were model calls at all.
    public var hasModelCalls: Bool { calls > 0 || usageMissing != nil }

    /// True when no call reported token counts: the tokens, so the cost, are unknown.
    public var noTokens: Bool { calls > 0 && callsWithoutUsage >= calls }

    /// The cost when it is known: model calls, every one priced, some token counts.
    public var usd: Double? {
        hasModelCalls && unpriced.isEmpty && !noTokens && usageMissing == nil ? knownUSD : nil
    }

    /// `-`, `unknown` or the dollars: for a table column.
    public var text: String {
        guard hasModelCalls else { return "-" }
        return usd.map(Dollars.text) ?? "unknown"
    }

    /// The cost with its reasons: `$0.0012`, or `unknown (≥ $0.0012; sim-low: no entry for sim-low in
    /// the price table)`; notes calls without token counts.
    public var detail: String {
        guard hasModelCalls else { return "-" }
        var reasons: [String] = []
        if let usageMissing { reasons.append(usageMissing) }
        for m in unpriced { reasons.append(m.usage.model == nil ? m.problem! : "\(m.name): \(m.problem!)") }
        if noTokens { reasons.append(calls == 1 ? "the call reported no token counts" : "no call reported token counts") }
        if let usd {
            let partial = callsWithoutUsage > 0 ? " (\(callsWithoutUsage) of \(calls) calls reported no token counts, not counted)" : ""
            return Dollars.text(usd) + partial
        }
        let known = knownUSD > 0 ? "≥ \(Dollars.text(knownUSD)); " : ""
        return "unknown (\(known)\(reasons.joined(separator: "; ")))"
    }
}
