import AssayCore
import AssayGateway
import Foundation
import Logging

/// The run's model gateway: built from the suite, started beside the run's collector and stopped with
/// it, it hands each agent the variables the OpenAI and Anthropic SDKs read (docs/gateway.md).
final class RunGateway: @unchecked Sendable {
    let gateway: Gateway
    let tiers: [String: GatewayTier]
    /// Real key variables the agents must not see.
    let hiddenVariables: Set<String>
    let mode: CacheMode

    private init(gateway: Gateway, tiers: [String: GatewayTier], hiddenVariables: Set<String>, mode: CacheMode) {
        self.gateway = gateway
        self.tiers = tiers
        self.hiddenVariables = hiddenVariables
        self.mode = mode
    }

    /// The gateway of a suite, or nil when it is off: `gateway.enabled: false`, or no tier names an
    /// upstream (or a `sim-*` model) and the suite does not turn it on. A missing key variable is an
    /// error here, before any cell runs.
    static func make(_ suite: Suite, cacheMode: CacheMode?, spentUSD: Double, environment: [String: String]) throws -> RunGateway? {
        let wanted = suite.gateway.enabled ?? suite.tiers.contains { $0.upstream != nil }
        guard wanted else { return nil }
        var c = GatewayConfiguration()
        for t in suite.tiers {
            c.tiers[t.info.name] = GatewayTier(name: t.info.name, model: t.info.model, embeddingModel: t.embeddingModel, upstream: t.upstream ?? .none,
                                               inputPricePerMillion: t.info.inputPricePerMillion, outputPricePerMillion: t.info.outputPricePerMillion)
        }
        c.rewriteModel = suite.gateway.rewriteModel
        c.cacheMode = cacheMode ?? suite.gateway.cacheMode
        c.cacheFolder = suite.gateway.cacheFolder
        c.budgetUSD = suite.budgetUSD
        c.spentUSD = spentUSD
        c.maxCallsPerCell = suite.gateway.maxCallsPerCell
        c.maxCostPerCellUSD = suite.gateway.maxCostPerCellUSD
        c.upstreamTimeoutSeconds = suite.gateway.timeoutSeconds
        do { try c.readKeys(from: environment) } catch { throw RunnerError.gateway("\(suite.path): \(error.description)") }
        var logger = Logger(label: "assay.runner.gateway")
        logger.logLevel = .error
        // Real keys stay out of the agents' environment; so do the variables that could route around the gateway.
        let hidden = Set(c.tiers.values.compactMap(\.upstream.keyVariable)).union(["ANTHROPIC_AUTH_TOKEN", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID"])
        return RunGateway(gateway: Gateway(configuration: c, logger: logger), tiers: c.tiers, hiddenVariables: hidden, mode: c.cacheMode)
    }

    func start() async throws {
        do { try await gateway.start() } catch { throw RunnerError.gateway("the model gateway cannot start: \(error)") }
    }

    func stop() async { await gateway.stop() }

    /// The variables an agent using `slot` gets: the SDKs' base URLs, and the slot's key as both keys.
    func environment(_ slot: GatewaySlot) -> [String: String] {
        // OPENAI_API_BASE too: LangChain reads it before OPENAI_BASE_URL.
        // ANTHROPIC_API_URL (LangChain) and ANTHROPIC_API_BASE (LiteLLM) are read before ANTHROPIC_BASE_URL.
        ["OPENAI_BASE_URL": gateway.openAIBaseURL, "OPENAI_API_BASE": gateway.openAIBaseURL, "OPENAI_API_KEY": slot.token,
         "ANTHROPIC_BASE_URL": gateway.anthropicBaseURL, "ANTHROPIC_API_URL": gateway.anthropicBaseURL,
         "ANTHROPIC_API_BASE": gateway.anthropicBaseURL, "ANTHROPIC_API_KEY": slot.token,
         "ASSAY_GATEWAY_URL": gateway.anthropicBaseURL]
    }

    /// A cell's account.
    func cell(_ key: CellKey) -> GatewayCell? {
        tiers[key.tier].map { GatewayCell(label: "\(key.example)/\(key.tier)#\(key.repeatIndex)", tier: $0) }
    }
}
