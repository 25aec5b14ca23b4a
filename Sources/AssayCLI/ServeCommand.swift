import ArgumentParser
import AssayCollector
import AssayCore
import AssayEval
import Foundation
import Logging

/// `assay serve`: the OTLP/HTTP collector.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the OTLP/HTTP collector that OpenTelemetry exporters send traces to.",
        discussion: """
            POST /v1/traces takes OTLP/JSON (application/json) and OTLP protobuf \
            (application/x-protobuf), plain, gzip or deflate. A success response means the spans are \
            committed to the store. GET /healthz answers ok; GET /metrics serves Prometheus metrics.
            SIGTERM or SIGINT stops accepting, finishes what is queued, and exits.

            With --score, traces are evaluated as they complete (their root has arrived and nothing \
            more for --quiet-period seconds, or --max-wait passed): each component of the scorer files \
            whose selector picks spans is scored, the results are stored as feedback from source online, \
            and a trace with a failing component is flagged, for assay promote --flagged. Traces left \
            when it stops are scored at the next start. See docs/online-evaluation.md.

            Settings also come from the environment: ASSAY_HOST, ASSAY_PORT, ASSAY_DB, ASSAY_TOKEN, ASSAY_LOG_LEVEL.
            Listening on an address other than loopback needs a token (or --insecure).

            Example:
              assay serve --port 4318
              OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318 python my_agent.py
              assay serve --score Scorers/ --sample 0.1
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var priceOptions: PriceOptions

    @Option(help: ArgumentHelp("Address to listen on (default: $ASSAY_HOST, else 127.0.0.1).", valueName: "host"))
    var host: String?

    @Option(help: ArgumentHelp("Port to listen on; 0 picks a free one (default: $ASSAY_PORT, else 4318).", valueName: "port"))
    var port: Int?

    @Option(help: ArgumentHelp("File holding the bearer token writers must present (default: $ASSAY_TOKEN; none).", valueName: "path"))
    var tokenFile: String?

    @Flag(help: "Allow listening on a non-loopback address without a token.")
    var insecure = false

    @Option(help: "Largest request body in bytes, checked before and after decompression.")
    var maxBodyBytes = 64 << 20

    @Option(help: "Most spans waiting to be written before requests get 503 with Retry-After.")
    var maxQueuedSpans = 50_000

    @Option(help: "Most export requests handled at once; more get 503 with Retry-After before their body is read.")
    var maxConcurrentRequests = 16

    @Option(help: "Seconds a client may take to send a request body.")
    var readTimeout = 30.0

    @Option(help: ArgumentHelp("trace, debug, info, notice, warning, error or critical (default: $ASSAY_LOG_LEVEL, else info).", valueName: "level"))
    var logLevel: String?

    @Option(help: ArgumentHelp("Score completed traces as they arrive with this scorer file or folder.", valueName: "path"))
    var score: String?

    @Option(help: ArgumentHelp("With --score: the share of completed traces scored, above 0 to 1, chosen by trace id, stable across restarts (default 1).", valueName: "rate"))
    var sample: Double?

    @Option(help: ArgumentHelp("With --score: seconds without a new span after the root arrived before a trace counts as complete (default 10).", valueName: "seconds"))
    var quietPeriod: Double?

    @Option(help: ArgumentHelp("With --score: seconds from a trace's first span after which it counts as complete anyway (default 600).", valueName: "seconds"))
    var maxWait: Double?

    @Option(help: ArgumentHelp("With --score: most completed traces taken per sweep; the rest wait in the store (default 256).", valueName: "traces"))
    var scoreQueue: Int?

    @Option(help: ArgumentHelp("With --score: traces scored at once (default 2).", valueName: "n"))
    var scoreConcurrency: Int?

    @Option(help: ArgumentHelp("With --score: most judge calls (llm_judge, embedding_similarity) per rolling hour; then sampling stops until calls age out (default 1000).", valueName: "calls"))
    var judgeCallsPerHour: Int?

    @Flag(help: "With --score: store the scores without flagging the traces whose components fail.")
    var noFlag = false

    func validate() throws {
        _ = try settings()
        if score == nil {
            let given: [(String, Bool)] = [("--sample", sample != nil), ("--quiet-period", quietPeriod != nil), ("--max-wait", maxWait != nil),
                                           ("--score-queue", scoreQueue != nil), ("--score-concurrency", scoreConcurrency != nil),
                                           ("--judge-calls-per-hour", judgeCallsPerHour != nil), ("--no-flag", noFlag)]
            if let first = given.first(where: \.1) { throw ValidationError("\(first.0) needs --score.") }
            return
        }
        let o = OnlineScoringConfiguration(components: [])
        let sample = sample ?? o.sampleRate, quietPeriod = quietPeriod ?? Self.defaultQuietPeriod, maxWait = maxWait ?? Self.defaultMaxWait
        let scoreQueue = scoreQueue ?? o.queueCapacity, scoreConcurrency = scoreConcurrency ?? o.concurrency
        let judgeCallsPerHour = judgeCallsPerHour ?? Self.defaultJudgeCallsPerHour
        guard sample > 0, sample <= 1 else { throw ValidationError("--sample: expected above 0 and at most 1, got \(sample).") }
        guard quietPeriod >= 0, quietPeriod <= 86_400 else { throw ValidationError("--quiet-period: expected 0 to 86400 seconds, got \(quietPeriod).") }
        guard maxWait > 0, maxWait <= 7 * 86_400 else { throw ValidationError("--max-wait: expected above 0 and at most 604800 seconds, got \(maxWait).") }
        guard scoreQueue > 0 else { throw ValidationError("--score-queue must be positive, got \(scoreQueue).") }
        guard scoreConcurrency > 0, scoreConcurrency <= 64 else { throw ValidationError("--score-concurrency: expected 1 to 64, got \(scoreConcurrency).") }
        guard judgeCallsPerHour >= 0 else { throw ValidationError("--judge-calls-per-hour must be 0 or more, got \(judgeCallsPerHour).") }
    }

    private static let defaultQuietPeriod = 10.0
    private static let defaultMaxWait = 600.0
    private static let defaultJudgeCallsPerHour = 1000

    /// The online evaluation settings, with the scorer files loaded; nil without --score.
    func onlineScoring(judge: OnlineJudgeRecorder) throws -> OnlineScoringConfiguration? {
        guard let score else { return nil }
        let files: [ScorerFile]
        do { files = try EvalSetup.loader(recorder: judge).load(score) } catch {
            printLines(error.description)
            throw ExitCode(1)
        }
        var c = OnlineScoringConfiguration(components: files.map(\.component))
        if let sample { c.sampleRate = sample }
        c.completion = TraceCompletion(quietNanos: UInt64((quietPeriod ?? Self.defaultQuietPeriod) * 1e9),
                                       maxWaitNanos: UInt64((maxWait ?? Self.defaultMaxWait) * 1e9))
        if let scoreQueue { c.queueCapacity = scoreQueue }
        if let scoreConcurrency { c.concurrency = scoreConcurrency }
        c.judgeCallsPerHour = judgeCallsPerHour ?? Self.defaultJudgeCallsPerHour
        c.flagFailures = !noFlag
        return c
    }

    /// The collector configuration from flags, environment and defaults.
    func settings() throws -> (CollectorConfiguration, Logger.Level) {
        let env = ProcessInfo.processInfo.environment
        var c = CollectorConfiguration()
        c.host = host ?? env["ASSAY_HOST"].flatMap { $0.isEmpty ? nil : $0 } ?? c.host
        if let port {
            c.port = port
        } else if let text = env["ASSAY_PORT"], !text.isEmpty {
            guard let value = Int(text) else { throw ValidationError("ASSAY_PORT: expected a port number, got '\(text)'.") }
            c.port = value
        }
        guard (0...65535).contains(c.port) else { throw ValidationError("--port: expected 0 to 65535, got \(c.port).") }
        if let tokenFile {
            guard let data = FileManager.default.contents(atPath: tokenFile) else {
                throw ValidationError("--token-file: cannot read '\(tokenFile)'.")
            }
            let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !token.isEmpty else { throw ValidationError("--token-file: '\(tokenFile)' is empty.") }
            c.token = token
        } else if let token = env["ASSAY_TOKEN"], !token.isEmpty {
            c.token = token
        }
        if c.token == nil && !insecure && !CollectorConfiguration.isLoopback(c.host) {
            throw ValidationError("Refusing to listen on \(c.host) without a token: anyone who can reach it could write traces. Give --token-file or ASSAY_TOKEN, or --insecure.")
        }
        guard maxBodyBytes > 0 else { throw ValidationError("--max-body-bytes must be positive.") }
        guard maxQueuedSpans > 0 else { throw ValidationError("--max-queued-spans must be positive.") }
        guard readTimeout > 0, readTimeout <= 86_400 else { throw ValidationError("--read-timeout must be above 0 and at most 86400 seconds, got \(readTimeout).") }
        guard maxConcurrentRequests > 0 else { throw ValidationError("--max-concurrent-requests must be positive.") }
        c.maxConcurrentRequests = maxConcurrentRequests
        c.maxBodyBytes = maxBodyBytes
        c.maxQueuedSpans = maxQueuedSpans
        c.readTimeoutSeconds = readTimeout
        let levelText = logLevel ?? env["ASSAY_LOG_LEVEL"] ?? "info"
        guard let level = Logger.Level(rawValue: levelText.lowercased()) else {
            throw ValidationError("--log-level: expected trace, debug, info, notice, warning, error or critical, got '\(levelText)'.")
        }
        return (c, level)
    }

    func run() async throws {
        let (configuration, level) = try settings()
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let path = store.location
        let judge = OnlineJudgeRecorder(prices: try priceOptions.table())
        let online = try onlineScoring(judge: judge)
        let collector = Collector(store: try store.open(), configuration: configuration, online: online, judge: judge) { port in
            printError("assay: listening on http://\(configuration.host):\(port)/v1/traces (store \(path))")
            if let online {
                let n = online.components.count
                printError("assay: scoring completed traces with \(n) component\(n == 1 ? "" : "s") from \(score ?? "")"
                    + (online.sampleRate < 1 ? ", sampling \(online.sampleRate) of them" : "")
                    + "; results are feedback from source online")
            }
        }
        try await collector.run()
        printError("assay: stopped; every acknowledged span is committed")
    }
}
