import AssayCore
import Foundation

/// The terminal summary of a run: the component × tier matrix, why cells failed or went unscored,
/// the scaling check and the routing advice. Findings are drawn only from what was scored.
enum RunText {
    static func render(_ run: RunRecord, _ s: RunSummary) -> String {
        var rows = [["COMPONENT"] + run.tiers.map { "\($0.name) (\(DisplayFormat.safe($0.model, limit: 24)))" }]
        // The resilience scorers judge fault plans: their lines are the resilience summary's (below).
        for c in run.components where ResilienceScorerKind(rawValue: c) == nil {
            rows.append([c] + run.tiers.map { t in
                guard let cell = s.cell(c, t.name), let mean = cell.mean else { return "-" }
                let half = ((cell.high ?? mean) - (cell.low ?? mean)) / 2
                return String(format: "%.2f ±%.2f  pass %.0f%%", mean, half, (cell.passRate ?? 0) * 100) + (cell.partial > 0 ? " (partial)" : "")
            })
        }
        // A tier whose model has no price (none in the suite, none in the price table) costs unknown, never $0.
        rows.append(["cost / cell"] + run.tiers.map { t in
            t.costKnown ? String(format: "$%.5f", s.cell(run.components.first ?? "", t.name)?.costPerCell ?? 0) : "unknown"
        })
        rows.append(["latency p50 / p95"] + run.tiers.map { t in
            guard let cell = s.cell(run.components.first ?? "", t.name) else { return "-" }
            return DisplayFormat.duration(nanos: cell.latencyP50) + " / " + DisplayFormat.duration(nanos: cell.latencyP95)
        })
        var out = Table.render(rows) + "\n"
        out += failures(s)
        out += stoppedConversations(run)
        out += unscored(run, s)
        for c in s.bottlenecks {
            out += "scaling check: \(c) does not improve from \(run.tiers.first?.name ?? "") to \(run.tiers.last?.name ?? "") beyond noise: the harness, not the model, limits it\n"
        }
        for c in s.unjudged { out += "scaling check: \(c) could not be judged: it was not scored on two tiers for the same examples\n" }
        for r in s.routing { out += "routing: \(r.component): \(r.tier.map { "use \($0)" } ?? "no tier is good enough") (\(r.reason))\n" }
        if let line = run.gatewaySummary { out += line + "\n" }
        // Replayed calls keep their cost at the tiers' prices (for the routing advice); say that none was spent.
        out += String(format: "total cost $%.4f", s.totalCost) + (run.allCallsReplayed ? " at the tiers' prices (every call was replayed: $0 spent)" : "") + "\n"
        return out
    }

    /// Why cells failed: each distinct reason with its count and one cell.
    static func failures(_ s: RunSummary) -> String {
        guard s.failedCells > 0 else { return "" }
        var out = "\(s.failedCells) of \(s.totalCells) cells failed:\n"
        for f in s.failureReasons.prefix(10) {
            out += "  \(f.count) × \(DisplayFormat.safe(f.reason, limit: 300))  (e.g. \(DisplayFormat.safe(f.example, limit: 80)))\n"
        }
        if s.failureReasons.count > 10 { out += "  and \(s.failureReasons.count - 10) more reasons (see the run's JSON)\n" }
        return out
    }

    /// Conversations that stopped before their script's end without failing, each reason with its count
    /// and one cell (docs/conversations.md).
    static func stoppedConversations(_ run: RunRecord) -> String {
        let stopped = run.cells.filter { $0.conversationStopped != nil }
        guard !stopped.isEmpty else { return "" }
        var byReason: [String: (Int, CellKey)] = [:]
        for cell in stopped { byReason[cell.conversationStopped!, default: (0, cell.key)].0 += 1 }
        var out = "\(stopped.count) of \(run.cells.filter { $0.turns != nil }.count) conversations stopped before their end:\n"
        for (reason, (n, key)) in byReason.sorted(by: { ($0.value.0, $1.key) > ($1.value.0, $0.key) }).prefix(10) {
            out += "  \(n) × \(DisplayFormat.safe(reason, limit: 300))  (e.g. \(DisplayFormat.safe(key.example, limit: 60))/\(DisplayFormat.safe(key.column, limit: 40))#\(key.repeatIndex))\n"
        }
        return out
    }

    /// Cells without the agent's spans, and components scored in part or not at all, with why.
    static func unscored(_ run: RunRecord, _ s: RunSummary) -> String {
        var out = ""
        if s.spanlessCells > 0 {
            out += "WARNING: \(s.spanlessCells) of \(s.totalCells) cells got no spans from the agent (the trace holds only the runner's span): "
                + "no component was judged there; export spans to ASSAY_TRACE_FILE and propagate TRACEPARENT (docs/runner.md)\n"
        }
        for c in run.components {
            let cells = run.tiers.compactMap { s.cell(c, $0.name) }
            let reasons = cells.reduce(into: [String: Int]()) { acc, cell in
                for (code, n) in cell.unscoredReasons where code != "cell_failed" && code != UnscoredReason.noAgentSpans.code { acc[code, default: 0] += n }
            }
            if !reasons.isEmpty {
                out += "not scored: \(c): " + reasons.sorted { $0.key < $1.key }.map { "\($0.value) × \(Self.sentence($0.key))" }.joined(separator: "; ") + "\n"
            }
            let partial = cells.reduce(into: [String: Int]()) { acc, cell in for (k, n) in cell.partialReasons { acc[k, default: 0] += n } }
            if !partial.isEmpty {
                out += "partly scored: \(c): the score leaves out " + partial.sorted { $0.key < $1.key }.map { k, n in
                    let parts = k.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                    return "\(parts[0]) in \(n) cells (\(Self.sentence(parts.count > 1 ? parts[1] : "")))"
                }.joined(separator: "; ") + "\n"
            }
        }
        return out
    }

    /// A reason's sentence without the `: ` that an empty detail leaves at its end.
    static func withoutEmptyDetail(_ text: String) -> String { text.hasSuffix(": ") ? String(text.dropLast(2)) : text }

    /// The sentence of an unscored reason code.
    static func sentence(_ code: String) -> String {
        switch code {
        case "not_scored": "the component has no result"
        case "not_observed": "what the scorer needs was not observed (each cell's score in the report says what: a stopped conversation, a missing span)"
        default: Self.withoutEmptyDetail(UnscoredReason(code: code, detail: "").description)
        }
    }
}
