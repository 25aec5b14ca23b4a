import AssayCore

/// The rows `PostgresTraceWriter` writes for new spans, as `COPY` text for the database ceiling: the
/// same columns with the same values (texts as `pgText` makes them, empty texts and unknown token counts
/// as NULL, ids and payloads as bytea), and one `traces` row per trace as its insert (not the conflict
/// update) sets it. Keep in step with `PostgresTraceWriter.insertSpans` and `upsertTraces`.
enum PostgresCeilingRows {
    /// The columns of `spans`, in the order `spans(_:resources:scopes:into:)` writes them.
    static let spanColumns = ["trace_id", "span_id", "parent_span_id", "name", "kind", "start_ns", "end_ns", "status_code", "operation",
                              "provider", "model", "input_tokens", "output_tokens", "total_tokens", "tool_name", "error_type",
                              "session_id", "user_id", "resource_id", "scope_id", "payload", "flags"]

    /// The columns of `traces`, in the order `traces(_:now:into:)` writes them.
    static let traceColumns = ["trace_id", "root_span_id", "root_name", "root_start_ns", "root_kind", "start_ns", "end_ns", "span_count",
                               "error_count", "input_tokens", "output_tokens", "total_tokens", "operations", "session_id", "user_id",
                               "first_seen_ns", "last_seen_ns"]

    /// Appends a row per span; `resources` and `scopes` are the stored ids of the batch's bodies.
    static func spans(_ batch: IngestBatch, resources: [Int64], scopes: [Int64], into rows: inout CopyTextRows) {
        for span in batch.spans {
            let s = span.summary
            rows.bytea(span.traceID.bytes)
            rows.bytea(span.spanID.bytes)
            if let parent = span.parentSpanID { rows.bytea(parent.bytes) } else { rows.null() }
            rows.text(text(span.name))
            rows.int(Int64(span.kind.rawValue))
            rows.int(Int64(bitPattern: span.startTimeUnixNano))
            rows.int(Int64(bitPattern: span.endTimeUnixNano))
            rows.int(Int64(span.statusCode.rawValue))
            rows.int(Int64(s.operation.rawValue))
            rows.text(nonEmpty(s.provider))
            rows.text(nonEmpty(s.model))
            for tokens in [s.inputTokens, s.outputTokens, s.totalTokens] {
                if let tokens { rows.int(max(tokens, 0)) } else { rows.null() }
            }
            rows.text(nonEmpty(s.toolName))
            rows.text(nonEmpty(s.errorType))
            rows.text(nonEmpty(s.sessionID))
            rows.text(nonEmpty(s.userID))
            rows.int(resources[span.resourceIndex])
            rows.int(scopes[span.scopeIndex])
            rows.bytea(span.payload)
            rows.int(Int64(span.flags))
            rows.endRow()
        }
    }

    /// Appends a row per trace of the batch (each trace wholly in it), rolled up as the writer does;
    /// `now` is the arrival time. Returns the number of traces.
    @discardableResult
    static func traces(_ batch: IngestBatch, now: UInt64, into rows: inout CopyTextRows) -> Int {
        var rollups: [TraceID: TraceRollup] = [:]
        var order: [TraceID] = []
        for span in batch.spans {
            if rollups[span.traceID] == nil {
                rollups[span.traceID] = TraceRollup(traceID: span.traceID)
                order.append(span.traceID)
            }
            rollups[span.traceID]!.add(span)
        }
        for id in order {
            let rollup = rollups[id]!, s = rollup.summary
            rows.bytea(id.bytes)
            if let root = s.rootSpanID {
                rows.bytea(root.bytes)
                rows.text(text(s.rootName ?? ""))
                rows.int(Int64(bitPattern: rollup.rootStartTimeUnixNano ?? 0))
                rows.int(Int64(TraceRootKind.root.rawValue))
            } else {
                rows.null()
                rows.null()
                rows.null()
                rows.int(0)
            }
            rows.int(Int64(bitPattern: s.startTimeUnixNano))
            rows.int(Int64(bitPattern: s.endTimeUnixNano))
            for value in [s.spanCount, s.errorCount, s.inputTokens, s.outputTokens, s.totalTokens, rollup.operationMask] { rows.int(value) }
            rows.text(nonEmpty(s.sessionID))
            rows.text(nonEmpty(s.userID))
            rows.int(Int64(bitPattern: now))
            rows.int(Int64(bitPattern: now))
            rows.endRow()
        }
        return order.count
    }

    /// Text as the store writes it: NUL, which PostgreSQL text cannot hold, becomes U+FFFD.
    private static func text(_ s: String) -> String { s.contains("\0") ? s.replacingOccurrences(of: "\0", with: "\u{FFFD}") : s }

    /// The text, or NULL for nil and empty (the writer's `NULLIF(x, '')`).
    private static func nonEmpty(_ s: String?) -> String? {
        guard let s, !s.isEmpty else { return nil }
        return text(s)
    }
}
