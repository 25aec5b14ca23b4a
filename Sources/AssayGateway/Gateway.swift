import AsyncHTTPClient
import AssayCore
import Foundation
import Hummingbird
import HTTPTypes
package import Logging
import NIOCore
import ServiceLifecycle

/// The model gateway: a loopback OpenAI- and Anthropic-compatible endpoint that `assay run` puts
/// between its agents and their providers (docs/gateway.md). Each call is attributed to a cell by the
/// key the agent sends, its model rewritten to the cell's tier, answered from the cache, the simulated
/// provider or the tier's upstream, recorded as a GenAI span, and counted by the cost guard.
///
/// ```swift
/// let gateway = Gateway(configuration: configuration)
/// try await gateway.start()
/// let slot = gateway.openSlot()          // OPENAI_API_KEY=slot.token, OPENAI_BASE_URL=gateway.openAIBaseURL
/// slot.begin(GatewayCell(label: "e1/mid#0", tier: mid, traceID: t, rootSpanID: s))
/// ...                                    // the agent runs
/// let calls = slot.end()?.calls          // their spans, tokens and cost
/// await gateway.stop()
/// ```
package final class Gateway: @unchecked Sendable {
    private let handler: GatewayHandler
    private let tools: ToolProxyHandler
    /// The upstream client, made by `start()` and shut down by `stop()` (AsyncHTTPClient requires it).
    private let client: ClientBox
    private let logger: Logger
    private let slots = SlotTable()
    private var task: Task<Void, any Error>?
    private var group: ServiceGroup?
    /// The port it listens on, once started.
    package private(set) var port = 0

    /// A gateway for `configuration` (its keys already read).
    package init(configuration: GatewayConfiguration, logger: Logger = Logger(label: "assay.gateway")) {
        client = ClientBox(configuration)
        self.logger = logger
        let stats = StatsBox()
        handler = GatewayHandler(configuration: configuration, client: client,
                                 guard: GatewayGuard(budgetUSD: configuration.budgetUSD, maxCallsPerCell: configuration.maxCallsPerCell,
                                                     maxCostPerCellUSD: configuration.maxCostPerCellUSD, spent: configuration.spentUSD),
                                 cache: LLMCache(folder: configuration.cacheFolder), stats: stats, slots: slots,
                                 writer: CacheWriter(stats: stats, logger: logger))
        tools = ToolProxyHandler(tools: configuration.tools, client: client, slots: slots, stats: stats, timeoutSeconds: configuration.upstreamTimeoutSeconds)
    }

    deinit {
        // A gateway dropped without stop(): its client must still be shut down.
        client.shutdownWithoutWaiting()
    }

    /// Starts listening on a free loopback port.
    package func start() async throws {
        client.start()
        // The basic context and the connection, which the tool proxy's reset fault closes.
        let router = Router(context: GatewayRequestContext.self)
        let handler = self.handler
        for api in ProviderAPI.allCases {
            router.post(RouterPath(api.path)) { request, context in try await handler.handle(api, request, context: context) }
        }
        router.get("/healthz") { _, _ in "ok\n" }
        // The tool proxy: /tools/KEY/TOOL[/path...], any method (docs/resilience.md).
        let tools = self.tools
        for method in [HTTPRequest.Method.get, .post, .put, .patch, .delete, .head] {
            for path in ["/tools/:token/:tool", "/tools/:token/:tool/**"] {
                router.on(RouterPath(path), method: method) { request, context in try await tools.handle(request, context: context) }
            }
        }
        let ready = ReadyPort()
        let application = Application(router: router, server: .http1(),
                                      configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "assay-gateway"),
                                      onServerRunning: { channel in await ready.set(channel.localAddress?.port ?? 0) }, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [application], gracefulShutdownSignals: [], logger: logger))
        self.group = group
        task = Task { try await group.run() }
        port = await ready.wait()
        if port == 0 { throw GatewayError.cannotStart("no loopback port") }
    }

    /// Finishes the calls in flight, writes the recordings still queued, then stops.
    package func stop() async {
        await group?.triggerGracefulShutdown()
        _ = try? await task?.value
        await client.shutdown()
        let writer = handler.writer
        await Task.detached { writer.drain() }.value
    }

    /// `OPENAI_BASE_URL` for the agents.
    package var openAIBaseURL: String { "http://127.0.0.1:\(port)/v1" }
    /// `ANTHROPIC_BASE_URL` for the agents.
    package var anthropicBaseURL: String { "http://127.0.0.1:\(port)" }

    /// The URL of the tool proxy for `tool`, for an agent using `slot`: its paths are appended to it.
    package func toolURL(_ slot: GatewaySlot, tool: String) -> String { "http://127.0.0.1:\(port)/tools/\(slot.token)/\(tool)" }

    /// A new slot with its own key.
    package func openSlot() -> GatewaySlot {
        var rng = SystemRandomNumberGenerator()
        let token = "assay-cell-" + String(rng.next(), radix: 16).leftPadded(16) + String(rng.next(), radix: 16).leftPadded(16)
        let slot = GatewaySlot(token: token)
        slots.add(slot)
        return slot
    }

    /// Forgets a slot: its key is refused from now on.
    package func closeSlot(_ slot: GatewaySlot) { slots.remove(slot) }

    /// What the gateway did so far.
    package var stats: GatewayStats { handler.stats.value }

    /// What the run spent through the gateway, US dollars.
    package var spentUSD: Double { handler.guard.spentUSD }
}

/// The upstream HTTP client: none until the gateway starts, so that a gateway made and dropped
/// (a run that fails before its first cell) leaves nothing to shut down.
final class ClientBox: @unchecked Sendable {
    private let lock = NSLock()
    private var client: HTTPClient?
    private var closed = false
    private let configuration: HTTPClient.Configuration

    init(_ c: GatewayConfiguration) {
        var http = HTTPClient.Configuration()
        http.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)
        http.decompression = .disabled
        // A connection that cannot be made fails the call at once (502), and the agent's SDK retries it
        // as it retries any 502; with the pool's own retries a refused port kept a call waiting for
        // its whole deadline. A connection attempt that hangs gives up after this limit.
        http.connectionPool.retryConnectionEstablishment = false
        http.timeout.connect = .milliseconds(Int64(c.connectTimeoutSeconds * 1000))
        // The call's deadline ends when the answer starts; a pause in the answer is limited here.
        http.timeout.read = .milliseconds(Int64(c.upstreamTimeoutSeconds * 1000))
        configuration = http
    }

    func start() {
        lock.withLock { if client == nil, !closed { client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration) } }
    }

    /// The client; nil once shut down (or before the start).
    var value: HTTPClient? { lock.withLock { client } }

    private func take() -> HTTPClient? {
        lock.withLock {
            closed = true
            defer { client = nil }
            return client
        }
    }

    func shutdown() async { try? await take()?.shutdown() }

    func shutdownWithoutWaiting() { take()?.shutdown { _ in } }
}

/// The open slots by key.
final class SlotTable: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [String: GatewaySlot] = [:]
    func add(_ slot: GatewaySlot) { lock.withLock { slots[slot.token] = slot } }
    func remove(_ slot: GatewaySlot) { _ = lock.withLock { slots.removeValue(forKey: slot.token) } }
    subscript(token: String) -> GatewaySlot? { lock.withLock { slots[token] } }
}

/// The gateway's counters.
final class StatsBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stats = GatewayStats()
    var value: GatewayStats { lock.withLock { stats } }
    func update(_ body: (inout GatewayStats) -> Void) { lock.withLock { body(&stats) } }
}
