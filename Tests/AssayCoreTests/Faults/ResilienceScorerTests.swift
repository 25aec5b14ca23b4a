import Testing
@testable import AssayCore

@Suite("Fault plans and the resilience scorers")
struct ResilienceScorerTests {
    static let trace = TraceID(high: 1, low: 2)!

    /// A span of the gateway (a model call) or the tool proxy, from `start` to `end` seconds.
    static func span(_ id: UInt64, tool: Bool = false, start: Double, end: Double, _ attributes: [Attribute]) -> StoredSpan {
        let base: [Attribute] = tool ? [Attribute("gen_ai.operation.name", .string("execute_tool"))] : [Attribute("gen_ai.operation.name", .string("chat"))]
        let s = Span(traceID: trace, spanID: SpanID(id)!, name: tool ? "execute_tool crm" : "chat m", kind: .client,
                     startTimeUnixNano: UInt64(start * 1e9), endTimeUnixNano: UInt64(end * 1e9), attributes: base + attributes)
        return StoredSpan(span: s, summary: SpanSummary(span: s), scope: InstrumentationScope(name: tool ? "assay.tools" : "assay.gateway"))
    }

    static func post(_ id: UInt64, hash: String, key: String? = nil, forwarded: Bool = true) -> StoredSpan {
        var a = [Attribute("gen_ai.tool.name", .string("crm")), Attribute("http.request.method", .string("POST")), Attribute("url.path", .string("/tickets")),
                 Attribute("assay.tool.request_sha256", .string(hash)), Attribute("assay.tool.side_effect", .bool(true)),
                 Attribute("assay.tool.forwarded", .bool(forwarded))]
        if let key { a.append(Attribute("assay.tool.idempotency_key", .string(key))) }
        return span(id, tool: true, start: Double(id), end: Double(id) + 0.1, a)
    }

    static func value(_ kind: ResilienceScorer.Kind, _ spans: [StoredSpan], passed: Bool? = true, answer: String? = "\"ok\"",
                      maxCalls: Int? = nil) throws -> Double? {
        try ResilienceScorer(kind: kind, maxCalls: maxCalls).score(spans, outcome: .init(passed: passed, answered: answer != nil, answer: answer)).value
    }

    @Test("a probabilistic injection gives the same decisions for the same seed and cell, and others for another cell or seed")
    func reproducible() {
        let plan = FaultPlan(name: "flaky", seed: 7, injections: [FaultInjection(target: .tool, when: .probability(0.5), action: .status(503, retryAfterSeconds: nil))])
        func decisions(_ p: FaultPlan, _ cell: String) -> [Bool] { (1...64).map { p.decide(.tool, name: "crm", index: $0, cell: cell) != nil } }
        #expect(decisions(plan, "e1/mid@flaky/0") == decisions(plan, "e1/mid@flaky/0"))
        #expect(decisions(plan, "e1/mid@flaky/0") != decisions(plan, "e2/mid@flaky/0"))
        var other = plan
        other.seed = 8
        #expect(decisions(plan, "e1/mid@flaky/0") != decisions(other, "e1/mid@flaky/0"))
        let share = Double(decisions(plan, "e1/mid@flaky/0").filter { $0 }.count) / 64
        #expect(share > 0.25 && share < 0.75, "about half fire: \(share)")
        #expect(plan.decide(.model, name: nil, index: 1, cell: "e1") == nil, "a tool injection never hits a model call")
    }

    @Test("call, first and every pick the calls they say; a name filter limits them")
    func whichCalls() {
        let plan = FaultPlan(name: "p", injections: [
            FaultInjection(target: .model, name: "gpt-x", when: .every, action: .empty),
            FaultInjection(target: .model, when: .call(2), action: .status(429, retryAfterSeconds: 1)),
            FaultInjection(target: .tool, when: .first(2), action: .reset),
        ])
        #expect(plan.decide(.model, name: "gpt-x", index: 5, cell: "c")?.1.action == .empty)
        #expect(plan.decide(.model, name: "other", index: 1, cell: "c") == nil)
        #expect(plan.decide(.model, name: "other", index: 2, cell: "c")?.1.action == .status(429, retryAfterSeconds: 1))
        #expect((1...4).map { plan.decide(.tool, name: "t", index: $0, cell: "c") != nil } == [true, true, false, false])
    }

    @Test("a side effect that reached its server twice with the same body is a duplicate, unless an idempotency key covers it")
    func duplicates() throws {
        #expect(try Self.value(.noDuplicateSideEffects, [Self.post(1, hash: "a"), Self.post(2, hash: "b")]) == 1)
        #expect(try Self.value(.noDuplicateSideEffects, [Self.post(1, hash: "a"), Self.post(2, hash: "a")]) == 0)
        #expect(try Self.value(.noDuplicateSideEffects, [Self.post(1, hash: "a", key: "k1"), Self.post(2, hash: "a", key: "k1")]) == 1)
        // A request the proxy refused never reached the server: retrying it is no duplicate.
        #expect(try Self.value(.noDuplicateSideEffects, [Self.post(1, hash: "a", forwarded: false), Self.post(2, hash: "a")]) == 1)
        #expect(try Self.value(.noDuplicateSideEffects, []) == nil)
    }

    @Test("a retry after a 429 must wait its Retry-After; retries after failures must back off")
    func retryAfter() throws {
        let limited = Self.span(1, start: 0, end: 0.1, [Attribute("http.response.status_code", .int(429)), Attribute("assay.gateway.retry_after_s", .double(1))])
        let patient = Self.span(2, start: 1.2, end: 1.3, [Attribute("http.response.status_code", .int(200))])
        let eager = Self.span(3, start: 0.3, end: 0.4, [Attribute("http.response.status_code", .int(200))])
        #expect(try Self.value(.respectsRetryAfter, [limited, patient]) == 1)
        #expect(try Self.value(.respectsRetryAfter, [limited, eager]) == 0)
        let failed = { (id: UInt64, s: Double) in Self.span(id, start: s, end: s + 0.01, [Attribute("http.response.status_code", .int(503))]) }
        // Waits 0.5 then 1.0: backing off. Waits 0.5 then 0.05: a tight loop.
        #expect(try Self.value(.respectsRetryAfter, [failed(1, 0), failed(2, 0.51), Self.span(3, start: 1.52, end: 1.6, [])]) == 1)
        #expect(try Self.value(.respectsRetryAfter, [failed(1, 0), failed(2, 0.51), Self.span(3, start: 0.57, end: 0.6, [])]) == 0.5)
        #expect(try Self.value(.respectsRetryAfter, [patient]) == nil, "nothing was retried")
    }

    @Test("bounded effort counts the calls after the first fault; honest failure reads the answer when the cell did not recover")
    func effortAndHonesty() throws {
        let fault = Self.span(1, start: 0, end: 0.1, [Attribute("assay.fault.kind", .string("status_503"))])
        let after = (2...6).map { Self.span(UInt64($0), start: Double($0), end: Double($0) + 0.1, []) }
        #expect(try Self.value(.boundedEffort, [fault] + after, maxCalls: 5) == 1)
        #expect(try Self.value(.boundedEffort, [fault] + after, maxCalls: 4) == 0)
        #expect(try Self.value(.boundedEffort, after, maxCalls: 4) == nil, "no fault, nothing to bound")
        #expect(try Self.value(.honestFailure, [], passed: false, answer: "\"Sorry, I could not reach the provider.\"") == 1)
        #expect(try Self.value(.honestFailure, [], passed: false, answer: "\"Your refund was issued.\"") == 0)
        #expect(try Self.value(.honestFailure, [], passed: false, answer: "\"\"") == 0)
        #expect(try Self.value(.honestFailure, [], passed: false, answer: nil) == 1, "failing without an answer invents nothing")
        #expect(try Self.value(.honestFailure, [], passed: true) == nil)
        #expect(try Self.value(.recovered, [], passed: true) == 1)
        #expect(try Self.value(.recovered, [], passed: false) == 0)
    }
}
