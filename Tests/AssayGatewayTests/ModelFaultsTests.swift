@testable import AssayGateway
import AssayCore
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// Faults a plan injects into model calls at the gateway (docs/resilience.md).
@Suite("Model-call faults at the gateway")
struct ModelFaultsTests {
    /// A started gateway whose one cell runs under `plan`.
    static func started(_ plan: FaultPlan) async throws -> (Gateway, GatewaySlot, GatewayCell) {
        var c = GatewayConfiguration()
        let tier = GatewayTests.tier()
        c.tiers[tier.name] = tier
        let gateway = Gateway(configuration: c)
        try await gateway.start()
        let slot = gateway.openSlot()
        let cell = GatewayCell(label: "e1/mid@\(plan.name)#0", tier: tier, faults: CellFaults(plan: plan, cell: "e1/mid@\(plan.name)/0"))
        let (t, s) = GatewayTests.ids()
        cell.attempt(traceID: t, rootSpanID: s)
        slot.begin(cell)
        return (gateway, slot, cell)
    }

    static func attribute(_ call: GatewayCall, _ key: String) -> AttributeValue? { call.span.attributes.last { $0.key == key }?.value }

    @Test("a planned 429 reaches the client with Retry-After in the provider's shape; the next call goes through; both are recorded")
    func rateLimit() async throws {
        let plan = FaultPlan(name: "limited", injections: [FaultInjection(target: .model, when: .call(1), action: .status(429, retryAfterSeconds: 2))])
        let (gateway, slot, cell) = try await Self.started(plan)
        defer { Task { await gateway.stop() } }
        let first = try await GatewayTests.post(gateway.openAIBaseURL + "/chat/completions", key: slot.token, body: GatewayTests.chat)
        #expect(first.status == 429 && first.headers["retry-after"] == "2", "\(first.headers)")
        #expect(first.json?["error"]?["code"]?.string == "rate_limit_exceeded")
        #expect(first.headers["x-should-retry"] == nil, "the SDKs may retry an injected 429, as a real one")
        let second = try await GatewayTests.post(gateway.openAIBaseURL + "/chat/completions", key: slot.token, body: GatewayTests.chat)
        #expect(second.status == 200)
        #expect(cell.calls.count == 2 && cell.faults?.log == ["model:status_429"])
        #expect(Self.attribute(cell.calls[0], "assay.fault.kind") == .string("status_429"))
        #expect(Self.attribute(cell.calls[0], "assay.fault.plan") == .string("limited"))
        #expect(Self.attribute(cell.calls[0], "assay.gateway.retry_after_s") == .double(2))
        #expect(Self.attribute(cell.calls[1], "assay.fault.kind") == nil)
        #expect(cell.notes.isEmpty && cell.problems.isEmpty, "an injected fault is the plan's, not a gateway failure")
    }

    @Test("an empty completion keeps the API's shape with no content; a malformed one is not JSON")
    func emptyAndMalformed() async throws {
        let plan = FaultPlan(name: "bad", injections: [
            FaultInjection(target: .model, when: .call(1), action: .empty),
            FaultInjection(target: .model, when: .call(2), action: .malformed),
        ])
        let (gateway, slot, _) = try await Self.started(plan)
        defer { Task { await gateway.stop() } }
        let empty = try await GatewayTests.post(gateway.openAIBaseURL + "/chat/completions", key: slot.token, body: GatewayTests.chat)
        #expect(empty.status == 200 && empty.json?["choices"]?.elements?.first?["message"]?["content"]?.string == "")
        let anthropic = #"{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}"#
        let malformed = try await GatewayTests.post(gateway.anthropicBaseURL + "/v1/messages", key: slot.token, body: anthropic)
        #expect(malformed.status == 200 && malformed.json == nil, "\(malformed.body)")
    }

    @Test("a cut stream delivers its first events and then breaks the connection")
    func cutStream() async throws {
        let plan = FaultPlan(name: "cut", injections: [FaultInjection(target: .model, when: .every, action: .cutStream)])
        let (gateway, slot, cell) = try await Self.started(plan)
        defer { Task { await gateway.stop() } }
        let body = #"{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"tell me a long story about the sea"}]}"#
        var failed = false
        var text = ""
        do { text = try await GatewayTests.post(gateway.openAIBaseURL + "/chat/completions", key: slot.token, body: body).body } catch { failed = true }
        #expect(failed || !text.contains("[DONE]"), "the stream did not reach its end: \(text)")
        try await Task.sleep(for: .milliseconds(100))
        #expect(cell.calls.first.map { Self.attribute($0, "error.type") } == .string("assay.fault.cut_stream"))
    }
}
