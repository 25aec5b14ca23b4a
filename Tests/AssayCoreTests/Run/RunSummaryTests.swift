import AssayCore
import Testing

/// The run summary draws findings only from what was scored, and says why cells failed.
@Suite("Run summary: findings follow the data")
struct RunSummaryTests {
    static let tiers = [TierInfo(name: "low", model: "s", inputPricePerMillion: 1, outputPricePerMillion: 1),
                        TierInfo(name: "high", model: "l", inputPricePerMillion: 10, outputPricePerMillion: 10)]

    static func score(_ name: String, _ value: Double?, reason: UnscoredReason = .missingExpected) -> Score {
        Score(scorer: name, kind: ScorerKind(name), threshold: 0.5,
              outcome: value.map { .scored(value: $0, passed: $0 >= 0.5) } ?? .unscored(reason), explanation: "")
    }

    static func cell(_ example: String, _ tier: String, _ scores: [Score], status: CellStatus = .ok, error: String? = nil,
                     cost: Double = 0, agentSpans: Int? = 1) -> CellResult {
        CellResult(key: CellKey(example: example, tier: tier, repeatIndex: 0), status: status, error: error, traceID: nil, output: nil,
                   components: status == .ok ? [ComponentResult(component: "c", spanIDs: [], scores: scores, weights: scores.map { _ in 1 }, threshold: nil)] : [],
                   inputTokens: 0, outputTokens: 0, costUSD: cost, latencyNanos: 1, attempts: 1, finishedAtUnixNano: 1, agentSpans: agentSpans)
    }

    static func run(_ cells: [CellResult]) -> RunRecord {
        RunRecord(id: "r", suitePath: "s", suiteHash: "h", suiteText: "", gitRevision: nil, datasetVersions: [:], assayVersion: "0",
                  tiers: tiers, components: ["c"], thresholds: [:], shard: nil, startedAtUnixNano: 1, state: .finished,
                  plannedCells: cells.count, cells: cells)
    }

    @Test("a component never scored is neither a bottleneck nor rising, and no tier is advised for it")
    func unscoredIsUnjudged() {
        let cells = ["a", "b", "c"].flatMap { e in ["low", "high"].map { Self.cell(e, $0, [Self.score("x", nil, reason: .noAgentSpans)], agentSpans: 0) } }
        let s = RunSummary(Self.run(cells))
        #expect(s.bottlenecks.isEmpty && s.rising.isEmpty)
        #expect(s.unjudged == ["c"])
        #expect(s.spanlessCells == 6)
        #expect(s.routing.first?.tier == nil && s.routing.first?.reason == "nothing was scored")
        #expect(s.cell("c", "low")?.unscoredReasons == ["no_agent_spans": 3])
    }

    @Test("flat zero scores on every tier are a bottleneck; equal scores rising are not")
    func flatIsBottleneck() {
        let flat = ["a", "b", "c"].flatMap { e in ["low", "high"].map { Self.cell(e, $0, [Self.score("x", 0.2)]) } }
        #expect(RunSummary(Self.run(flat)).bottlenecks == ["c"])
        let rising = ["a", "b", "c"].flatMap { e in [("low", 0.2), ("high", 0.9)].map { Self.cell(e, $0.0, [Self.score("x", $0.1 + (e == "b" ? 0.05 : 0))]) } }
        let s = RunSummary(Self.run(rising))
        #expect(s.bottlenecks.isEmpty && s.rising == ["c"] && s.unjudged.isEmpty)
    }

    @Test("with costs unknown or equal no tier is called the cheapest")
    func noFalseCheapest() {
        let cells = ["a", "b"].flatMap { e in ["low", "high"].map { Self.cell(e, $0, [Self.score("x", $0 == "high" ? 1 : 0.2)], cost: 0) } }
        let reason = RunSummary(Self.run(cells)).routing.first?.reason ?? ""
        #expect(!reason.contains("cheapest") && reason.contains("costs are unknown"), "\(reason)")
        let priced = ["a", "b"].flatMap { e in ["low", "high"].map { Self.cell(e, $0, [Self.score("x", $0 == "high" ? 1 : 0.2)], cost: $0 == "high" ? 0.01 : 0.001) } }
        let advice = RunSummary(Self.run(priced)).routing.first?.reason ?? ""
        #expect(!advice.contains("is the cheapest tier"), "high costs more than low: \(advice)")
    }

    @Test("a component scored by only some of its scorers is counted as partial, with the missing scorer and why")
    func partial() {
        let cells = ["a", "b"].flatMap { e in ["low", "high"].map { Self.cell(e, $0, [Self.score("format", 1), Self.score("exact", nil)]) } }
        let cell = RunSummary(Self.run(cells)).cell("c", "low")
        #expect(cell?.mean == 1 && cell?.partial == 2)
        #expect(cell?.partialReasons == ["exact: missing_expected": 2])
    }

    @Test("failed cells are grouped by reason, numbers and quoted text aside, with a count and one cell each")
    func failureReasons() {
        let cells = [
            Self.cell("a", "low", [], status: .error, error: "the agent's standard output is not one JSON value (12 bytes, starting \"hello\")"),
            Self.cell("b", "low", [], status: .error, error: "the agent's standard output is not one JSON value (40 bytes, starting \"oops\")"),
            Self.cell("c", "high", [], status: .error, error: "the agent exited with status 1: Traceback (most recent call last):\nmore"),
            Self.cell("d", "high", [], status: .timeout, error: nil),
        ]
        let s = RunSummary(Self.run(cells))
        #expect(s.failedCells == 4)
        #expect(s.failureReasons.map(\.count) == [2, 1, 1])
        #expect(s.failureReasons.first?.reason.hasPrefix("the agent's standard output is not one JSON value (12 bytes") == true)
        #expect(s.failureReasons.first?.example == "a/low#0")
        #expect(s.failureReasons.contains { $0.reason == "the agent exited with status 1: Traceback (most recent call last):" })
        #expect(s.failureReasons.contains { $0.reason == "timeout" })
    }
}
