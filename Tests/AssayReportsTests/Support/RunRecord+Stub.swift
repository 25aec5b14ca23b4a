@testable import AssayCore
@testable import AssayReports

/// Hostile strings that every report must keep inert and well-formed.
enum Hostile {
    static let control = "bell\u{07} esc\u{1B}[31mred\u{1B}[0m nul\u{0} ffff\u{FFFF} tab\tend"
    static let cdata = "a ]]> b <![CDATA[ c ]]>"
    static let script = "</script><script>alert(1)</script>"
    static let image = "<img src=x onerror=\"document.title='pwned'\">"
    static let emoji = "👩🏽‍💻 done 🎉 e\u{301}"
    static let markdown = "a | b `code` **bold** [link](http://x) @someone #12"
    /// About 1 MB of output, with a multi-byte character straddling the truncation limits.
    static let huge = String(repeating: "é0123456789abcdef", count: 60_000)
}

extension ComponentResult {
    /// A component result with one scorer: scored with `value` (nil: unscored), passing at `threshold`.
    static func stub(_ component: String, _ value: Double?, threshold: Double = 0.7, explanation: String = "compared") -> ComponentResult {
        let outcome: ScoreOutcome = value.map { .scored(value: $0, passed: $0 >= threshold) } ?? .unscored(.notObserved("the output text"))
        let score = Score(scorer: "\(component)_match", kind: .builtin(.exactMatch), threshold: threshold, outcome: outcome, explanation: explanation)
        return ComponentResult(component: component, spanIDs: [], scores: [score], weights: [1], threshold: threshold)
    }
}

extension CellResult {
    /// A finished cell whose components scored `values` (component → value, nil: unscored).
    static func stub(_ example: String, _ tier: String, repeatIndex: Int = 0, status: CellStatus = .ok, error: String? = nil,
                     output: String? = "{\"answer\":\"ok\"}", values: [(String, Double?)], explanation: String = "compared",
                     latencyMillis: UInt64 = 1234, cost: Double = 0.0012, traceID: TraceID? = nil) -> CellResult {
        CellResult(key: CellKey(example: example, tier: tier, repeatIndex: repeatIndex), status: status, error: error,
                   traceID: traceID ?? TraceID(hex: String(repeating: "ab", count: 16)),
                   output: status == .ok ? output : nil,
                   components: status == .ok ? values.map { ComponentResult.stub($0.0, $0.1, explanation: explanation) } : [],
                   inputTokens: 120, outputTokens: 30, costUSD: cost, latencyNanos: latencyMillis * 1_000_000 + 456_789, attempts: status == .ok ? 1 : 3,
                   finishedAtUnixNano: 1_795_286_760_000_000_000)
    }
}

extension RunRecord {
    static let tierInfos = [
        TierInfo(name: "low", model: "small-1", inputPricePerMillion: 0.1, outputPricePerMillion: 0.4),
        TierInfo(name: "mid", model: "medium-2", inputPricePerMillion: 1, outputPricePerMillion: 4),
        TierInfo(name: "frontier", model: "large-3", inputPricePerMillion: 5, outputPricePerMillion: 20),
    ]

    /// A run with the given cells over three tiers and the given components.
    static func stub(id: String = "run-20261121-184500-3f2a", components: [String] = ["triage", "draft", "end_to_end"],
                     cells: [CellResult]) -> RunRecord {
        RunRecord(id: id, suitePath: "suites/email.yaml", suiteHash: "9f86d081", suiteText: "", gitRevision: "abc123",
                  datasetVersions: ["emails": "v1"], assayVersion: "0.1.0", tiers: tierInfos, components: components,
                  thresholds: Dictionary(uniqueKeysWithValues: components.map { ($0, 0.7) }), shard: nil,
                  startedAtUnixNano: 1_795_279_500_250_000_000, state: .finished, plannedCells: cells.count, cells: cells)
    }

    /// The hostile fixture: three tiers, three components, five examples, a repeat, a duplicate cell, a
    /// crashed cell, a timeout, an unscored component, hostile ids, explanations and outputs, a 1 MB output.
    static func hostile() -> RunRecord {
        var cells: [CellResult] = []
        let ids = ["q1", "q2 with  spaces", Hostile.image, "emoji 👩🏽‍💻", "big"]
        for (i, id) in ids.enumerated() {
            for (t, tier) in ["low", "mid", "frontier"].enumerated() {
                let base = 0.4 + 0.2 * Double(t) + 0.05 * Double(i)
                var output = "{\"answer\":\"\(Hostile.script) \(Hostile.cdata) \(Hostile.emoji) \(Hostile.control)\"}"
                if id == "big" { output = Hostile.huge }
                cells.append(.stub(id, tier, output: output, values: [("triage", min(1, base)), ("draft", min(1, base + 0.1)), ("end_to_end", min(1, base - 0.1))],
                                   explanation: "expected <b>x</b> got \(Hostile.image) \(Hostile.control)", latencyMillis: UInt64(800 + 300 * t + 50 * i),
                                   cost: 0.001 * Double(t + 1)))
            }
        }
        cells.append(.stub("q1", "mid", repeatIndex: 1, values: [("triage", 0.9), ("draft", 0.2), ("end_to_end", 0.8)]))
        cells.append(.stub("q1", "low", values: [("triage", 0.1), ("draft", 0.1), ("end_to_end", 0.1)]))  // a duplicate cell
        cells.append(.stub("crash", "low", status: .error, error: "agent exited with status 1: \(Hostile.control) \(Hostile.cdata)", values: []))
        cells.append(.stub("slow", "frontier", status: .timeout, error: "killed after 60 s", values: []))
        cells.append(.stub("unscored", "mid", values: [("triage", nil), ("draft", 0.9), ("end_to_end", 0.8)]))
        return .stub(cells: cells)
    }

    /// A large, regular run: `examples` × tiers × components, scores from `score(component, tier, example)`.
    static func scored(examples: Int, components: [String], tiers: [String] = ["low", "mid", "frontier"], id: String = "run-big",
                       output: (Int) -> String = { _ in "{\"answer\":\"ok\"}" },
                       score: (String, String, Int) -> Double) -> RunRecord {
        var cells: [CellResult] = []
        cells.reserveCapacity(examples * tiers.count)
        for e in 0..<examples {
            for tier in tiers {
                cells.append(.stub("ex-\(e)", tier, output: output(e), values: components.map { ($0, score($0, tier, e)) }))
            }
        }
        return .stub(id: id, components: components, cells: cells)
    }
}
