public import AssayCore

/// Runs in memory, with the semantics every store keeps: a run's header and its cells in commit
/// order, a cell committed twice kept once (by key), a run id that is already taken refused.
extension InMemoryTraceStore {
    public func createRun(_ run: RunRecord) throws {
        try runTable.withLock { runs in
            guard runs[run.id] == nil else { throw AssayError.conflict(place: "run \(run.id)", problem: "a run with this id is already stored") }
            var stored = run
            stored.cells = []
            for cell in run.cells where !stored.cells.contains(where: { $0.key == cell.key }) { stored.cells.append(cell) }
            runs[run.id] = stored
        }
    }

    public func addCell(_ cell: CellResult, run id: String) throws {
        runTable.withLock { runs in
            guard var run = runs[id], !run.cells.contains(where: { $0.key == cell.key }) else { return }
            run.cells.append(cell)
            runs[id] = run
        }
    }

    public func addCell(_ cell: CellResult, run id: String, spans: IngestBatch) throws {
        _ = try write { try $0.write(spans) }
        try addCell(cell, run: id)
    }

    public func setRunState(_ state: RunState, run id: String) throws {
        runTable.withLock { runs in runs[id]?.state = state }
    }

    public func run(_ id: String) throws -> RunRecord? { runTable.withLock { $0[id] } }

    public func runs(limit: Int) throws -> [RunListing] {
        runTable.withLock { runs in
            runs.values.map { r in
                RunListing(id: r.id, state: r.state, startedAt: DisplayFormat.timestamp(nanos: r.startedAtUnixNano), suitePath: r.suitePath,
                           cells: r.cells.count, plannedCells: r.plannedCells)
            }
            .sorted { ($0.startedAt, $0.id) > ($1.startedAt, $1.id) }
            .prefix(max(0, limit)).map { $0 }
        }
    }
}
