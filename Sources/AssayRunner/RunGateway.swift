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
    /// Whether the agents' model calls go through it (a tier names an upstream or a `sim-*` model, or
    /// the suite turns it on); it may run for the tool proxy alone.
    let routesModels: Bool
    /// The fault plans by name.
    let plans: [String: FaultPlan]
    /// The proxied tools.
    let tools: [SuiteFaults.Tool]

    private init(gateway: Gateway, tiers: [String: GatewayTier], hiddenVariables: Set<String>, mode: CacheMode, routesModels: Bool,
                 plans: [String: FaultPlan], tools: [SuiteFaults.Tool]) {
        self.gateway = gateway
        self.tiers = tiers
        self.hiddenVariables = hiddenVariables
        self.mode = mode
        self.routesModels = routesModels
        self.plans = plans
        self.tools = tools
    }

    /// The gateway of a suite, or nil when it is off: `gateway.enabled: false`, or no tier names an
    /// upstream (or a `sim-*` model) and the suite does not turn it on. A missing key variable is an
    /// error here, before any cell runs.
    static func make(_ suite: Suite, plans: [FaultPlan] = [], cacheMode: CacheMode?, spentUSD: Double, environment: [String: String]) throws -> RunGateway? {
        let routesModels = suite.gateway.enabled ?? suite.tiers.contains { $0.upstream != nil }
        // A fault on model calls needs them to go through the gateway: say so rather than run a plan that injects nothing.
        if !routesModels, let plan = plans.first(where: { p in p.injections.contains { $0.target == .model } || p.crash?.after == .model }) {
            throw RunnerError.gateway("\(suite.path): fault plan \(plan.name) acts on model calls, but they do not go through the model gateway: "
                                      + "give the tiers an upstream or sim-* models (docs/gateway.md), or set gateway.enabled: true")
        }
        guard routesModels || !suite.faults.tools.isEmpty else { return nil }
        var c = GatewayConfiguration()
        for t in suite.tiers {
            c.tiers[t.info.name] = GatewayTier(name: t.info.name, model: t.info.model, embeddingModel: t.embeddingModel, upstream: t.upstream ?? .none,
                                               inputPricePerMillion: t.info.inputPricePerMillion, outputPricePerMillion: t.info.outputPricePerMillion)
            c.tiers[t.info.name]?.priced = t.info.costKnown
        }
        c.rewriteModel = suite.gateway.rewriteModel
        c.cacheMode = cacheMode ?? suite.gateway.cacheMode
        c.cacheFolder = suite.gateway.cacheFolder
        c.budgetUSD = suite.budgetUSD
        c.spentUSD = spentUSD
        c.maxCallsPerCell = suite.gateway.maxCallsPerCell
        c.maxCostPerCellUSD = suite.gateway.maxCostPerCellUSD
        c.upstreamTimeoutSeconds = suite.gateway.timeoutSeconds
        for t in suite.faults.tools { c.tools[t.name] = t.endpoint }
        do { try c.readKeys(from: environment) } catch { throw RunnerError.gateway("\(suite.path): \(error.description)") }
        var logger = Logger(label: "assay.runner.gateway")
        logger.logLevel = .error
        // Real keys stay out of the agents' environment; so do the variables that could route around the gateway.
        let hidden = Set(c.tiers.values.compactMap(\.upstream.keyVariable)).union(["ANTHROPIC_AUTH_TOKEN", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID"])
        return RunGateway(gateway: Gateway(configuration: c, logger: logger), tiers: c.tiers, hiddenVariables: routesModels ? hidden : [],
                          mode: c.cacheMode, routesModels: routesModels, plans: Dictionary(uniqueKeysWithValues: plans.map { ($0.name, $0) }),
                          tools: suite.faults.tools)
    }

    func start() async throws {
        do { try await gateway.start() } catch { throw RunnerError.gateway("the model gateway cannot start: \(error)") }
    }

    func stop() async { await gateway.stop() }

    /// The variables an agent using `slot` gets: the SDKs' base URLs, and the slot's key as both keys.
    func environment(_ slot: GatewaySlot) -> [String: String] {
        var env: [String: String] = [:]
        for t in tools { env[t.environmentVariable] = gateway.toolURL(slot, tool: t.name) }
        guard routesModels else { return env }
        return env.merging(modelEnvironment(slot)) { $1 }
    }

    private func modelEnvironment(_ slot: GatewaySlot) -> [String: String] {
        // OPENAI_API_BASE too: LangChain reads it before OPENAI_BASE_URL.
        // ANTHROPIC_API_URL (LangChain) and ANTHROPIC_API_BASE (LiteLLM) are read before ANTHROPIC_BASE_URL.
        ["OPENAI_BASE_URL": gateway.openAIBaseURL, "OPENAI_API_BASE": gateway.openAIBaseURL, "OPENAI_API_KEY": slot.token,
         "ANTHROPIC_BASE_URL": gateway.anthropicBaseURL, "ANTHROPIC_API_URL": gateway.anthropicBaseURL,
         "ANTHROPIC_API_BASE": gateway.anthropicBaseURL, "ANTHROPIC_API_KEY": slot.token,
         "ASSAY_GATEWAY_URL": gateway.anthropicBaseURL]
    }

    /// A cell's account.
    func cell(_ key: CellKey) -> GatewayCell? {
        // The decisions of a plan depend on the cell's key, not on the run: the same seed, the same faults.
        let faults = key.condition.flatMap { plans[$0] }.map { CellFaults(plan: $0, cell: key.description) }
        return tiers[key.tier].map { GatewayCell(label: "\(key.example)/\(key.column)#\(key.repeatIndex)", tier: $0, faults: faults) }
    }
}

extension SuiteFaults.Tool {
    /// The tool as the gateway's proxy serves it.
    var endpoint: ToolEndpoint {
        ToolEndpoint(name: name, baseURL: url, environmentVariable: environmentVariable, recordBodies: recordBodies,
                     sideEffects: sideEffects.compactMap(ToolRoute.parse), readOnly: readOnly.compactMap(ToolRoute.parse))
    }
}
