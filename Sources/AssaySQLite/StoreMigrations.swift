import AssayCore
import AssayOTLP
import Foundation
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
        // Online evaluation and prices (docs/online-evaluation.md, docs/prices.md): when each trace
        // arrived and what online evaluation did with it, how its root was chosen (a topmost span stands
        // in when the parent is remote), and its tokens by model. Traces stored before this keep NULL
        // arrival times, so online evaluation leaves them to `assay score`.
        migrator.registerMigration("v5-online-evaluation-and-usage") { db in
            try db.execute(sql: """
                ALTER TABLE spans ADD COLUMN flags INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE traces ADD COLUMN root_kind INTEGER NOT NULL DEFAULT 0;
                UPDATE traces SET root_kind = 1 WHERE root_span_id IS NOT NULL;
                UPDATE traces SET (root_span_id, root_name, root_start_ns, root_kind) = (
                    SELECT s.span_id, s.name, s.start_ns, 3 FROM spans s
                    WHERE s.trace_id = traces.trace_id
                      AND NOT EXISTS (SELECT 1 FROM spans p WHERE p.trace_id = s.trace_id AND p.span_id = s.parent_span_id)
                    ORDER BY s.start_ns, s.span_id LIMIT 1)
                WHERE root_span_id IS NULL;
                ALTER TABLE traces ADD COLUMN first_seen_ns INTEGER;
                ALTER TABLE traces ADD COLUMN last_seen_ns INTEGER;
                ALTER TABLE traces ADD COLUMN online INTEGER;
                ALTER TABLE traces ADD COLUMN online_ns INTEGER;
                CREATE INDEX traces_unevaluated ON traces(last_seen_ns) WHERE online IS NULL AND last_seen_ns IS NOT NULL;
                CREATE TABLE trace_usage (
                    trace_id BLOB NOT NULL,
                    provider TEXT NOT NULL,
                    model TEXT NOT NULL,
                    calls INTEGER NOT NULL,
                    input_tokens INTEGER NOT NULL,
                    output_tokens INTEGER NOT NULL,
                    cache_read_tokens INTEGER NOT NULL,
                    cache_write_tokens INTEGER NOT NULL,
                    reasoning_tokens INTEGER NOT NULL,
                    calls_without_usage INTEGER NOT NULL,
                    PRIMARY KEY (trace_id, provider, model)
                ) WITHOUT ROWID;
                """)
            try backfillUsage(db)
        }
        // Online evaluation claims the completed traces it takes, so that collectors sharing a store
        // score different ones; a claim lapses when its evaluation was never recorded.
        migrator.registerMigration("v6-online-claims") { db in
            try db.execute(sql: "ALTER TABLE traces ADD COLUMN online_claim_ns INTEGER")
        }
        // Feedback on a whole session (docs/conversations.md) is stored on the session's first trace
        // with the session's id, which is part of its review key. Feedback stored before has none.
        migrator.registerMigration("v7-feedback-sessions") { db in
            try db.execute(sql: "ALTER TABLE feedback ADD COLUMN session_id TEXT")
        }
        return migrator
    }

    /// Fills `trace_usage` from the stored model-call spans (their payloads hold the cache and reasoning counts).
    private static func backfillUsage(_ db: Database) throws {
        var usage: [Data: [ModelUsage]] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT trace_id, payload FROM spans WHERE operation IN (?, ?)",
                                       arguments: [SpanOperation.chat.rawValue, SpanOperation.embeddings.rawValue])
        while let row = try rows.next() {
            let payload: Data = row[1]
            guard let span = try? OTLPProtoDecoder.decodeSpan([UInt8](payload)), let call = ModelUsage(call: SpanSummary(span: span)) else { continue }
            let trace: Data = row[0]
            usage[trace, default: []].append(call)
        }
        for (trace, calls) in usage {
            for u in ModelUsage.merged(calls) {
                try db.execute(sql: SQLiteTraceWriter.upsertUsageSQL, arguments: [
                    trace, u.provider ?? "", u.model ?? "", u.calls, u.inputTokens, u.outputTokens, u.cacheReadTokens,
                    u.cacheWriteTokens, u.reasoningTokens, u.callsWithoutUsage,
                ])
            }
        }
    }
}
