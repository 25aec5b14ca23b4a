import GRDB

/// The store's schema, as versioned migrations. Migrations are plain SQL with string ids and are
/// never edited once shipped: a change is a new migration.
enum StoreMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-traces") { db in
            try db.execute(sql: """
                CREATE TABLE resources (
                    id INTEGER PRIMARY KEY,
                    body BLOB NOT NULL UNIQUE
                );
                CREATE TABLE scopes (
                    id INTEGER PRIMARY KEY,
                    body BLOB NOT NULL UNIQUE
                );
                CREATE TABLE spans (
                    id INTEGER PRIMARY KEY,
                    trace_id BLOB NOT NULL,
                    span_id BLOB NOT NULL,
                    parent_span_id BLOB,
                    name TEXT NOT NULL,
                    kind INTEGER NOT NULL,
                    start_ns INTEGER NOT NULL,
                    end_ns INTEGER NOT NULL,
                    status_code INTEGER NOT NULL,
                    operation INTEGER NOT NULL,
                    provider TEXT,
                    model TEXT,
                    input_tokens INTEGER,
                    output_tokens INTEGER,
                    total_tokens INTEGER,
                    tool_name TEXT,
                    error_type TEXT,
                    session_id TEXT,
                    user_id TEXT,
                    resource_id INTEGER NOT NULL REFERENCES resources(id),
                    scope_id INTEGER NOT NULL REFERENCES scopes(id),
                    payload BLOB NOT NULL
                );
                CREATE UNIQUE INDEX spans_by_trace ON spans(trace_id, span_id);
                CREATE TABLE traces (
                    trace_id BLOB PRIMARY KEY,
                    root_span_id BLOB,
                    root_name TEXT,
                    root_start_ns INTEGER,
                    start_ns INTEGER NOT NULL,
                    end_ns INTEGER NOT NULL,
                    span_count INTEGER NOT NULL,
                    error_count INTEGER NOT NULL,
                    input_tokens INTEGER NOT NULL,
                    output_tokens INTEGER NOT NULL,
                    total_tokens INTEGER NOT NULL,
                    operations INTEGER NOT NULL,
                    session_id TEXT,
                    user_id TEXT
                ) WITHOUT ROWID;
                CREATE INDEX traces_by_start ON traces(start_ns);
                CREATE INDEX traces_by_name ON traces(root_name, start_ns);
                CREATE INDEX traces_by_session ON traces(session_id, start_ns) WHERE session_id IS NOT NULL;
                CREATE INDEX traces_with_errors ON traces(start_ns) WHERE error_count > 0;
                CREATE TABLE trace_models (
                    trace_id BLOB NOT NULL,
                    model TEXT NOT NULL,
                    PRIMARY KEY (trace_id, model)
                ) WITHOUT ROWID;
                CREATE INDEX trace_models_by_model ON trace_models(model, trace_id);
                """)
        }
        migrator.registerMigration("v2-feedback") { db in
            try db.execute(sql: """
                CREATE TABLE feedback (
                    id TEXT PRIMARY KEY,
                    trace_id BLOB NOT NULL,
                    span_id BLOB,
                    author TEXT NOT NULL,
                    source TEXT NOT NULL,
                    time_ns INTEGER NOT NULL,
                    is_current INTEGER NOT NULL,
                    rating INTEGER,
                    needs_review INTEGER NOT NULL,
                    has_correction INTEGER NOT NULL,
                    body TEXT NOT NULL
                );
                CREATE INDEX feedback_by_trace ON feedback(trace_id);
                CREATE INDEX feedback_by_review ON feedback(trace_id, span_id, author, source) WHERE is_current = 1;
                CREATE TABLE feedback_scores (
                    feedback_id TEXT NOT NULL,
                    name TEXT NOT NULL,
                    value REAL NOT NULL,
                    PRIMARY KEY (feedback_id, name)
                ) WITHOUT ROWID;
                CREATE INDEX feedback_scores_by_name ON feedback_scores(name, value);
                CREATE TABLE feedback_labels (
                    feedback_id TEXT NOT NULL,
                    name TEXT NOT NULL,
                    value TEXT NOT NULL,
                    PRIMARY KEY (feedback_id, name)
                ) WITHOUT ROWID;
                CREATE INDEX feedback_labels_by_name ON feedback_labels(name, value);
                """)
        }
        migrator.registerMigration("v3-runs") { db in
            try db.execute(sql: """
                CREATE TABLE runs (
                    id TEXT PRIMARY KEY,
                    started_at TEXT NOT NULL,
                    state TEXT NOT NULL,
                    suite_path TEXT NOT NULL,
                    planned INTEGER NOT NULL,
                    header TEXT NOT NULL
                );
                CREATE TABLE run_cells (
                    run_id TEXT NOT NULL REFERENCES runs(id),
                    example TEXT NOT NULL,
                    tier TEXT NOT NULL,
                    repeat_index INTEGER NOT NULL,
                    seq INTEGER NOT NULL,
                    body TEXT NOT NULL,
                    PRIMARY KEY (run_id, example, tier, repeat_index)
                ) WITHOUT ROWID;
                """)
        }
        // A cell's key gained its condition (a fault plan, docs/resilience.md); '' is the clean one.
        migrator.registerMigration("v4-run-cell-conditions") { db in
            try db.execute(sql: """
                CREATE TABLE run_cells_v4 (
                    run_id TEXT NOT NULL REFERENCES runs(id),
                    example TEXT NOT NULL,
                    tier TEXT NOT NULL,
                    condition TEXT NOT NULL DEFAULT '',
                    repeat_index INTEGER NOT NULL,
                    seq INTEGER NOT NULL,
                    body TEXT NOT NULL,
                    PRIMARY KEY (run_id, example, tier, condition, repeat_index)
                ) WITHOUT ROWID;
                INSERT INTO run_cells_v4 (run_id, example, tier, condition, repeat_index, seq, body)
                    SELECT run_id, example, tier, '', repeat_index, seq, body FROM run_cells;
                DROP TABLE run_cells;
                ALTER TABLE run_cells_v4 RENAME TO run_cells;
                """)
        }
        return migrator
    }
}
