import ArgumentParser
import AssayCore
import AssayGateway
import Foundation
import Logging

/// The model gateway's own cost on loopback: the added latency per call (non-streaming, and time to
/// first chunk when streaming), calls/s at several concurrent clients with recording on, and replay
/// calls/s. The upstream is a stub (a second gateway on the simulated provider), measured alone in
/// the same run, so that what the gateway adds is the difference.
struct GatewayBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway",
        abstract: "Latency the model gateway adds per call, and its calls/s recording and replaying.")

    @Option(help: "Sequential calls per latency measurement.")
    var calls = 2000

    @Option(help: "Concurrent clients in the throughput phases.")
    var clients = 8

    @Option(help: "Calls per client in the throughput phases.")
    var callsPerClient = 1000

    @Option(help: "The cache mode of the measured gateway: record (the goal's setting) or off.")
    var cache = "record"

    func run() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("assay-bench-gateway-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // The stub: a gateway whose one tier is the simulated provider; its slot's key plays the real key.
        let stub = try await Self.gateway(tier: GatewayTier(name: "stub", model: "stub-model", upstream: .simulated, inputPricePerMillion: 0, outputPricePerMillion: 0))
        let stubKey = stub.slot.token
        let upstream = Upstream(kind: .openai, baseURL: stub.gateway.openAIBaseURL, keyVariable: "STUB_KEY")
        let tier = GatewayTier(name: "mid", model: "m", upstream: upstream, inputPricePerMillion: 2.5, outputPricePerMillion: 10)
        let mode = cache == "off" ? CacheMode.off : .record
        let recording = try await Self.gateway(tier: tier) { $0.cacheMode = mode; $0.cacheFolder = folder; $0.keys = ["STUB_KEY": stubKey] }
        print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores; stub, gateway and clients in one process on loopback; cache \(mode.rawValue) in \(folder)")

        let plain = (0..<calls).map { Self.body(index: $0, stream: false) }
        let streamed = (0..<calls).map { Self.body(index: $0, stream: true) }
        let direct = try Self.sequential(port: stub.gateway.port, key: stubKey, bodies: plain)
        let through = try Self.sequential(port: recording.gateway.port, key: recording.slot.token, bodies: plain)
        let directStream = try Self.sequential(port: stub.gateway.port, key: stubKey, bodies: streamed)
        let throughStream = try Self.sequential(port: recording.gateway.port, key: recording.slot.token, bodies: streamed)
        print(String(format: "latency, 1 client, %d calls: stub alone p50 %.3f ms p99 %.3f ms; through the gateway p50 %.3f ms p99 %.3f ms; "
                     + "added p50 %.3f ms, p99 %.3f ms", calls, direct.p50, direct.p99, through.p50, through.p99,
                     through.p50 - direct.p50, through.p99 - direct.p99))
        print(String(format: "time to first chunk, streaming: stub alone p50 %.3f ms p99 %.3f ms; through the gateway p50 %.3f ms p99 %.3f ms; "
                     + "added p50 %.3f ms, p99 %.3f ms", directStream.p50, directStream.p99, throughStream.p50, throughStream.p99,
                     throughStream.p50 - directStream.p50, throughStream.p99 - directStream.p99))
        // The gateway's own view: from a request's arrival to the upstream's first chunk.
        let upstreamFirst = recording.cell.calls.compactMap { call in
            call.span.attributes.first { $0.key == "assay.gateway.time_to_first_chunk_ns" }?.value.intValue.map { Double($0) / 1e6 }
        }.dropFirst(calls / 10).sorted()
        if !upstreamFirst.isEmpty {
            print(String(format: "  the gateway's view of the same streams: the upstream's first chunk came p50 %.3f ms after the request arrived",
                         upstreamFirst[upstreamFirst.count / 2]))
        }

        let load = (0..<(clients * callsPerClient)).map { Self.body(index: calls + $0, stream: false) }
        let stubRate = try Self.concurrent(port: stub.gateway.port, key: stubKey, bodies: load, clients: clients)
        let recordRate = try Self.concurrent(port: recording.gateway.port, key: recording.slot.token, bodies: load, clients: clients)
        await recording.gateway.stop()
        let recorded = recording.gateway.stats.recorded
        let replaying = try await Self.gateway(tier: tier) { $0.cacheMode = mode == .record ? .replay : .off; $0.cacheFolder = folder; $0.keys = ["STUB_KEY": stubKey] }
        let replayRate = try Self.concurrent(port: replaying.gateway.port, key: replaying.slot.token, bodies: load, clients: clients)
        print(String(format: "%d clients: stub alone %.0f calls/s; through the gateway, cache \(mode.rawValue), %.0f calls/s (%d recordings written); "
                     + "replaying %.0f calls/s (%d replayed, %d upstream calls)", clients, stubRate, recordRate, recorded,
                     replayRate, replaying.gateway.stats.replayed, replaying.gateway.stats.calls - replaying.gateway.stats.replayed))
        print("goals (issue 15): added <= 1 ms p50 and <= 5 ms p99, >= 2,000 calls/s recorded, on this 2-core machine")
        await replaying.gateway.stop()
        await stub.gateway.stop()
    }

    /// A started gateway with one open slot on a cell of `tier`.
    static func gateway(tier: GatewayTier, configure: (inout GatewayConfiguration) -> Void = { _ in }) async throws -> (gateway: Gateway, slot: GatewaySlot, cell: GatewayCell) {
        var c = GatewayConfiguration()
        c.tiers[tier.name] = tier
        configure(&c)
        var logger = Logger(label: "assay.bench.gateway")
        logger.logLevel = .warning
        let gateway = Gateway(configuration: c, logger: logger)
        try await gateway.start()
        let slot = gateway.openSlot()
        let cell = GatewayCell(label: "bench/\(tier.name)#0", tier: tier)
        cell.attempt(traceID: TraceID(high: 1, low: 1)!, rootSpanID: SpanID(1)!)
        slot.begin(cell)
        return (gateway, slot, cell)
    }

    /// A chat request of a realistic size (a system prompt, an email, a question), distinct per index.
    static func body(index: Int, stream: Bool) -> [UInt8] {
        let email = String(repeating: "We ordered the display kit two weeks ago and it has not arrived. ", count: 12)
        let json = JSONValue.object([
            ("model", .string("gpt-4o-mini")),
            ("messages", .array([
                .object([("role", .string("system")), ("content", .string("You triage emails. Answer with JSON."))]),
                .object([("role", .string("user")), ("content", .string(email + "Request \(index)."))]),
            ])),
            ("temperature", .number("0")), ("stream", .bool(stream)),
        ])
        return Array(json.compactJSON.utf8)
    }

    /// Chat calls with `key`, one per body.
    static func chat(_ bodies: [[UInt8]], key: String) -> LoopbackLoad.Send {
        { client, i in try client.post(path: "/v1/chat/completions", contentType: "application/json", body: bodies[i], headers: "Authorization: Bearer \(key)\r\n") }
    }

    static func sequential(port: Int, key: String, bodies: [[UInt8]]) throws -> LoopbackLoad.Latency {
        try LoopbackLoad.sequential(port: port, count: bodies.count, send: chat(bodies, key: key))
    }

    static func concurrent(port: Int, key: String, bodies: [[UInt8]], clients: Int) throws -> Double {
        try LoopbackLoad.concurrent(port: port, count: bodies.count, clients: clients, send: chat(bodies, key: key))
    }
}
