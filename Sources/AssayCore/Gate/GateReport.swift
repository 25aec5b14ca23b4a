/// The gate's findings over all cells.
public struct GateReport: Hashable, Sendable {
    /// The settings used (with the bootstrap resamples actually drawn).
    public var configuration: GateConfiguration
    /// One decision per cell present in either run, sorted by cell.
    public var decisions: [GateDecision]

    /// Creates a report.
    public init(configuration: GateConfiguration, decisions: [GateDecision]) {
        self.configuration = configuration
        self.decisions = decisions
    }

    /// Whether any cell regressed: `assay gate` then exits with status 1.
    public var regressed: Bool { decisions.contains { $0.verdict == .regressed } }

    /// The decisions with the given verdict.
    public func decisions(_ verdict: GateVerdict) -> [GateDecision] {
        decisions.filter { $0.verdict == verdict }
    }
}
