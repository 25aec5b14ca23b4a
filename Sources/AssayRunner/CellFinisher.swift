import AssayCore
import AssayOTLP
import AssayEval
import AssayGateway
import Foundation

/// Turns an attempt into a recorded cell: writes the runner's root span of the cell's trace, takes in
/// the spans of `ASSAY_TRACE_FILE`, reads the trace and scores every component on it.
struct CellFinisher: @unchecked Sendable {
    let suite: Suite
    let runID: String
    let store: any TraceStore
    let traceFolder: String
    /// When set, only this component is scored (a replay of one component).
    let component: String?
    /// The resilience scorers, when the run has fault plans.
    var resilience: [ResilienceScorer] = []

    /// The runner's root span of an attempt's trace (every attempt has its own trace), as a batch to
    /// write and as a stored span to score with; the spans of `ASSAY_TRACE_FILE` are taken in first.
    /// `extra` are further attributes (a conversation's exchange has its conversation id and turn).
    func root(_ a: CellAttempt, key: CellKey, tier: Suite.Tier, input: JSONValue, attempt: Int, extra: [Attribute] = []) -> (IngestBatch, StoredSpan) {
        var attributes = [
            Attribute("assay.run.id", .string(runID)), Attribute("assay.example.id", .string(key.example)),
            Attribute("assay.tier", .string(tier.info.name)), Attribute("assay.model", .string(tier.info.model)),
            Attribute("assay.repeat", .int(Int64(key.repeatIndex))), Attribute("assay.attempt", .int(Int64(attempt))),
            Attribute("input.value", .string(input.text)),
        ]
        var status = SpanStatus()
        switch a.outcome {
        case .answered(let value): attributes.append(Attribute("output.value", .string(value.text)))
        case .failed(let message, _): status = SpanStatus(code: .error, message: message)
        case .timedOut: status = SpanStatus(code: .error, message: "timeout")
        }
        if let component { attributes.append(Attribute("assay.component", .string(component))) }
        if let condition = key.condition { attributes.append(Attribute("assay.condition", .string(condition))) }
        if a.restarts > 0 { attributes.append(Attribute("assay.restarts", .int(Int64(a.restarts)))) }
        attributes += extra
        let span = Span(traceID: a.traceID, spanID: a.rootSpanID, name: TraceOrigin.runRootPrefix + tier.info.name, kind: .internal,
                        startTimeUnixNano: a.startNanos, endTimeUnixNano: max(a.startNanos, a.endNanos), attributes: attributes, status: status)
        let resource = Self.runnerResource, scope = Self.runnerScope
        let batch = Self.rootBatch([span])
        let file = traceFolder + "/\(a.traceID).jsonl"
        if FileManager.default.fileExists(atPath: file) {
            _ = try? Ingestor(store: store, options: .init(skipInvalid: true)).ingest(.file(file))
            try? FileManager.default.removeItem(atPath: file)
        }
        return (batch, StoredSpan(span: span, summary: SpanSummary(span: span), resource: resource, scope: scope))
    }

    static let runnerResource = Resource(attributes: [Attribute("service.name", .string("assay-runner"))])
    static let runnerScope = InstrumentationScope(name: "assay.runner")

    /// The runner's root spans as one batch.
    static func rootBatch(_ spans: [Span]) -> IngestBatch {
        IngestBatch(TracesData(resourceSpans: [ResourceSpans(resource: runnerResource, scopeSpans: [ScopeSpans(scope: runnerScope, spans: spans)])]))
    }

    /// The recorded cell for the final attempt.
    func finish(_ a: CellAttempt, root: StoredSpan, key: CellKey, example: RunPlan.Example, tier: Suite.Tier, attempts: Int,
                gateway: GatewayCell?) async -> CellResult {
        // The agent's spans from the store, with the root not yet written (it is committed with the cell).
        let agentSpans = (try? store.trace(a.traceID))?.spans ?? []
        let calls = gateway?.calls ?? []
        let gatewaySpans = Self.writeGatewaySpans(calls, tools: gateway?.toolSpans ?? [], agentSpans: agentSpans, traceIDs: [a.traceID], store: store)
        let spans = agentSpans + gatewaySpans + [root]
        let trace: StoredTrace? = StoredTrace(summary: TraceSummary(traceID: a.traceID, spans: spans.map { ($0.span, $0.summary) }), spans: spans)
        var input = trace?.summary.inputTokens ?? 0, output = trace?.summary.outputTokens ?? 0
        var cost = tier.info.cost(input: input, output: output)
        // The gateway saw the bytes the provider billed: its figures are the cell's, retries included.
        if !calls.isEmpty {
            input = calls.reduce(0) { $0 &+ $1.usage.inputTokens }
            output = calls.reduce(0) { $0 &+ $1.usage.outputTokens }
            cost = calls.reduce(0) { $0 + $1.costUSD }
        }
        // A tier whose model has no price has no cost: scorers see none (a cost budget is then unscored), not $0.
        let knownCost = tier.info.costKnown ? cost : nil
        var status = CellStatus.ok
        var error: String?
        var outputText: String?
        var results: [ComponentResult] = []
        switch a.outcome {
        case .answered(let value):
            outputText = value.compactJSON
            if let trace {
                for c in suite.components where component == nil || c.name == component {
                    // With no span from the agent there is nothing to judge a component by: say so
                    // rather than score what the selector finds in the runner's own span.
                    results.append(agentSpans.isEmpty && gatewaySpans.isEmpty ? c.unscored(.noAgentSpans)
                                   : await c.score(trace, expected: example.components[c.name]?.expected, costUSD: knownCost))
                }
                if component == nil, let e2e = suite.endToEnd {
                    results.append(await e2e.score(trace, expected: example.expected, observed: value, costUSD: knownCost))
                }
            }
        case .failed(let message, _):
            status = .error
            error = message
        case .timedOut:
            status = .timeout
            error = "the agent did not answer within \(suite.agent.timeoutSeconds) s; its process group was killed"
        }
        // What the gateway refused (the guard, a replay miss, an unreachable upstream) fails the cell,
        // whatever the agent made of it: its answer was not reached the way the suite asks.
        if let problems = gateway?.problems, !problems.isEmpty {
            error = problems.joined(separator: "; ") + (error.map { "; then " + $0 } ?? "")
            status = .error
            results = []
        } else if status != .ok, let notes = gateway?.notes, !notes.isEmpty {
            // The agent failed after an upstream failed it: say both, the gateway's part first.
            error = "the gateway: " + notes.joined(separator: "; ") + (error.map { "; then " + $0 } ?? "")
        }
        // The resilience scorers judge every cell that ran, failed ones too: not recovering is their finding.
        if component == nil, gateway?.problems.isEmpty ?? true, !resilience.isEmpty {
            let e2e = results.first { $0.component == Suite.endToEndName }
            let scored = results.compactMap(\.passed)
            let passed: Bool? = status != .ok ? false : e2e.map { $0.passed } ?? (scored.isEmpty ? nil : scored.allSatisfy { $0 })
            let outcome = ResilienceScorer.Outcome(passed: passed, answered: status == .ok, answer: outputText)
            if key.condition != nil, gateway?.faults?.log.isEmpty ?? true {
                // A plan that injected nothing tested nothing: the cell is not counted as recovered.
                let why = UnscoredReason.notObserved("an injected fault (none of this cell's calls that the plan targets went through the gateway or the tool proxy)")
                results += resilience.map { $0.unscored(why) }
            } else {
                results += resilience.map { $0.score(spans, outcome: outcome) }
            }
        }
        var cell = CellResult(key: key, status: status, error: error, traceID: a.traceID, output: outputText, components: results,
                              inputTokens: input, outputTokens: output, costUSD: cost, latencyNanos: a.elapsedNanos, attempts: attempts,
                              finishedAtUnixNano: AgentLauncher.now(), agentSpans: agentSpans.count)
        if a.restarts > 0 { cell.restarts = a.restarts }
        if let log = gateway?.faults?.log, !log.isEmpty { cell.faults = log }
        if !calls.isEmpty {
            cell.modelCalls = calls.count
            cell.replayedCalls = calls.filter { $0.cache == .hit }.count
        }
        return cell
    }

    /// Writes the spans of the cell's model calls (every attempt's) to the store and returns those of
    /// this attempt's trace. When the agent's own spans already report usage for model calls, the
    /// gateway's are written with their usage under `assay.gateway.usage.*`, so that the trace counts
    /// the tokens once (docs/gateway.md, "Counted once").
    static func writeGatewaySpans(_ calls: [GatewayCall], tools: [Span] = [], agentSpans: [StoredSpan], traceIDs: Set<TraceID>, store: any TraceStore) -> [StoredSpan] {
        guard !calls.isEmpty || !tools.isEmpty else { return [] }
        let agentReportsUsage = agentSpans.contains { s in
            (s.summary.operation == .chat || s.summary.operation == .embeddings) && (s.summary.inputTokens != nil || s.summary.outputTokens != nil)
        }
        let spans = calls.map { agentReportsUsage ? $0.uncountedSpan : $0.span }
        let resource = Resource(attributes: [Attribute("service.name", .string("assay-gateway"))])
        let scope = InstrumentationScope(name: "assay.gateway")
        let toolScope = InstrumentationScope(name: "assay.tools")
        var scopes = [ScopeSpans(scope: scope, spans: spans)]
        if !tools.isEmpty { scopes.append(ScopeSpans(scope: toolScope, spans: tools)) }
        let data = TracesData(resourceSpans: [ResourceSpans(resource: resource, scopeSpans: scopes)])
        _ = try? store.write { try $0.write(IngestBatch(data)) }
        return spans.filter { traceIDs.contains($0.traceID) }.map { StoredSpan(span: $0, summary: SpanSummary(span: $0), resource: resource, scope: scope) }
            + tools.filter { traceIDs.contains($0.traceID) }.map { StoredSpan(span: $0, summary: SpanSummary(span: $0), resource: resource, scope: toolScope) }
    }
}
