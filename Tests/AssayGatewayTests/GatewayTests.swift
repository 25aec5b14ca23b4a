@testable import AssayGateway
import AssayCore
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// The gateway in process, called over loopback HTTP as an SDK calls it. Its upstream, when it needs
/// one, is a second gateway on the simulated provider: an OpenAI-compatible server that checks keys.
@Suite("The model gateway over HTTP")
struct GatewayTests {
    static func tier(_ name: String = "mid", model: String = "sim-mid", upstream: Upstream = .simulated) -> GatewayTier {
        GatewayTier(name: name, model: model, upstream: upstream, inputPricePerMillion: 2, outputPricePerMillion: 10)
    }

    static func ids() -> (TraceID, SpanID) { (TraceID(high: 1, low: 2)!, SpanID(3)!) }

    struct Answer {
        var status: Int
        var headers: [String: String]
        var body: String
        var json: JSONValue? { try? JSONValue.parse(body) }
    }

    static func post(_ url: String, key: String, body: String, headers: [String: String] = [:]) async throws -> Answer {
        var request = URLRequest(url: URL(string: url)!, timeoutInterval: 20)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("Bearer " + key, forHTTPHeaderField: "Authorization")
        for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
        request.httpBody = Data(body.utf8)
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        var h: [String: String] = [:]
        for (k, v) in http.allHeaderFields { h[String(describing: k).lowercased()] = String(describing: v) }
        return Answer(status: http.statusCode, headers: h, body: String(decoding: data, as: UTF8.self))
    }

    /// A started gateway with one open slot on a cell of `tier`.
    static func started(_ tier: GatewayTier, configure: (inout GatewayConfiguration) -> Void = { _ in }) async throws -> (Gateway, GatewaySlot, GatewayCell) {
        var c = GatewayConfiguration()
        c.tiers[tier.name] = tier
        configure(&c)
        let gateway = Gateway(configuration: c)
        try await gateway.start()
        let slot = gateway.openSlot()
        let cell = GatewayCell(label: "e1/\(tier.name)#0", tier: tier)
        let (t, s) = ids()
        cell.attempt(traceID: t, rootSpanID: s)
        slot.begin(cell)
        return (gateway, slot, cell)
    }

    static let chat = #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hello there"}]}"#

    @Test("a call is answered by the tier's model and recorded under the cell's root with tokens and cost")
    func rewritesAndRecords() async throws {
        let (gateway, slot, cell) = try await Self.started(Self.tier())
        defer { Task { await gateway.stop() } }
        let a = try await Self.post(gateway.openAIBaseURL + "/chat/completions", key: slot.token, body: Self.chat)
        #expect(a.status == 200)
        #expect(a.json?["model"]?.string == "sim-mid")
        let call = try #require(cell.calls.first)
        #expect(call.span.parentSpanID == Self.ids().1 && call.span.traceID == Self.ids().0)
        #expect(call.span.name == "chat sim-mid")
        let attributes = Dictionary(call.span.attributes.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        #expect(attributes["gen_ai.request.model"]?.stringValue == "sim-mid")
        #expect(attributes["assay.gateway.agent_model"]?.stringValue == "gpt-4o-mini")
        #expect(attributes["gen_ai.usage.input_tokens"]?.intValue ?? 0 > 0)
        #expect(attributes["gen_ai.input.messages"]?.stringValue?.contains("hello there") == true)
        #expect(attributes["gen_ai.output.messages"]?.stringValue?.contains("sim-mid answers: hello there") == true)
        #expect(call.costUSD > 0 && call.costUSD == cell.tier.cost(call.usage))
        #expect(cell.problems.isEmpty)
    }

    @Test("an agent's traceparent names the span's parent; an unknown key is refused with 401")
    func traceparentAndKeys() async throws {
        let (gateway, slot, cell) = try await Self.started(Self.tier())
        defer { Task { await gateway.stop() } }
        let parent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
        _ = try await Self.post(gateway.openAIBaseURL + "/chat/completions", key: slot.token, body: Self.chat, headers: ["traceparent": parent])
        #expect(cell.calls.first?.span.traceID.description == "0af7651916cd43dd8448eb211c80319c")
        #expect(cell.calls.first?.span.parentSpanID?.description == "b7ad6b7169203331")
        let refused = try await Self.post(gateway.openAIBaseURL + "/chat/completions", key: "sk-nothing", body: Self.chat)
        #expect(refused.status == 401 && refused.json?["error"]?["message"]?.string?.contains("not a running cell's") == true)
        gateway.closeSlot(slot)
        #expect(try await Self.post(gateway.openAIBaseURL + "/chat/completions", key: slot.token, body: Self.chat).status == 401, "a closed slot's key is refused")
    }

    @Test("the guard answers 429 past a cell's cap, tells the SDK not to retry, and fails the cell")
    func guardStopsLoop() async throws {
        let (gateway, slot, cell) = try await Self.started(Self.tier()) { $0.maxCallsPerCell = 3 }
        defer { Task { await gateway.stop() } }
        var statuses: [Int] = []
        for _ in 0..<5 { statuses.append(try await Self.post(gateway.openAIBaseURL + "/chat/completions", key: slot.token, body: Self.chat).status) }
        #expect(statuses == [200, 200, 200, 429, 429])
        let last = try await Self.post(gateway.openAIBaseURL + "/chat/completions", key: slot.token, body: Self.chat)
        #expect(last.headers["x-should-retry"] == "false")
        #expect(cell.problems == ["stopped by the cost guard: cell \"e1/mid#0\" made 3 model calls, its cap (max_calls_per_cell)"])
        #expect(gateway.stats.guardStops == 3)
    }

    @Test("record then replay gives the same bytes, streams included; a request not recorded fails with its hash")
    func recordThenReplay() async throws {
        let folder = LLMCacheTests.folder()
        let stream = #"{"model":"x","messages":[{"role":"user","content":"stream it"}],"stream":true,"stream_options":{"include_usage":true}}"#
        var recorded: [String] = []
        do {
            let (gateway, slot, _) = try await Self.started(Self.tier()) { $0.cacheMode = .record; $0.cacheFolder = folder }
            for body in [Self.chat, stream] { recorded.append(try await Self.post(gateway.openAIBaseURL + "/chat/completions", key: slot.token, body: body).body) }
            await gateway.stop()
            #expect(gateway.stats.recorded == 2, "stopping writes what was queued")
        }
        let (gateway, slot, cell) = try await Self.started(Self.tier()) { $0.cacheMode = .replay; $0.cacheFolder = folder }
        defer { Task { await gateway.stop() } }
        var replayed: [String] = []
        for body in [Self.chat, stream] { replayed.append(try await Self.post(gateway.openAIBaseURL + "/chat/completions", key: slot.token, body: body).body) }
        #expect(replayed == recorded)
        #expect(recorded[1].hasPrefix("data: ") && recorded[1].hasSuffix("data: [DONE]\n\n"))
        #expect(cell.calls.map(\.cache) == [.hit, .hit])
        #expect(cell.calls[1].usage.reported, "the replayed stream's usage is read back")
        let miss = try await Self.post(gateway.openAIBaseURL + "/chat/completions", key: slot.token, body: Self.chat.replacingOccurrences(of: "hello", with: "goodbye"))
        #expect(miss.status == 424)
        let hash = try #require(cell.calls.last?.span.attributes.first { $0.key == "assay.gateway.request_hash" }?.value.stringValue)
        #expect(cell.problems.first?.contains("cell \"e1/mid#0\", request \"\(hash)\"") == true)
        #expect(miss.json?["error"]?["message"]?.string?.contains(hash) == true)
    }

    @Test("an upstream's answers, errors, Retry-After and streams pass through; the real key goes upstream only")
    func forwardsToUpstream() async throws {
        // The upstream: a gateway on the simulated provider, whose slot key plays the provider's key.
        let (upstream, upstreamSlot, upstreamCell) = try await Self.started(Self.tier("up", model: "up-model")) { $0.maxCallsPerCell = 2 }
        defer { Task { await upstream.stop() } }
        let real = Upstream(kind: .openai, baseURL: upstream.openAIBaseURL, keyVariable: "UPSTREAM_KEY")
        let (gateway, slot, cell) = try await Self.started(Self.tier(model: "big-model", upstream: real)) { $0.keys = ["UPSTREAM_KEY": upstreamSlot.token] }
        defer { Task { await gateway.stop() } }
        let a = try await Self.post(gateway.openAIBaseURL + "/chat/completions", key: slot.token, body: Self.chat)
        #expect(a.status == 200 && a.json?["model"]?.string == "up-model", "the upstream saw the tier's model, \(a.body)")
        #expect(upstreamCell.calls.first?.span.attributes.first { $0.key == "assay.gateway.agent_model" }?.value.stringValue == "big-model")
        let s = try await Self.post(gateway.openAIBaseURL + "/chat/completions", key: slot.token,
                                    body: #"{"model":"m","messages":[{"role":"user","content":"go"}],"stream":true}"#)
        #expect(s.headers["content-type"]?.hasPrefix("text/event-stream") == true && s.body.hasSuffix("data: [DONE]\n\n"))
        #expect(cell.calls.last?.span.attributes.contains { $0.key == "assay.gateway.time_to_first_chunk_ns" } == true)
        let limited = try await Self.post(gateway.openAIBaseURL + "/chat/completions", key: slot.token, body: Self.chat)
        #expect(limited.status == 429 && limited.headers["x-should-retry"] == "false", "the upstream's 429 and its headers reach the agent")
        #expect(cell.calls.last?.span.attributes.first { $0.key == "error.type" }?.value.stringValue == "rate_limit_exceeded")
        #expect(cell.problems.isEmpty, "an upstream error is the agent's to handle, not the gateway's")
    }

    @Test("an upstream that cannot be reached, a tier with none, and the wrong API fail clearly")
    func unreachableAndMisconfigured() async throws {
        let dead = Upstream(kind: .openai, baseURL: "http://127.0.0.1:9/v1", keyVariable: nil)
        let (gateway, slot, cell) = try await Self.started(Self.tier(model: "m", upstream: dead)) { $0.connectTimeoutSeconds = 0.5 }
        defer { Task { await gateway.stop() } }
        let a = try await Self.post(gateway.openAIBaseURL + "/chat/completions", key: slot.token, body: Self.chat)
        #expect(a.status == 502)
        #expect(cell.notes.first?.hasPrefix("the upstream of tier mid (http://127.0.0.1:9/v1) cannot be reached") == true, "\(cell.notes)")
        #expect(cell.problems.isEmpty, "the SDK may retry: a failed cell will say it")
        let wrongAPI = try await Self.post(gateway.anthropicBaseURL + "/v1/messages", key: slot.token, body: #"{"model":"m","max_tokens":5,"messages":[]}"#)
        #expect(wrongAPI.status == 400 && wrongAPI.json?["error"]?["message"]?.string?.contains("speaks the openai API") == true)
        #expect(wrongAPI.json?["type"]?.string == "error", "in the Anthropic error shape the client parses")

        let (other, otherSlot, otherCell) = try await Self.started(Self.tier(model: "gpt-x", upstream: .none))
        defer { Task { await other.stop() } }
        #expect(try await Self.post(other.openAIBaseURL + "/chat/completions", key: otherSlot.token, body: Self.chat).status == 400)
        #expect(otherCell.problems.first?.contains("names no upstream") == true)
    }

    @Test("a missing key variable is an error before the gateway starts, except when only replaying")
    func missingKey() throws {
        var c = GatewayConfiguration()
        c.tiers["low"] = Self.tier("low", model: "m", upstream: Upstream(kind: .anthropic, baseURL: "https://api.anthropic.com", keyVariable: "NO_SUCH_KEY_1"))
        #expect(throws: GatewayError.missingKey(tier: "low", variable: "NO_SUCH_KEY_1")) { try c.readKeys(from: [:]) }
        c.cacheMode = .replay
        #expect(throws: Never.self) { try c.readKeys(from: [:]) }
    }
}
