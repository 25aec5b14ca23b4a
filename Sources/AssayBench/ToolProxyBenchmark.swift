import ArgumentParser
import AssayCore
import AssayGateway
import Foundation

/// The tool proxy's own cost on loopback: the latency it adds per tool request and its requests/s.
/// The upstream tool is a second gateway's simulated tool (a real HTTP server that answers JSON),
/// measured alone in the same run, so that what the proxy adds is the difference.
struct ToolProxyBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "toolproxy",
        abstract: "Latency the tool proxy adds per request, and its requests/s beside the upstream's own.")

    @Option(help: "Sequential requests per latency measurement.")
    var requests = 2000

    @Option(help: "Concurrent clients in the throughput phase (measured at 1 and at this many).")
    var clients = 8

    @Option(help: "Requests per client at the most clients; each throughput measurement sends clients × this many.")
    var requestsPerClient = 1000

    func run() async throws {
        let tier = GatewayTier(name: "mid", model: "m", upstream: .simulated, inputPricePerMillion: 0, outputPricePerMillion: 0)
        // The upstream: a simulated tool behind its own loopback server.
        let upstream = try await GatewayBenchmark.gateway(tier: tier) { $0.tools["sim"] = ToolEndpoint(name: "sim", baseURL: nil, environmentVariable: "SIM_URL") }
        let upstreamPath = "/tools/\(upstream.slot.token)/sim"
        let base = "http://127.0.0.1:\(upstream.gateway.port)" + upstreamPath
        let proxy = try await GatewayBenchmark.gateway(tier: tier) { $0.tools["crm"] = ToolEndpoint(name: "crm", baseURL: base, environmentVariable: "CRM_URL") }
        let proxyPath = "/tools/\(proxy.slot.token)/crm"
        print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores; upstream tool, proxy and clients in one process on loopback")
        let bodies = (0..<requests).map { Self.body($0) }
        let direct = try Self.sequential(port: upstream.gateway.port, path: upstreamPath + "/tickets", bodies: bodies)
        let through = try Self.sequential(port: proxy.gateway.port, path: proxyPath + "/tickets", bodies: bodies)
        print(String(format: "latency, 1 client, %d requests: upstream alone p50 %.3f ms p99 %.3f ms; through the proxy p50 %.3f ms p99 %.3f ms; "
                     + "added p50 %.3f ms, p99 %.3f ms", requests, direct.p50, direct.p99, through.p50, through.p99,
                     through.p50 - direct.p50, through.p99 - direct.p99))
        for n in Set([1, clients]).sorted() {
            let load = (0..<(clients * requestsPerClient)).map { Self.body(requests + $0) }
            let upstreamRate = try Self.concurrent(port: upstream.gateway.port, path: upstreamPath + "/tickets", bodies: load, clients: n)
            let proxyRate = try Self.concurrent(port: proxy.gateway.port, path: proxyPath + "/tickets", bodies: load, clients: n)
            print("\(n) client\(n == 1 ? "" : "s"), \(load.count) requests: "
                  + String(format: "upstream alone %.0f requests/s; through the proxy %.0f requests/s (%.0f%% of the upstream's)",
                           upstreamRate, proxyRate, proxyRate / upstreamRate * 100))
        }
        print("\(proxy.cell.toolSpans.count) execute_tool spans recorded; \(proxy.gateway.stats.toolCalls) tool calls counted")
        await proxy.gateway.stop()
        await upstream.gateway.stop()
    }

    /// A side-effecting request of a realistic size, distinct per index.
    static func body(_ index: Int) -> [UInt8] {
        Array(JSONValue.object([("example", .string("e\(index)")), ("label", .string("needs_reply")),
                                ("note", .string(String(repeating: "Customer asks about a late order. ", count: 8)))]).compactJSON.utf8)
    }

    /// Tool requests to `path`, one per body.
    static func post(_ bodies: [[UInt8]], path: String) -> LoopbackLoad.Send {
        { client, i in (try client.post(path: path, contentType: "application/json", body: bodies[i]), nil) }
    }

    static func sequential(port: Int, path: String, bodies: [[UInt8]]) throws -> LoopbackLoad.Latency {
        try LoopbackLoad.sequential(port: port, count: bodies.count, send: post(bodies, path: path))
    }

    static func concurrent(port: Int, path: String, bodies: [[UInt8]], clients: Int) throws -> Double {
        try LoopbackLoad.concurrent(port: port, count: bodies.count, clients: clients, send: post(bodies, path: path))
    }
}
