public import AssayCore
import PostgresNIO

/// Runs in the PostgreSQL store, laid out as in SQLite: the header as JSON in `runs`, each finished
/// cell as one committed row of `run_cells`. Shards of one run on different machines add their cells
/// to the same run (`createRun` of a run already there keeps it), so no merge step is needed.
extension PostgresTraceStore {
    public func createRun(_ run: RunRecord) throws {
        var header = run
        header.cells = []
        let text = try RunJSONCoding.encode(header)
        _ = try transaction { db in
            var binds = PostgresBindings()
            binds.append(run.id)
            binds.append(DisplayFormat.timestamp(nanos: run.startedAtUnixNano))
            binds.append(run.state.rawValue)
            binds.append(run.suitePath)
            binds.append(Int64(run.plannedCells))
            binds.append(text)
            try db.query("""
                INSERT INTO runs (id, started_at, state, suite_path, planned, header) VALUES ($1, $2, $3, $4, $5, $6)
                """, binds)
            for cell in run.cells { try Self.insert(cell, run: run.id, db: db) }
            return ((), {})
        }
    }

    public func addCell(_ cell: CellResult, run id: String) throws {
        try transaction { db in (try Self.insert(cell, run: id, db: db), {}) }
    }

    public func addCell(_ cell: CellResult, run id: String, spans: IngestBatch) throws {
        try transaction { db in
            let writer = PostgresTraceWriter(db: db, bodies: bodies)
            _ = try writer.write(spans)
            try Self.insert(cell, run: id, db: db)
            return ((), { [bodies] in bodies.remember(writer.learned) })
        }
    }

    static func insert(_ cell: CellResult, run id: String, db: PostgresDB) throws {
        var binds = PostgresBindings()
        binds.append(id)
        binds.append(cell.key.example)
        binds.append(cell.key.tier)
        binds.append(cell.key.condition ?? "")
        binds.append(Int64(cell.key.repeatIndex))
        binds.append(try RunJSONCoding.encode(cell))
        try db.query("""
            INSERT INTO run_cells (run_id, example, tier, condition, repeat_index, body) VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT DO NOTHING
            """, binds)
    }

    public func setRunState(_ state: RunState, run id: String) throws {
        try transaction { db in
            var binds = PostgresBindings()
            binds.append(id)
            guard let text = try db.query("SELECT header FROM runs WHERE id = $1 FOR UPDATE", binds).first?.text(0) else { return ((), {}) }
            var header = try RunJSONCoding.decode(RunRecord.self, text)
            header.state = state
            var update = PostgresBindings()
            update.append(state.rawValue)
            update.append(try RunJSONCoding.encode(header))
            update.append(id)
            try db.query("UPDATE runs SET state = $1, header = $2 WHERE id = $3", update)
            return ((), {})
        }
    }

    public func run(_ id: String) throws -> RunRecord? {
        try read { db in
            var binds = PostgresBindings()
            binds.append(id)
            guard let text = try db.query("SELECT header FROM runs WHERE id = $1", binds).first?.text(0) else { return nil }
            var run = try RunJSONCoding.decode(RunRecord.self, text)
            run.cells = try db.query("SELECT body FROM run_cells WHERE run_id = $1 ORDER BY seq", binds).map {
                try RunJSONCoding.decode(CellResult.self, try $0.text(0))
            }
            return run
        }
    }

    public func runs(limit: Int) throws -> [RunListing] {
        try read { db in
            var binds = PostgresBindings()
            binds.append(Int64(max(0, limit)))
            return try db.query("""
                SELECT r.id, r.state, r.started_at, r.suite_path, r.planned, (SELECT count(*) FROM run_cells c WHERE c.run_id = r.id)
                FROM runs r ORDER BY r.started_at DESC, r.id DESC LIMIT $1
                """, binds).map { row in
                RunListing(id: try row.text(0), state: RunState(rawValue: try row.text(1)) ?? .running, startedAt: try row.text(2),
                           suitePath: try row.text(3), cells: Int(try row.int64(5)), plannedCells: Int(try row.int64(4)))
            }
        }
    }
}
