/// What a run's fault plans did (docs/resilience.md): per plan × tier × component, the mean score under
/// the fault against the clean condition, paired by example; per plan × tier, the recovery rate, the
/// failed cells, restarts and the faults injected; and the **resilience scaling check**: does a stronger
/// model recover more often, or is recovery limited by the harness (retries, fallbacks, checkpoints)?
///
/// Values are per-example means over repeats. A cell that failed (crashed, timed out) counts as a score
/// of 0 in every component it has no result for, as the gate counts it; a component left unscored in a
/// cell that ran stays out. Only faulted cells count as faulted; clean cells are the reference.
/// Findings are drawn only from data: a plan whose recovery is not scored on two tiers for at least two
/// of the same examples is unjudged.
///
/// ```swift
/// let resilience = ResilienceSummary(record)
/// for finding in resilience.findings { print(finding.text) }
/// ```
public struct ResilienceSummary: Codable, Sendable {
    /// The component that says whether a cell still passed end to end: its mean is the recovery rate.
    public static let recoveryComponent = "recovered"

    /// One component on one tier under one fault plan, against the same tier's clean cells.
    public struct Cell: Codable, Sendable, Hashable {
        /// The fault plan.
        public var condition: String
        public var tier: String
        public var component: String
        /// Mean score under the fault; nil when nothing was scored.
        public var mean: Double?
        /// Mean score on the tier's clean cells; nil when nothing was scored.
        public var cleanMean: Double?
        /// Mean of clean − fault over the examples scored under both (a positive drop: the fault hurt),
        /// and its 95% interval (Student's t).
        public var drop: Double?
        public var low: Double?
        public var high: Double?
        /// Examples scored under both.
        public var paired: Int
        /// Faulted cells scored (failed cells count as 0), and faulted cells that ran but left it unscored.
        public var scored: Int
        public var unscored: Int
        /// The drop is beyond noise: at least 2 examples paired and the interval's lower end above 0.
        public var hurt: Bool
    }

    /// One tier under one fault plan: `tier@condition`.
    public struct Column: Codable, Sendable, Hashable {
        public var condition: String
        public var tier: String
        /// The recovery rate: of the examples that pass on the tier's clean cells, the share that still
        /// pass under the fault (the `recovered` component); nil when the suite has none, or no example
        /// passed clean.
        public var recovery: Double?
        /// The pass rate of the tier's clean cells (the `recovered` component without the fault).
        public var cleanRecovery: Double?
        /// Faulted cells, and those that failed (crash, timeout, error).
        public var cells: Int
        public var failedCells: Int
        /// Why faulted cells failed, most frequent first (as `RunSummary.failureReasons`).
        public var failureReasons: [RunSummary.FailureReason]
        /// Times the runner restarted the agent, over the faulted cells.
        public var restarts: Int
        /// The faults injected, `target:kind` (`model:status_429`) → how many times.
        public var faults: [String: Int]
    }

    /// The recovery rate between two tiers under one plan, paired by example.
    public struct Scaling: Codable, Sendable, Hashable {
        public var condition: String
        public var from: String
        public var to: String
        /// Examples with a recovery score under the plan on both tiers.
        public var paired: Int
        /// Mean of (to − from) over paired examples, and its 95% interval.
        public var difference: Double?
        public var low: Double?
        public var high: Double?
        /// True when recovery does not rise beyond noise (the interval's lower end is not above 0).
        public var flat: Bool
    }

    /// A conclusion about a plan (or a component under a plan), with its evidence and a sentence.
    public struct Finding: Codable, Sendable, Hashable {
        /// What was found, in the order reports list them.
        public enum Kind: String, Codable, Sendable, Hashable {
            /// Recovery does not rise with the tier and the best tier is below the ceiling: the harness,
            /// not the model, limits it.
            case bottleneck
            /// Recovery is at least the ceiling on every tier.
            case handled
            /// Recovery rises with the tier beyond noise: a stronger model recovers.
            case rising
            /// Recovery does not rise but the best tier is at the ceiling: not a bottleneck.
            case flat
            /// A component's score drops under the fault beyond noise on some tier.
            case hurt
            /// Too little data to judge recovery.
            case unjudged

            /// The position in reports: bottlenecks first, unjudged last.
            public var rank: Int {
                switch self {
                case .bottleneck: 0
                case .handled: 1
                case .rising: 2
                case .flat: 3
                case .hurt: 4
                case .unjudged: 5
                }
            }
        }

        public var kind: Kind
        /// The fault plan.
        public var condition: String
        /// The hurt component; nil for a finding about recovery.
        public var component: String?
        /// The recovery rate by tier under the plan (tiers with a rate only).
        public var recovery: [String: Double]
        /// `hurt`: the tiers where the drop is beyond noise; otherwise the two tiers compared.
        public var tiers: [String]
        /// The evidence: the recovery difference between the tiers compared (or, for `hurt`, the largest
        /// drop), its 95% interval and the examples it stands on.
        public var difference: Double?
        public var low: Double?
        public var high: Double?
        public var paired: Int
        /// One sentence for the terminal and the reports (plan and component names are data: escape them).
        public var text: String
    }

    /// The fault plans, in suite order.
    public var conditions: [String]
    /// The tiers, in suite order.
    public var tiers: [String]
    /// Every plan × tier × component.
    public var cells: [Cell]
    /// Every plan × tier.
    public var columns: [Column]
    /// Per plan: adjacent tiers, then the lowest against the highest (with more than two tiers).
    public var scaling: [Scaling]
    /// Bottlenecks, handled, rising, flat, hurt components, unjudged; plans in suite order within each.
    public var findings: [Finding]

    /// True when the run had no fault plan.
    public var isEmpty: Bool { conditions.isEmpty }

    /// The plans whose recovery is a harness bottleneck.
    public var bottlenecks: [String] { findings.filter { $0.kind == .bottleneck }.map(\.condition) }

    /// The cell of a component on a tier under a plan.
    public func cell(_ condition: String, _ tier: String, _ component: String) -> Cell? {
        cells.first { $0.condition == condition && $0.tier == tier && $0.component == component }
    }

    /// The column of a tier under a plan.
    public func column(_ condition: String, _ tier: String) -> Column? {
        columns.first { $0.condition == condition && $0.tier == tier }
    }

    /// The recovery finding of a plan (bottleneck, handled, rising, flat or unjudged).
    public func verdict(_ condition: String) -> Finding? {
        findings.first { $0.condition == condition && $0.component == nil }
    }

    private struct Key: Hashable {
        var condition: String?
        var tier: String
        var component: String
    }

    /// Summarizes a run's faulted cells; empty when the run had no fault plan.
    public init(_ run: RunRecord) {
        var conditions = run.conditions
        for cell in run.cells { if let c = cell.key.condition, !conditions.contains(c) { conditions.append(c) } }
        var tiers = run.tiers.map(\.name)
        for cell in run.cells where !tiers.contains(cell.key.tier) { tiers.append(cell.key.tier) }
        self.conditions = conditions
        self.tiers = tiers
        (cells, columns, scaling, findings) = ([], [], [], [])
        guard !conditions.isEmpty else { return }

        // (condition, tier, component) → example → values over repeats; and the counts under faults.
        var values: [Key: [String: [Double]]] = [:]
        var unscored: [Key: Int] = [:]
        for cell in run.cells {
            for component in run.components {
                let key = Key(condition: cell.key.condition, tier: cell.key.tier, component: component)
                let result = cell.components.first { $0.component == component }
                let value = result.map { $0.value.flatMap { $0.isFinite ? $0 : nil } } ?? (cell.status != .ok ? 0 : nil)
                if let value { values[key, default: [:]][cell.key.example, default: []].append(value) } else { unscored[key, default: 0] += 1 }
            }
        }
        let means = values.mapValues { $0.mapValues { $0.reduce(0, +) / Double($0.count) } }
        // Recovery is judged on what the agent can do without the fault: the examples that pass on the
        // clean condition (most of their repeats) on the same tier, and whether they still pass under it.
        func recovery(_ condition: String, _ tier: String) -> [String: Double]? {
            guard let faulted = means[Key(condition: condition, tier: tier, component: Self.recoveryComponent)] else { return nil }
            let clean = means[Key(condition: nil, tier: tier, component: Self.recoveryComponent)] ?? [:]
            return faulted.filter { (clean[$0.key] ?? 0) >= 0.5 }
        }
        for condition in conditions {
            for tier in tiers {
                for component in run.components {
                    let faulted = means[Key(condition: condition, tier: tier, component: component)] ?? [:]
                    let clean = means[Key(condition: nil, tier: tier, component: component)] ?? [:]
                    let diffs = faulted.keys.filter { clean[$0] != nil }.sorted().map { clean[$0]! - faulted[$0]! }
                    let (drop, low, high) = RunSummary.meanInterval(diffs)
                    let scored = values[Key(condition: condition, tier: tier, component: component)]?.values.map(\.count).reduce(0, +) ?? 0
                    cells.append(Cell(condition: condition, tier: tier, component: component, mean: RunSummary.meanInterval(Array(faulted.values)).0,
                                      cleanMean: RunSummary.meanInterval(Array(clean.values)).0, drop: drop, low: low, high: high, paired: diffs.count,
                                      scored: scored, unscored: unscored[Key(condition: condition, tier: tier, component: component)] ?? 0,
                                      hurt: diffs.count >= 2 && (low ?? 0) > 0))
                }
                columns.append(Self.column(run, condition: condition, tier: tier,
                                           recovery: recovery(condition, tier),
                                           clean: means[Key(condition: nil, tier: tier, component: Self.recoveryComponent)]))
            }
        }
        let hasRecovery = run.components.contains(Self.recoveryComponent)
        var found: [Finding] = []
        for condition in conditions {
            let perTier = tiers.map { recovery(condition, $0) ?? [:] }
            var pairs = Array(zip(tiers.indices, tiers.indices.dropFirst()))
            if tiers.count > 2 { pairs.append((0, tiers.count - 1)) }
            let checks = pairs.map { a, b in
                let shared = perTier[a].keys.filter { perTier[b][$0] != nil }.sorted()
                let (mean, low, high) = RunSummary.meanInterval(shared.map { perTier[b][$0]! - perTier[a][$0]! })
                return Scaling(condition: condition, from: tiers[a], to: tiers[b], paired: shared.count, difference: mean, low: low, high: high,
                               flat: (low ?? 0) <= 0)
            }
            scaling += checks
            found.append(Self.verdict(condition, checks: checks, columns: columns.filter { $0.condition == condition }, hasRecovery: hasRecovery,
                                      tierCount: tiers.count))
            for component in run.components where component != Self.recoveryComponent {
                let hurt = cells.filter { $0.condition == condition && $0.component == component && $0.hurt }
                if !hurt.isEmpty { found.append(Self.hurtFinding(condition, component, hurt, recovery: Self.rates(columns, condition))) }
            }
        }
        findings = found.enumerated().sorted { ($0.element.kind.rank, $0.offset) < ($1.element.kind.rank, $1.offset) }.map(\.element)
    }

    private static func column(_ run: RunRecord, condition: String, tier: String, recovery: [String: Double]?, clean: [String: Double]?) -> Column {
        let faulted = run.cells.filter { $0.key.condition == condition && $0.key.tier == tier }
        var byReason: [String: RunSummary.FailureReason] = [:]
        var faults: [String: Int] = [:]
        for cell in faulted {
            for fault in cell.faults ?? [] { faults[fault, default: 0] += 1 }
            guard cell.status != .ok else { continue }
            let reason = RunSummary.failureReason(cell)
            byReason[RunSummary.reasonKey(reason), default: RunSummary.FailureReason(
                reason: reason, count: 0, example: "\(cell.key.example)/\(cell.key.column)#\(cell.key.repeatIndex)")].count += 1
        }
        return Column(condition: condition, tier: tier, recovery: recovery.flatMap { RunSummary.meanInterval(Array($0.values)).0 },
                      cleanRecovery: clean.flatMap { RunSummary.meanInterval(Array($0.values)).0 }, cells: faulted.count,
                      failedCells: faulted.count { $0.status != .ok },
                      failureReasons: byReason.values.sorted { ($0.count, $1.reason) > ($1.count, $0.reason) },
                      restarts: faulted.compactMap(\.restarts).reduce(0, +), faults: faults)
    }

    private static func rates(_ columns: [Column], _ condition: String) -> [String: Double] {
        var out: [String: Double] = [:]
        for c in columns where c.condition == condition { if let r = c.recovery { out[c.tier] = r } }
        return out
    }

    /// The scaling check of one plan's recovery.
    private static func verdict(_ condition: String, checks: [Scaling], columns: [Column], hasRecovery: Bool, tierCount: Int) -> Finding {
        let recovery = rates(columns, condition)
        let list = columns.compactMap { c in c.recovery.map { "\(c.tier) \(RunSummary.f($0))" } }.joined(separator: ", ")
        func finding(_ kind: Kind, _ evidence: Scaling?, _ text: String) -> Finding {
            Finding(kind: kind, condition: condition, component: nil, recovery: recovery, tiers: evidence.map { [$0.from, $0.to] } ?? [],
                    difference: evidence?.difference, low: evidence?.low, high: evidence?.high, paired: evidence?.paired ?? 0, text: text)
        }
        guard hasRecovery else {
            return finding(.unjudged, nil, "\(condition): recovery not judged: the suite has no \(recoveryComponent) component")
        }
        guard tierCount > 1 else {
            return finding(.unjudged, nil, "\(condition): recovery not judged: with one tier it cannot say whether a stronger model recovers")
        }
        // The lowest against the highest tier is the evidence, unless too few examples pair there.
        let widest = checks.last.flatMap { $0.paired >= 2 ? $0 : nil } ?? checks.max { $0.paired < $1.paired }
        guard let widest, widest.paired >= 2 else {
            return finding(.unjudged, widest, "\(condition): recovery not judged: fewer than 2 examples have a recovery score "
                           + "on two tiers (n=\(widest?.paired ?? 0))")
        }
        let rising = checks.last(where: { !$0.flat && $0.paired >= 2 })
        let evidence = rising ?? widest
        let delta = "Δ \(signed(evidence.difference)) [\(RunSummary.f(evidence.low ?? 0)), \(RunSummary.f(evidence.high ?? 0))], n=\(evidence.paired)"
        let best = columns.compactMap(\.recovery).max() ?? 0
        if columns.allSatisfy({ ($0.recovery ?? 1) >= RunSummary.ceiling }) {
            return finding(.handled, evidence, "\(condition): handled — recovery is at least \(RunSummary.f(RunSummary.ceiling)) on every tier (\(list), n=\(evidence.paired))")
        }
        if let rising {
            return finding(.rising, rising, "\(condition): a stronger model recovers (\(list), \(delta)): recovery rises with the tier beyond noise")
        }
        if best < RunSummary.ceiling {
            return finding(.bottleneck, evidence, "\(condition): recovery does not rise with the model (\(list), \(delta)): a harness bottleneck — "
                           + "retries, fallbacks or checkpoints, not a stronger model, would fix it")
        }
        return finding(.flat, evidence, "\(condition): recovery does not rise with the model but is near the top (\(list), \(delta)): not a bottleneck")
    }

    /// A component whose score drops under the plan beyond noise on some tiers.
    private static func hurtFinding(_ condition: String, _ component: String, _ hurt: [Cell], recovery: [String: Double]) -> Finding {
        let worst = hurt.max { ($0.drop ?? 0) < ($1.drop ?? 0) }!
        let parts = hurt.map { c in
            "\(c.tier) \(RunSummary.f(c.mean ?? 0)) against \(RunSummary.f(c.cleanMean ?? 0)) clean, drop \(RunSummary.f(c.drop ?? 0)) "
                + "[\(RunSummary.f(c.low ?? 0)), \(RunSummary.f(c.high ?? 0))], n=\(c.paired)"
        }
        return Finding(kind: .hurt, condition: condition, component: component, recovery: recovery, tiers: hurt.map(\.tier),
                       difference: worst.drop, low: worst.low, high: worst.high, paired: worst.paired,
                       text: "\(component) is hurt by \(condition): \(parts.joined(separator: "; "))")
    }

    private typealias Kind = Finding.Kind

    /// `+0.70`, `-0.10`; never `-0.00`.
    static func signed(_ d: Double?) -> String {
        let text = RunSummary.f(d ?? 0)
        if text == "-0.00" { return "+0.00" }
        return text.hasPrefix("-") ? text : "+" + text
    }
}
