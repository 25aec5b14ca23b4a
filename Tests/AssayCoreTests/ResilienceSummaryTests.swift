@testable import AssayCore
import Testing

/// The resilience summary compares faulted cells with clean ones by example, and tells a harness
/// bottleneck from a model that recovers, only where there is data.
@Suite("Resilience summary: recovery against the model, paired by example")
struct ResilienceSummaryTests {
    static let tiers = ["low", "mid", "frontier"].map { TierInfo(name: $0, model: "sim-\($0)", inputPricePerMillion: 1, outputPricePerMillion: 1) }

    static func result(_ component: String, _ value: Double?) -> ComponentResult {
        let score = Score(scorer: component, kind: ScorerKind(component), threshold: 0.5,
                          outcome: value.map { .scored(value: $0, passed: $0 >= 0.5) } ?? .unscored(.missingExpected), explanation: "")
        return ComponentResult(component: component, spanIDs: [], scores: [score], weights: [1], threshold: nil)
    }

    static func cell(_ example: String, _ tier: String, _ condition: String?, recovered: Double?, endToEnd: Double?, repeatIndex: Int = 0,
                     status: CellStatus = .ok, error: String? = nil, faults: [String]? = nil, restarts: Int? = nil) -> CellResult {
        var c = CellResult(key: CellKey(example: example, tier: tier, repeatIndex: repeatIndex, condition: condition), status: status, error: error,
                           traceID: nil, output: nil,
                           components: status == .ok ? [result("end_to_end", endToEnd), result("recovered", recovered)] : [],
                           inputTokens: 0, outputTokens: 0, costUSD: 0, latencyNanos: 1, attempts: 1, finishedAtUnixNano: 1, agentSpans: 1)
        c.faults = faults
        c.restarts = restarts
        return c
    }

    static func run(_ cells: [CellResult], conditions: [String] = ["outage"], components: [String] = ["end_to_end", "recovered"]) -> RunRecord {
        var r = RunRecord(id: "r", suitePath: "s", suiteHash: "h", suiteText: "", gitRevision: nil, datasetVersions: [:], assayVersion: "0",
                          tiers: tiers, components: components, thresholds: [:], shard: nil, startedAtUnixNano: 1, state: .finished,
                          plannedCells: cells.count, cells: cells)
        r.conditions = conditions
        return r
    }

    /// Ten examples on every tier: clean cells pass; faulted cells recover as `recovery(tier, example)` says.
    static func faultedRun(_ recovery: (String, Int) -> Double) -> RunRecord {
        var cells: [CellResult] = []
        for e in 0..<10 {
            for tier in tiers.map(\.name) {
                cells.append(cell("e\(e)", tier, nil, recovered: 1, endToEnd: 0.9))
                let r = recovery(tier, e)
                cells.append(cell("e\(e)", tier, "outage", recovered: r, endToEnd: r * 0.9, faults: ["model:status_503"]))
            }
        }
        return run(cells)
    }

    @Test("recovery flat at zero on every tier is a harness bottleneck, with its evidence")
    func flatIsBottleneck() throws {
        let s = ResilienceSummary(Self.faultedRun { _, _ in 0 })
        #expect(s.bottlenecks == ["outage"])
        let f = try #require(s.verdict("outage"))
        #expect(f.kind == .bottleneck)
        #expect(f.tiers == ["low", "frontier"] && f.paired == 10 && f.difference == 0)
        #expect(f.recovery == ["low": 0, "mid": 0, "frontier": 0])
        #expect(f.text == "outage: recovery does not rise with the model (low 0.00, mid 0.00, frontier 0.00, Δ +0.00 [0.00, 0.00], n=10): "
            + "a harness bottleneck — retries, fallbacks or checkpoints, not a stronger model, would fix it")
        #expect(s.findings.first == f, "bottlenecks come first")
        #expect(s.column("outage", "mid")?.faults == ["model:status_503": 10])
    }

    @Test("recovery rising with the tier beyond noise is not a bottleneck: a stronger model recovers")
    func risingIsNotBottleneck() throws {
        let s = ResilienceSummary(Self.faultedRun { tier, e in tier == "low" ? 0 : tier == "mid" ? (e < 5 ? 1 : 0) : (e < 9 ? 1 : 0) })
        #expect(s.bottlenecks.isEmpty)
        let f = try #require(s.verdict("outage"))
        #expect(f.kind == .rising)
        #expect(f.text.contains("a stronger model recovers"))
        #expect((f.low ?? 0) > 0)
    }

    @Test("full recovery on every tier is handled")
    func fullRecoveryIsHandled() throws {
        let s = ResilienceSummary(Self.faultedRun { _, _ in 1 })
        let f = try #require(s.verdict("outage"))
        #expect(f.kind == .handled && s.bottlenecks.isEmpty)
        #expect(f.text.hasPrefix("outage: handled"))
        #expect(s.findings.allSatisfy { $0.kind != .hurt }, "no drop: nothing is hurt")
    }

    @Test("one example is too little: the plan is unjudged, never a bottleneck")
    func oneExampleIsUnjudged() throws {
        let cells = Self.tiers.flatMap { t in
            [Self.cell("only", t.name, nil, recovered: 1, endToEnd: 1), Self.cell("only", t.name, "outage", recovered: 0, endToEnd: 0)]
        }
        let s = ResilienceSummary(Self.run(cells))
        let f = try #require(s.verdict("outage"))
        #expect(f.kind == .unjudged && s.bottlenecks.isEmpty)
        #expect(f.text.contains("fewer than 2 examples") && f.text.contains("n=1"))
        #expect(!s.findings.contains { $0.kind == .hurt }, "one pair has no interval beyond noise")
    }

    @Test("without a recovered component the plan is unjudged")
    func noRecoveryComponent() throws {
        let cells = (0..<5).flatMap { e in Self.tiers.flatMap { t in
            [Self.cell("e\(e)", t.name, nil, recovered: nil, endToEnd: 1), Self.cell("e\(e)", t.name, "outage", recovered: nil, endToEnd: 0.2)]
        } }
        let s = ResilienceSummary(Self.run(cells, components: ["end_to_end"]))
        #expect(s.verdict("outage")?.kind == .unjudged)
        #expect(s.verdict("outage")?.text.contains("no recovered component") == true)
        #expect(s.column("outage", "low")?.recovery == nil)
    }

    @Test("drops are paired by example, repeats averaged first, and a component hurt beyond noise is named")
    func dropsArePaired() throws {
        var cells: [CellResult] = []
        for e in 0..<4 {
            let clean = 0.5 + 0.1 * Double(e)
            cells.append(Self.cell("e\(e)", "mid", nil, recovered: 1, endToEnd: clean))
            // Two repeats under the fault: their mean is 0.2 below the example's clean score.
            cells.append(Self.cell("e\(e)", "mid", "outage", recovered: 1, endToEnd: clean - 0.1))
            cells.append(Self.cell("e\(e)", "mid", "outage", recovered: 0, endToEnd: clean - 0.3, repeatIndex: 1))
        }
        // Scored only under the fault: not paired.
        cells.append(Self.cell("extra", "mid", "outage", recovered: 1, endToEnd: 0))
        let s = ResilienceSummary(Self.run(cells))
        let c = try #require(s.cell("outage", "mid", "end_to_end"))
        #expect(c.paired == 4 && c.scored == 9 && c.unscored == 0)
        #expect(abs((c.drop ?? 0) - 0.2) < 1e-9)
        #expect(abs((c.low ?? 0) - 0.2) < 1e-9, "the same drop on every example: a zero-width interval")
        #expect(c.hurt)
        let hurt = try #require(s.findings.first { $0.kind == .hurt })
        #expect(hurt.component == "end_to_end" && hurt.tiers == ["mid"])
        #expect(hurt.text.hasPrefix("end_to_end is hurt by outage: mid"))
        #expect(!s.findings.contains { $0.kind == .hurt && $0.component == "recovered" }, "recovery is reported as recovery")
    }

    @Test("a failed faulted cell counts as 0 and its reason, restarts and faults are kept")
    func failedFaultedCell() throws {
        let cells = (0..<3).flatMap { e in
            [Self.cell("e\(e)", "low", nil, recovered: 1, endToEnd: 1),
             Self.cell("e\(e)", "low", "outage", recovered: nil, endToEnd: nil, status: .error, error: "exit 1 after \(e) s",
                       faults: ["crash:after_tool_call_2"], restarts: 1)]
        }
        let s = ResilienceSummary(Self.run(cells))
        let column = try #require(s.column("outage", "low"))
        #expect(column.cells == 3 && column.failedCells == 3 && column.restarts == 3)
        #expect(column.recovery == 0)
        #expect(column.failureReasons.count == 1 && column.failureReasons.first?.count == 3)
        #expect(column.faults == ["crash:after_tool_call_2": 3])
        #expect(s.cell("outage", "low", "end_to_end")?.mean == 0)
    }

    @Test("a run with no fault plan gives an empty summary")
    func noConditions() {
        let cells = (0..<3).map { Self.cell("e\($0)", "low", nil, recovered: 1, endToEnd: 1) }
        let s = ResilienceSummary(Self.run(cells, conditions: []))
        #expect(s.isEmpty && s.cells.isEmpty && s.columns.isEmpty && s.findings.isEmpty && s.scaling.isEmpty)
    }

    @Test("clean cells do not count as faulted, and faulted cells stay out of the run summary")
    func cleanAndFaultedApart() throws {
        var cells: [CellResult] = []
        for e in 0..<4 {
            for t in Self.tiers.map(\.name) {
                cells.append(Self.cell("e\(e)", t, nil, recovered: 1, endToEnd: 0.8))
                cells.append(Self.cell("e\(e)", t, "outage", recovered: nil, endToEnd: nil, status: .timeout))
            }
        }
        let record = Self.run(cells)
        let s = ResilienceSummary(record)
        #expect(s.column("outage", "low")?.cells == 4, "the clean cells of the tier are not faulted cells")
        #expect(s.column("outage", "low")?.failedCells == 4)
        #expect(s.cell("outage", "low", "end_to_end")?.cleanMean == 0.8)
        let summary = RunSummary(record)
        #expect(summary.failedCells == 0 && summary.failureReasons.isEmpty)
        #expect(summary.cell("end_to_end", "low")?.mean == 0.8)
        #expect(summary.cell("end_to_end", "low")?.scored == 4 && summary.cell("end_to_end", "low")?.unscored == 0)
    }

    @Test("the scaling checks cover adjacent tiers and the lowest against the highest")
    func scalingPairs() {
        let s = ResilienceSummary(Self.faultedRun { _, _ in 0.5 })
        #expect(s.scaling.map { "\($0.from)>\($0.to)" } == ["low>mid", "mid>frontier", "low>frontier"])
        #expect(s.scaling.allSatisfy { $0.flat && $0.paired == 10 })
        #expect(s.bottlenecks == ["outage"])
    }
}
