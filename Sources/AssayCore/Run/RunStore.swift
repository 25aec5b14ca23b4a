/// Where runs are kept: the run's header once, then one committed row per finished cell, so that a
/// killed runner loses at most the cells that were running.
public protocol RunStore: Sendable {
    /// Creates a run (its cells must be empty).
    func createRun(_ run: RunRecord) throws
    /// Commits one finished cell; a cell already stored for the run (same key) is left as it is.
    func addCell(_ cell: CellResult, run id: String) throws
    /// Commits one finished cell and spans of its trace in one transaction.
    func addCell(_ cell: CellResult, run id: String, spans: IngestBatch) throws
    /// Sets a run's state.
    func setRunState(_ state: RunState, run id: String) throws
    /// A run with all its cells, or nil.
    func run(_ id: String) throws -> RunRecord?
    /// Runs, newest first: id, state, start, cells done.
    func runs(limit: Int) throws -> [RunListing]
}

/// A line of `assay runs`.
public struct RunListing: Sendable, Hashable {
    public var id: String
    public var state: RunState
    public var startedAt: String
    public var suitePath: String
    public var cells: Int
    public var plannedCells: Int

    /// Creates a listing.
    public init(id: String, state: RunState, startedAt: String, suitePath: String, cells: Int, plannedCells: Int) {
        self.id = id
        self.state = state
        self.startedAt = startedAt
        self.suitePath = suitePath
        self.cells = cells
        self.plannedCells = plannedCells
    }
}
