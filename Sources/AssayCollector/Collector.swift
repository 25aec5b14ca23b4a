package import AssayCore
package import Hummingbird
package import Logging
import NIOCore
import ServiceLifecycle

/// The OTLP/HTTP collector: `POST /v1/traces` (JSON and protobuf, gzip and deflate), `POST /v1/feedback`, `GET /healthz`
/// and `GET /metrics`, in front of a group-commit `SpanWriter`.
///
/// ```swift
/// let collector = Collector(store: try SQLiteTraceStore(path: ".assay/assay.sqlite"), configuration: CollectorConfiguration())
/// try await collector.run()   // until SIGTERM or SIGINT, then drains the queue
/// ```
package struct Collector: Sendable {
    /// The HTTP application (routes and server).
    package let application: Application<RouterResponder<BasicRequestContext>>
    /// The writer behind it.
    package let writer: SpanWriter
    /// The metrics it serves.
    package let metrics: CollectorMetrics
    /// Online evaluation, when it was asked for.
    package let onlineScorer: OnlineScorer?
    private let logger: Logger

    /// Builds the collector. `onListening` is called with the bound port once the server accepts connections.
    ///
    /// With `online`, completed traces are scored as they arrive (the store must be an
    /// `OnlineEvaluationStore`); `judge` is the recorder the scorer files' judges were given.
    package init(store: any TraceStore, configuration: CollectorConfiguration, online: OnlineScoringConfiguration? = nil,
                judge: OnlineJudgeRecorder? = nil, logger: Logger = Logger(label: "assay.collector"),
                onListening: @escaping @Sendable (Int) async -> Void = { _ in }) {
        let metrics = CollectorMetrics()
        let writer = SpanWriter(store: store, configuration: configuration, metrics: metrics, logger: logger)
        judge?.attach(writer: writer, metrics: metrics)
        if let online, let evaluating = store as? any OnlineEvaluationStore {
            onlineScorer = OnlineScorer(store: evaluating, writer: writer, configuration: online, judge: judge, metrics: metrics, logger: logger)
        } else {
            if online != nil { logger.error("online evaluation is off: this store does not keep arrival times") }
            onlineScorer = nil
        }
        let router = Router()
        router.get("/healthz") { _, _ in
            metrics.request(path: "/healthz", status: 200)
            return "ok\n"
        }
        router.get("/metrics") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: metrics.exposition())))
        }
        let traces = TracesRoute(writer: writer, configuration: configuration, metrics: metrics)
        let writes = router.group()
        if let token = configuration.token {
            writes.add(middleware: BearerTokenMiddleware(token: Array(token.utf8), metrics: metrics))
        }
        writes.post("/v1/traces") { request, context in try await traces.handle(request, context: context) }
        let feedback = FeedbackRoute(writer: writer, store: store, configuration: configuration, metrics: metrics)
        writes.post("/v1/feedback") { request, context in try await feedback.handle(request, context: context) }
        application = Application(
            router: router,
            server: .http1(configuration: .init(idleTimeout: .milliseconds(Int64(configuration.idleTimeoutSeconds * 1000)))),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "assay"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? configuration.port) },
            logger: logger)
        self.writer = writer
        self.metrics = metrics
        self.logger = logger
    }

    /// Serves until SIGTERM or SIGINT; then stops accepting, finishes in-flight requests, drains the
    /// write queue, and returns.
    package func run() async throws {
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: writer), .init(service: application)] + (onlineScorer.map { [.init(service: $0)] } ?? []),
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
    }
}
