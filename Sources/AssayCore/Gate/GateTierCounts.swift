/// How a run's cells on one tier ended: the reliability the gate checks.
public struct GateTierCounts: Hashable, Sendable {
    /// Cells run (examples × repeats).
    public var cells: Int
    /// Cells that failed after retries: crashed, timed out or could not start.
    public var failed: Int
    /// Of those, the ones that timed out.
    public var timedOut: Int

    /// Creates counts.
    public init(cells: Int = 0, failed: Int = 0, timedOut: Int = 0) {
        self.cells = cells
        self.failed = failed
        self.timedOut = timedOut
    }

    /// The share of cells that failed; 0 with no cells.
    public var failedShare: Double { cells > 0 ? Double(failed) / Double(cells) : 0 }
}
