package import AssayCollector
package import AssayCore
import Logging
import ServiceLifecycle

/// The runner's own OTLP/HTTP collector on a free loopback port, where the agents export their spans.
package final class LoopbackCollector: @unchecked Sendable {
    private let collector: Collector
    private let group: ServiceGroup
    private var task: Task<Void, any Error>?
    /// The port it listens on.
    private(set) var port = 0

    /// Creates the collector; with `online`, it also scores traces as they complete (docs/online-evaluation.md).
    package init(store: any TraceStore, online: OnlineScoringConfiguration? = nil) {
        var configuration = CollectorConfiguration()
        configuration.port = 0
        configuration.maxConcurrentRequests = 256
        var logger = Logger(label: "assay.runner.collector")
        logger.logLevel = .error
        let ready = ReadyPort()
        collector = Collector(store: store, configuration: configuration, online: online, logger: logger) { port in await ready.set(port) }
        let scorer: [ServiceGroupConfiguration.ServiceConfiguration] = collector.onlineScorer.map { [.init(service: $0)] } ?? []
        group = ServiceGroup(configuration: .init(services: [.init(service: collector.writer), .init(service: collector.application)] + scorer,
                                                  gracefulShutdownSignals: [], logger: logger))
        self.ready = ready
    }

    private let ready: ReadyPort

    /// Starts serving and waits until it listens.
    package func start() async throws {
        let group = self.group
        task = Task { try await group.run() }
        port = await ready.wait()
    }

    /// Finishes in-flight exports, drains the write queue and stops.
    package func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task?.value
    }

    /// `http://127.0.0.1:PORT`, for `OTEL_EXPORTER_OTLP_ENDPOINT`.
    package var endpoint: String { "http://127.0.0.1:\(port)" }
}
