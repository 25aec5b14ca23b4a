/// How the gateway runs: the tiers it routes, the cache, the guard's limits.
package struct GatewayConfiguration: Sendable {
    /// The tiers by name.
    package var tiers: [String: GatewayTier] = [:]
    /// The HTTP tools the tool proxy serves, by name.
    package var tools: [String: ToolEndpoint] = [:]
    /// Replace the request's model with the tier's (on by default).
    package var rewriteModel = true
    /// The cache mode.
    package var cacheMode: CacheMode = .off
    /// The cache's folder.
    package var cacheFolder = "llm-cache"
    /// The run's budget, US dollars.
    package var budgetUSD: Double?
    /// What the run spent before (a resumed run).
    package var spentUSD = 0.0
    /// At most this many model calls per cell.
    package var maxCallsPerCell: Int?
    /// At most this much per cell, US dollars.
    package var maxCostPerCellUSD: Double?
    /// An upstream call's time limit.
    package var upstreamTimeoutSeconds = 600.0
    /// How long connecting to an upstream is retried before the call fails as unreachable.
    package var connectTimeoutSeconds = 10.0
    /// The real keys, by variable name, read from the environment when the gateway is made.
    package var keys: [String: String] = [:]

    /// A configuration with the defaults.
    package init() {}

    /// Reads every tier's key variable from `environment`. A variable that is not set is an error,
    /// unless the run only replays (it never reaches a provider).
    package mutating func readKeys(from environment: [String: String]) throws(GatewayError) {
        for tier in tiers.values.sorted(by: { $0.name < $1.name }) {
            guard let variable = tier.upstream.keyVariable else { continue }
            if let value = environment[variable], !value.isEmpty { keys[variable] = value }
            else if cacheMode != .replay { throw .missingKey(tier: tier.name, variable: variable) }
        }
    }
}

/// What the gateway did so far: calls, replays, recordings and refusals.
package struct GatewayStats: Sendable, Equatable, Codable {
    /// Model calls the agents made through the gateway.
    package var calls = 0
    /// Of which answered from the cache.
    package var replayed = 0
    /// Of which recorded into the cache.
    package var recorded = 0
    /// Recordings that could not be written (each is logged with its reason).
    package var recordFailures = 0
    /// Calls refused because the cache had no recording (replay mode).
    package var replayMisses = 0
    /// Model calls a fault plan hit.
    package var faults = 0
    /// Tool requests through the tool proxy (refusals and the crash's 503 not included).
    package var toolCalls = 0
    /// Of which a fault plan hit.
    package var toolFaults = 0
    /// Calls refused by the cost guard.
    package var guardStops = 0
    /// Calls that failed upstream (an error status or no connection).
    package var upstreamErrors = 0

    /// Empty stats.
    package init() {}
}
