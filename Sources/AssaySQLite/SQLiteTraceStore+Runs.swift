public import AssayCore
import Foundation
import GRDB

/// Runs in the SQLite store: the header as JSON in `runs`, each finished cell as one committed row of
/// `run_cells`, so that a runner killed at any moment loses only the cells that were running.
extension SQLiteTraceStore {
    public func createRun(_ run: RunRecord) throws {
        var header = run
        header.cells = []
        let text = try RunJSONCoding.encode(header)
        try pool.write { db in
            try db.execute(sql: "INSERT INTO runs (id, started_at, state, suite_path, planned, header) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [run.id, DisplayFormat.timestamp(nanos: run.startedAtUnixNano), run.state.rawValue, run.suitePath, run.plannedCells, text])
            for cell in run.cells { try Self.insert(cell, run: run.id, db: db) }
        }
    }

    public func addCell(_ cell: CellResult, run id: String) throws {
        try pool.write { db in try Self.insert(cell, run: id, db: db) }
    }

    public func addCell(_ cell: CellResult, run id: String, spans: IngestBatch) throws {
        try pool.write { db in
            guard let connection = db.sqliteConnection else { throw SQLiteStoreError.open(path: path, reason: "closed") }
            _ = try SQLiteTraceWriter(connection: connection, database: db).write(spans)
            try Self.insert(cell, run: id, db: db)
        }
    }

    private static func insert(_ cell: CellResult, run id: String, db: Database) throws {
        try db.execute(sql: """
            INSERT OR IGNORE INTO run_cells (run_id, example, tier, condition, repeat_index, seq, body)
            VALUES (?, ?, ?, ?, ?, (SELECT count(*) FROM run_cells WHERE run_id = ?), ?)
            """, arguments: [id, cell.key.example, cell.key.tier, cell.key.condition ?? "", cell.key.repeatIndex, id, try RunJSONCoding.encode(cell)])
    }

    public func setRunState(_ state: RunState, run id: String) throws {
        try pool.write { db in
            guard let text = try String.fetchOne(db, sql: "SELECT header FROM runs WHERE id = ?", arguments: [id]) else { return }
            var header = try RunJSONCoding.decode(RunRecord.self, text)
            header.state = state
            try db.execute(sql: "UPDATE runs SET state = ?, header = ? WHERE id = ?", arguments: [state.rawValue, try RunJSONCoding.encode(header), id])
        }
    }

    public func run(_ id: String) throws -> RunRecord? {
        try pool.read { db in
            guard let text = try String.fetchOne(db, sql: "SELECT header FROM runs WHERE id = ?", arguments: [id]) else { return nil }
            var run = try RunJSONCoding.decode(RunRecord.self, text)
            let bodies = try String.fetchAll(db, sql: "SELECT body FROM run_cells WHERE run_id = ? ORDER BY seq", arguments: [id])
            run.cells = try bodies.map { try RunJSONCoding.decode(CellResult.self, $0) }
            return run
        }
    }

    public func runs(limit: Int) throws -> [RunListing] {
        try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT r.id, r.state, r.started_at, r.suite_path, r.planned, (SELECT count(*) FROM run_cells c WHERE c.run_id = r.id) AS done
                FROM runs r ORDER BY r.started_at DESC, r.id DESC LIMIT ?
                """, arguments: [limit]).map { row in
                RunListing(id: row["id"], state: RunState(rawValue: row["state"]) ?? .running, startedAt: row["started_at"],
                           suitePath: row["suite_path"], cells: row["done"], plannedCells: row["planned"])
            }
        }
    }
}
