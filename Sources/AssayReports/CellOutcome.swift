package import AssayCore

/// How one component fared in one cell (an example on a tier, one repeat), as every report shows it.
package enum CellOutcome: Hashable, Sendable {
    /// Scored and passed.
    case passed(score: Double)
    /// Scored and below the threshold (or a scorer failed).
    case failed(score: Double)
    /// The cell crashed or timed out, so nothing was scored.
    case error(CellStatus)
    /// The cell ran but the component could not be scored; the reason says why.
    case unscored(String)

    /// The outcome of `component` in `cell`.
    package init(_ cell: CellResult, component: String) {
        if cell.status != .ok {
            self = .error(cell.status)
            return
        }
        guard let result = cell.components.first(where: { $0.component == component }) else {
            self = .unscored("the component was not scored in this cell")
            return
        }
        guard let value = result.value else {
            self = .unscored((result.unscoredReason ?? .noSpanMatched).description)
            return
        }
        self = result.passed == false ? .failed(score: value) : .passed(score: value)
    }

    /// The score, when there is one.
    package var score: Double? {
        switch self {
        case .passed(let score), .failed(let score): score
        case .error, .unscored: nil
        }
    }

    /// A one-word label: `pass`, `fail`, `error`, `timeout`, `unscored`.
    package var label: String {
        switch self {
        case .passed: "pass"
        case .failed: "fail"
        case .error(let status): status == .timeout ? "timeout" : "error"
        case .unscored: "unscored"
        }
    }
}

extension CellResult {
    /// The component's result in this cell, when it was scored at all.
    func result(_ component: String) -> ComponentResult? {
        components.first { $0.component == component }
    }
}

extension RunRecord {
    /// The tier's record, by name.
    func tier(named name: String) -> TierInfo? { tiers.first { $0.name == name } }

    /// Example ids in first-seen order (cells are in finishing order; sorted keys make it stable).
    var exampleIDs: [String] {
        var seen = Set<String>()
        return cells.map(\.key).sorted().compactMap { seen.insert($0.example).inserted ? $0.example : nil }
    }

    /// The threshold of a component: the run's, else the one its results carry.
    func threshold(_ component: String) -> Double? {
        thresholds[component] ?? cells.lazy.compactMap { $0.result(component)?.threshold }.first
    }
}
