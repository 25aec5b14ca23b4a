import PostgresNIO

/// The PostgreSQL schema, as versioned migrations: plain SQL statements under a string id, never
/// edited once shipped (a change is a new migration). They run at start under an advisory lock, so
/// collectors and CI shards starting together migrate once; `assay_migrations` records what ran.
enum PostgresMigrations {
    /// The advisory lock key ("Assay" in ASCII).
    static let lockKey: Int64 = 0x41_73_73_61_79

    static let all: [(id: String, statements: [String])] = [
        ("pg-001-traces", [
            "CREATE TABLE resources (id bigserial PRIMARY KEY, hash bytea NOT NULL UNIQUE, body bytea NOT NULL)",
            "CREATE TABLE scopes (id bigserial PRIMARY KEY, hash bytea NOT NULL UNIQUE, body bytea NOT NULL)",
            """
            CREATE TABLE spans (
                trace_id bytea NOT NULL,
                span_id bytea NOT NULL,
                parent_span_id bytea,
                name text NOT NULL,
                kind bigint NOT NULL,
                start_ns bigint NOT NULL,
                end_ns bigint NOT NULL,
                status_code bigint NOT NULL,
                operation bigint NOT NULL,
                provider text,
                model text,
                input_tokens bigint,
                output_tokens bigint,
                total_tokens bigint,
                tool_name text,
                error_type text,
                session_id text,
                user_id text,
                resource_id bigint NOT NULL REFERENCES resources (id),
                scope_id bigint NOT NULL REFERENCES scopes (id),
                payload bytea NOT NULL,
                flags bigint NOT NULL DEFAULT 0,
                PRIMARY KEY (trace_id, span_id)
            )
            """,
            // Token totals are typed columns, never JSON, so sums and filters read integers.
            """
            CREATE TABLE traces (
                trace_id bytea PRIMARY KEY,
                root_span_id bytea,
                root_name text COLLATE "C",
                root_start_ns bigint,
                root_kind bigint NOT NULL DEFAULT 0,
                start_ns bigint NOT NULL,
                end_ns bigint NOT NULL,
                span_count bigint NOT NULL,
                error_count bigint NOT NULL,
                input_tokens bigint NOT NULL,
                output_tokens bigint NOT NULL,
                total_tokens bigint NOT NULL,
                operations bigint NOT NULL,
                session_id text,
                user_id text,
                first_seen_ns bigint,
                last_seen_ns bigint,
                online bigint,
                online_ns bigint,
                online_claim_ns bigint
            )
            """,
            // Every list is newest first and bounded by a limit (and usually a time window): each filter
            // has an index that yields traces in start order, or a small set to sort.
            "CREATE INDEX traces_by_start ON traces (start_ns)",
            "CREATE INDEX traces_by_name ON traces (root_name, start_ns)",
            "CREATE INDEX traces_by_session ON traces (session_id, start_ns) WHERE session_id IS NOT NULL",
            "CREATE INDEX traces_with_errors ON traces (start_ns) WHERE error_count > 0",
            "CREATE INDEX traces_unevaluated ON traces (last_seen_ns) WHERE online IS NULL",
            "CREATE TABLE trace_models (trace_id bytea NOT NULL, model text NOT NULL, PRIMARY KEY (trace_id, model))",
            "CREATE INDEX trace_models_by_model ON trace_models (model, trace_id)",
            """
            CREATE TABLE trace_usage (
                trace_id bytea NOT NULL,
                provider text NOT NULL,
                model text NOT NULL,
                calls bigint NOT NULL,
                input_tokens bigint NOT NULL,
                output_tokens bigint NOT NULL,
                cache_read_tokens bigint NOT NULL,
                cache_write_tokens bigint NOT NULL,
                reasoning_tokens bigint NOT NULL,
                calls_without_usage bigint NOT NULL,
                PRIMARY KEY (trace_id, provider, model)
            )
            """,
        ]),
        ("pg-002-feedback", [
            """
            CREATE TABLE feedback (
                seq bigserial UNIQUE,
                id text PRIMARY KEY,
                trace_id bytea NOT NULL,
                span_id bytea,
                author text NOT NULL,
                source text NOT NULL,
                time_ns bigint NOT NULL,
                is_current boolean NOT NULL,
                rating bigint,
                needs_review boolean NOT NULL,
                has_correction boolean NOT NULL,
                body text NOT NULL
            )
            """,
            "CREATE INDEX feedback_by_trace ON feedback (trace_id, time_ns)",
            "CREATE INDEX feedback_current ON feedback (trace_id, author, source) WHERE is_current",
            "CREATE INDEX feedback_flagged ON feedback (trace_id) WHERE is_current AND needs_review",
            """
            CREATE TABLE feedback_scores (
                feedback_id text NOT NULL REFERENCES feedback (id),
                name text NOT NULL,
                value double precision NOT NULL,
                PRIMARY KEY (feedback_id, name)
            )
            """,
            "CREATE INDEX feedback_scores_by_name ON feedback_scores (name, value)",
            """
            CREATE TABLE feedback_labels (
                feedback_id text NOT NULL REFERENCES feedback (id),
                name text NOT NULL,
                value text NOT NULL,
                PRIMARY KEY (feedback_id, name)
            )
            """,
            "CREATE INDEX feedback_labels_by_name ON feedback_labels (name, value)",
        ]),
        ("pg-003-runs", [
            """
            CREATE TABLE runs (
                id text PRIMARY KEY,
                started_at text NOT NULL,
                state text NOT NULL,
                suite_path text NOT NULL,
                planned bigint NOT NULL,
                header text NOT NULL
            )
            """,
            """
            CREATE TABLE run_cells (
                run_id text NOT NULL REFERENCES runs (id),
                example text NOT NULL,
                tier text NOT NULL,
                condition text NOT NULL DEFAULT '',
                repeat_index bigint NOT NULL,
                seq bigserial,
                body text NOT NULL,
                PRIMARY KEY (run_id, example, tier, condition, repeat_index)
            )
            """,
        ]),
        // `--flagged` walked the traces newest first and probed the feedback of each until enough
        // matched: slow when reviews lag traffic (docs/benchmarks.md). The trace row now says whether
        // it has current feedback that asks for review, kept by the feedback writer, and a partial
        // index yields those traces in start order.
        ("pg-004-flagged-traces", [
            "ALTER TABLE traces ADD COLUMN needs_review boolean NOT NULL DEFAULT false",
            "UPDATE traces SET needs_review = true WHERE trace_id IN (SELECT trace_id FROM feedback WHERE is_current AND needs_review)",
            "CREATE INDEX traces_flagged ON traces (start_ns) WHERE needs_review",
        ]),
        // Feedback on a whole session (docs/conversations.md) is stored on the session's first trace
        // with the session's id, which is part of its review key. Feedback stored before has none.
        ("pg-005-feedback-sessions", [
            "ALTER TABLE feedback ADD COLUMN session_id text",
        ]),
    ]

    /// Brings the schema up to date, each migration in its own transaction, under the advisory lock.
    static func migrate(_ db: PostgresDB) throws {
        try db.query("SELECT pg_advisory_lock(\(lockKey))")
        defer { _ = try? db.query("SELECT pg_advisory_unlock(\(lockKey))") }
        try db.query("CREATE TABLE IF NOT EXISTS assay_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())")
        let done = Set(try db.query("SELECT id FROM assay_migrations").map { try $0.text(0) })
        let known = Set(all.map(\.id))
        if let unknown = done.subtracting(known).sorted().first {
            throw PostgresStoreError.migration(location: db.location, id: unknown,
                                               reason: "the database was migrated by a newer assay; upgrade this one")
        }
        for migration in all where !done.contains(migration.id) {
            do {
                try db.query("BEGIN")
                for statement in migration.statements { try db.query(statement) }
                var binds = PostgresBindings()
                binds.append(migration.id)
                try db.query("INSERT INTO assay_migrations (id) VALUES ($1)", binds)
                try db.query("COMMIT")
            } catch {
                _ = try? db.query("ROLLBACK")
                throw PostgresStoreError.migration(location: db.location, id: migration.id, reason: "\(error)")
            }
        }
    }
}
