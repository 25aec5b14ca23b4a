import Foundation

/// The numbers a run is judged by: per component × tier, the mean score with a 95% confidence
/// interval, pass rate, cost, latency and tokens; the tier scaling check; the routing advice.
public struct RunSummary: Codable, Sendable {
    /// One component on one tier.
    public struct Cell: Codable, Sendable, Hashable {
        public var component: String
        public var tier: String
        /// Examples × repeats scored.
        public var scored: Int
        /// Cells where the component could not be scored (or the cell failed).
        public var unscored: Int
        /// Mean score; nil when nothing was scored.
        public var mean: Double?
        /// 95% confidence interval of the mean (Student's t over per-example means).
        public var low: Double?
        public var high: Double?
        /// Share of scored cells that passed.
        public var passRate: Double?
        /// Mean cost per cell, US dollars (the whole cell: every component shares it).
        public var costPerCell: Double
        /// Latency of the cells, nanoseconds.
        public var latencyP50: UInt64
        public var latencyP95: UInt64
        /// Mean tokens per cell (input + output).
        public var tokensPerCell: Double
        /// Scored cells where only some of the component's scorers gave a value: the score stands on
        /// part of what the component declares.
        public var partial: Int = 0
        /// Why the component went unscored, by reason code, with counts (failed cells under `cell_failed`).
        public var unscoredReasons: [String: Int] = [:]
        /// In partly scored cells, the scorers without a value: `scorer: reason code` → cells.
        public var partialReasons: [String: Int] = [:]
    }

    /// The scaling check between two adjacent tiers for one component.
    public struct Scaling: Codable, Sendable, Hashable {
        public var component: String
        public var from: String
        public var to: String
        /// Examples scored on both tiers.
        public var paired: Int
        /// Mean of (to − from) over paired examples, and its 95% interval.
        public var difference: Double?
        public var low: Double?
        public var high: Double?
        /// True when the score does not rise beyond noise (the interval's lower end is not above 0).
        public var flat: Bool
    }

    /// Why cells failed: one distinct reason, how many cells gave it, and one of them.
    public struct FailureReason: Codable, Sendable, Hashable {
        /// The reason as the runner recorded it (never trace text).
        public var reason: String
        /// How many cells failed this way.
        public var count: Int
        /// One such cell, `example/tier#repeat`.
        public var example: String
    }

    /// The cheapest good-enough tier for one component.
    public struct Routing: Codable, Sendable, Hashable {
        public var component: String
        /// The best tier's name and mean score.
        public var bestTier: String?
        public var bestMean: Double?
        /// The cheapest tier within the margin of the best that meets the threshold; nil when none does.
        public var tier: String?
        /// Cost per cell saved against the best tier, and as a share of it.
        public var savingPerCell: Double?
        public var savingShare: Double?
        /// Why, in a sentence.
        public var reason: String
    }

    public var cells: [Cell]
    public var scaling: [Scaling]
    public var routing: [Routing]
    /// Components flagged by the scaling check: no rise from low to the top tier beyond noise.
    public var bottlenecks: [String]
    /// Cells that failed (error or timeout), and all cells.
    public var failedCells: Int
    /// The distinct reasons cells failed, most frequent first.
    public var failureReasons: [FailureReason] = []
    /// Cells that answered but whose trace holds only the runner's root span: the agent sent no
    /// spans, so no component could be judged there.
    public var spanlessCells: Int = 0
    /// Components whose score rises with the tier beyond noise somewhere.
    public var rising: [String] = []
    /// Components whose scaling could not be judged: scored on fewer than two tiers, or with no
    /// example scored on two tiers.
    public var unjudged: [String] = []
    public var totalCells: Int
    /// Total cost, US dollars.
    public var totalCost: Double

    /// Summarizes a run. `margin` is how far below the best tier's mean a cheaper tier may be and still
    /// be advised (default 0.05: five points).
    public init(_ run: RunRecord, margin: Double = 0.05) {
        let tiers = run.tiers.map(\.name)
        // The resilience scorers judge faults, not tiers: the resilience summary has them.
        let components = run.components.filter { ResilienceScorerKind(rawValue: $0) == nil }
        var cells: [Cell] = []
        // component → tier → example → mean over repeats
        var perExample: [String: [String: [String: Double]]] = [:]
        for component in components {
            for tier in tiers {
                let results = run.cells.filter { $0.key.tier == tier && $0.key.isClean }
                var values: [String: [Double]] = [:]
                var passes = 0, scored = 0, unscored = 0, partial = 0
                var reasons: [String: Int] = [:], partialReasons: [String: Int] = [:]
                for cell in results {
                    guard let r = cell.components.first(where: { $0.component == component }), let v = r.value else {
                        unscored += 1
                        let code = cell.status != .ok ? "cell_failed"
                            : cell.components.first(where: { $0.component == component })?.unscoredReason?.code ?? "not_scored"
                        reasons[code, default: 0] += 1
                        continue
                    }
                    values[cell.key.example, default: []].append(v)
                    scored += 1
                    if r.scores.contains(where: { $0.value == nil }) { partial += 1 }
                    for s in r.scores { if case .unscored(let why) = s.outcome { partialReasons["\(s.scorer): \(why.code)", default: 0] += 1 } }
                    if r.passed == true { passes += 1 }
                }
                let means = values.mapValues { $0.reduce(0, +) / Double($0.count) }
                perExample[component, default: [:]][tier] = means
                let (mean, low, high) = Self.meanInterval(Array(means.values))
                let latencies = results.map(\.latencyNanos).sorted()
                cells.append(Cell(component: component, tier: tier, scored: scored, unscored: unscored, mean: mean, low: low, high: high,
                                  passRate: scored > 0 ? Double(passes) / Double(scored) : nil,
                                  costPerCell: results.isEmpty ? 0 : results.map(\.costUSD).reduce(0, +) / Double(results.count),
                                  latencyP50: Self.percentile(latencies, 0.5), latencyP95: Self.percentile(latencies, 0.95),
                                  tokensPerCell: results.isEmpty ? 0 : Double(results.map { $0.inputTokens + $0.outputTokens }.reduce(0, +)) / Double(results.count),
                                  partial: partial, unscoredReasons: reasons, partialReasons: partialReasons))
            }
        }
        var scaling: [Scaling] = []
        var bottlenecks: [String] = [], rising: [String] = [], unjudged: [String] = []
        for component in components {
            var rises = false, judged = false
            for (a, b) in zip(tiers, tiers.dropFirst()) {
                let x = perExample[component]?[a] ?? [:], y = perExample[component]?[b] ?? [:]
                let shared = x.keys.filter { y[$0] != nil }.sorted()
                let diffs = shared.map { y[$0]! - x[$0]! }
                let (mean, low, high) = Self.meanInterval(diffs)
                let flat = (low ?? 0) <= 0
                if !flat { rises = true }
                if shared.count >= 2 { judged = true }
                scaling.append(Scaling(component: component, from: a, to: b, paired: shared.count, difference: mean, low: low, high: high, flat: flat))
            }
            // Also compare the lowest and the highest tier directly: small steps can each be noise.
            if tiers.count > 2, let first = tiers.first, let last = tiers.last {
                let x = perExample[component]?[first] ?? [:], y = perExample[component]?[last] ?? [:]
                let diffs = x.keys.filter { y[$0] != nil }.map { y[$0]! - x[$0]! }
                if let low = Self.meanInterval(diffs).1, low > 0 { rises = true }
                if diffs.count >= 2 { judged = true }
            }
            // A finding needs data: a component not scored on two tiers for the same examples is
            // neither a bottleneck nor rising; it could not be judged.
            guard judged else {
                if tiers.count > 1 { unjudged.append(component) }
                continue
            }
            if rises { rising.append(component) }
            // A component already near the top on every tier has nothing to gain: flat, not a bottleneck.
            let best = cells.filter { $0.component == component }.compactMap(\.mean).max()
            if !rises && tiers.count > 1, let best, best < Self.ceiling { bottlenecks.append(component) }
        }
        var routing: [Routing] = []
        // A tier whose model has no price (docs/prices.md) records 0 dollars: it must neither look cheapest nor be compared.
        let unpriced = Set(run.tiers.filter { !$0.costKnown }.map(\.name))
        func cost(_ c: Cell) -> Double { unpriced.contains(c.tier) ? .infinity : c.costPerCell }
        for component in components {
            let options = cells.filter { $0.component == component && $0.mean != nil }
            guard let best = options.max(by: { ($0.mean!, -cost($0)) < ($1.mean!, -cost($1)) }) else {
                routing.append(Routing(component: component, reason: "nothing was scored"))
                continue
            }
            let threshold = run.thresholds[component]
            let good = options.filter { option in option.mean! >= best.mean! - margin && (threshold.map { option.mean! >= $0 } ?? true) }
            let unknown = options.map(\.tier).filter { unpriced.contains($0) }
            let pick = unknown.isEmpty
                ? good.min(by: { ($0.costPerCell, tiers.firstIndex(of: $0.tier)!) < ($1.costPerCell, tiers.firstIndex(of: $1.tier)!) })
                : good.first { $0.tier == best.tier }
            if let cheapest = pick {
                let saving = best.costPerCell - cheapest.costPerCell
                let share = best.costPerCell > 0 ? saving / best.costPerCell : 0
                let others = options.filter { $0.tier != cheapest.tier }.map(\.costPerCell)
                let costsKnown = options.contains { $0.costPerCell > 0 }
                // Never call a tier cheapest unless it costs less than every other: equal or unknown
                // costs (no token counts reached the runner, or a tier's model has no price) are said as such.
                let reason = cheapest.tier != best.tier
                    ? ""
                    : !unknown.isEmpty ? "\(best.tier) has the best score (\(Self.f(best.mean!))); the cost of \(unknown.joined(separator: ", ")) is unknown (no price for its model), so no tier is called cheaper"
                    : !costsKnown ? "\(best.tier) has the best score (\(Self.f(best.mean!))); costs are unknown (no token counts reached the runner), so no tier is called cheaper"
                    : others.allSatisfy({ cheapest.costPerCell < $0 }) ? "\(best.tier) has the best score (\(Self.f(best.mean!))) and is the cheapest tier"
                    : others.allSatisfy({ cheapest.costPerCell <= $0 }) ? "\(best.tier) has the best score (\(Self.f(best.mean!))) and costs no more than any other tier"
                    : "\(best.tier) has the best score (\(Self.f(best.mean!))); no cheaper tier comes within \(Self.f(margin)) of it"
                let advice = cheapest.tier == best.tier ? reason
                    : "\(cheapest.tier) scores \(Self.f(cheapest.mean!)), within \(Self.f(margin)) of \(best.tier) (\(Self.f(best.mean!))), for \(Int((share * 100).rounded()))% less"
                routing.append(Routing(component: component, bestTier: best.tier, bestMean: best.mean, tier: cheapest.tier,
                                       savingPerCell: unknown.isEmpty ? saving : nil, savingShare: unknown.isEmpty ? share : nil, reason: advice))
            } else {
                routing.append(Routing(component: component, bestTier: best.tier, bestMean: best.mean,
                                       reason: "no tier reaches the threshold \(Self.f(threshold ?? 0)); the best is \(best.tier) at \(Self.f(best.mean!))"))
            }
        }
        self.cells = cells
        self.scaling = scaling
        self.routing = routing
        self.bottlenecks = bottlenecks
        self.rising = rising
        self.unjudged = unjudged
        // Cells under a fault plan fail by design: their failures are the resilience summary's.
        failedCells = run.cells.filter { $0.status != .ok && $0.key.isClean }.count
        var byReason: [String: FailureReason] = [:]
        for cell in run.cells where cell.status != .ok && cell.key.isClean {
            let reason = Self.failureReason(cell)
            byReason[Self.reasonKey(reason), default: FailureReason(reason: reason, count: 0, example: "\(cell.key.example)/\(cell.key.column)#\(cell.key.repeatIndex)")].count += 1
        }
        failureReasons = byReason.values.sorted { ($0.count, $1.reason) > ($1.count, $0.reason) }
        spanlessCells = run.cells.filter { $0.status == .ok && $0.agentSpans == 0 && ($0.modelCalls ?? 0) == 0 }.count
        totalCells = run.cells.count
        totalCost = run.cells.map(\.costUSD).reduce(0, +)
    }

    /// A failed cell's reason, its first line, with the numbers that differ between cells (process
    /// ids, durations) kept: reasons are grouped as written.
    static func failureReason(_ cell: CellResult) -> String {
        let text = cell.error ?? (cell.status == .timeout ? "timeout" : "failed")
        return String(text.split(separator: "\n", maxSplits: 1).first ?? Substring(text)).trimmingCharacters(in: .whitespaces)
    }

    /// The part of a reason that is the same for cells failing the same way: numbers and quoted
    /// fragments (byte counts, the start of what was printed) are left out.
    static func reasonKey(_ reason: String) -> String {
        var key = "", inQuote = false, inNumber = false
        for c in reason {
            if c == "\"" { inQuote.toggle(); if inQuote { key += "\"…\"" }; continue }
            if inQuote { continue }
            if c.isNumber { if !inNumber { key += "#" }; inNumber = true; continue }
            inNumber = false
            key.append(c)
        }
        return key
    }

    /// The cell of a component on a tier.
    public func cell(_ component: String, _ tier: String) -> Cell? { cells.first { $0.component == component && $0.tier == tier } }

    /// A best mean at or above this leaves no room to improve: such a component is not a bottleneck.
    public static let ceiling = 0.95

    /// Mean and 95% Student-t interval; nils for no values, a zero-width interval for one.
    static func meanInterval(_ values: [Double]) -> (Double?, Double?, Double?) {
        guard !values.isEmpty else { return (nil, nil, nil) }
        let n = Double(values.count)
        let mean = values.reduce(0, +) / n
        guard values.count > 1 else { return (mean, mean, mean) }
        let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / (n - 1)
        let half = tQuantile975(values.count - 1) * (variance / n).squareRoot()
        // Scores and their differences are bounded, so the interval is too.
        let bound = values.allSatisfy { $0 >= 0 } ? (0.0, 1.0) : (-1.0, 1.0)
        return (mean, max(bound.0, mean - half), min(bound.1, mean + half))
    }

    /// The 97.5% quantile of Student's t with `df` degrees of freedom (table, then the normal value).
    static func tQuantile975(_ df: Int) -> Double {
        let table: [Double] = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
                               2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042]
        if df >= 1 && df <= table.count { return table[df - 1] }
        return df <= 60 ? 2.000 : df <= 120 ? 1.980 : 1.960
    }

    /// The 95% one-sided quantile of Student's t with `df` degrees of freedom (table, then the normal value).
    package static func tQuantile95OneSided(_ df: Int) -> Double {
        let table: [Double] = [6.314, 2.920, 2.353, 2.132, 2.015, 1.943, 1.895, 1.860, 1.833, 1.812, 1.796, 1.782, 1.771, 1.761, 1.753,
                               1.746, 1.740, 1.734, 1.729, 1.725, 1.721, 1.717, 1.714, 1.711, 1.708, 1.706, 1.703, 1.701, 1.699, 1.697]
        if df >= 1 && df <= table.count { return table[df - 1] }
        return df <= 60 ? 1.684 : df <= 120 ? 1.664 : 1.645
    }

    /// The nearest-rank percentile of sorted values.
    static func percentile(_ sorted: [UInt64], _ p: Double) -> UInt64 {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((p * Double(sorted.count)).rounded(.up))
        return sorted[min(sorted.count - 1, max(0, rank - 1))]
    }

    static func f(_ d: Double) -> String { String(format: "%.2f", d) }
}
