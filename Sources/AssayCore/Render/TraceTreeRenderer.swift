/// Renders a stored trace as a span tree for the terminal, or as JSON.
package enum TraceTreeRenderer {
    /// The spans as a forest: roots (and orphans, whose parent never arrived) with their children,
    /// each level ordered by start time.
    package static func forest(_ spans: [StoredSpan]) -> [(span: StoredSpan, depth: Int, orphan: Bool)] {
        let ids = Set(spans.map(\.span.spanID))
        var children: [SpanID: [StoredSpan]] = [:]
        var tops: [StoredSpan] = []
        for s in spans {
            if let parent = s.span.parentSpanID, ids.contains(parent), parent != s.span.spanID {
                children[parent, default: []].append(s)
            } else {
                tops.append(s)
            }
        }
        let order: (StoredSpan, StoredSpan) -> Bool = {
            ($0.span.startTimeUnixNano, $0.span.spanID) < ($1.span.startTimeUnixNano, $1.span.spanID)
        }
        // Depth-first with an explicit stack: a chain of a million spans must not overflow the call stack.
        var out: [(StoredSpan, Int, Bool)] = []
        var visited: Set<SpanID> = []
        var stack: [(StoredSpan, Int, Bool)] = []
        func walk(from roots: [StoredSpan], orphan: (StoredSpan) -> Bool) {
            stack = roots.sorted(by: order).reversed().map { ($0, 0, orphan($0)) }
            while let (s, depth, isOrphan) = stack.popLast() {
                guard visited.insert(s.span.spanID).inserted else { continue }
                out.append((s, depth, isOrphan))
                for child in (children[s.span.spanID] ?? []).sorted(by: order).reversed() { stack.append((child, depth + 1, false)) }
            }
        }
        walk(from: tops) { $0.span.parentSpanID != nil }
        // Spans caught in a parent cycle are unreachable from any top: list them rather than lose them.
        walk(from: spans.filter { !visited.contains($0.span.spanID) }) { _ in true }
        return out
    }

    /// The tree as text: a header with the trace's cost at `prices`, then one line a span with its
    /// duration, operation, model, tokens, cost (model calls) and status.
    package static func text(_ trace: StoredTrace, prices: PriceTable = .pinned) -> String {
        let t = trace.summary
        var lines: [String] = []
        lines.append("Trace \(t.traceID)  \(t.rootName.map { DisplayFormat.safe($0) } ?? "(root span missing)")")
        lines.append("  started \(DisplayFormat.timestamp(nanos: t.startTimeUnixNano)), took \(DisplayFormat.duration(nanos: t.durationNanos)); "
            + "\(t.spanCount) spans, \(t.errorCount) errors; tokens \(t.totalTokens) (in \(t.inputTokens), out \(t.outputTokens))"
            + (t.models.isEmpty ? "" : "; models " + t.models.map { DisplayFormat.safe($0, limit: 40) }.joined(separator: ", ")))
        let cost = TraceCost(summary: t, prices: prices)
        if cost.hasModelCalls { lines.append("  cost \(cost.detail)") }
        if let session = t.sessionID { lines.append("  session \(DisplayFormat.safe(session))") }
        lines.append("")
        let rows = forest(trace.spans)
        // Whether each row has a later sibling: scan backwards, remembering per depth whether one was seen
        // since the last shallower row.
        var hasNext = [Bool](repeating: false, count: rows.count)
        var seen: [Bool] = []
        for i in rows.indices.reversed() {
            let d = rows[i].depth
            if seen.count <= d { seen += [Bool](repeating: false, count: d + 1 - seen.count) }
            hasNext[i] = seen[d]
            seen[d] = true
            for deeper in (d + 1)..<seen.count { seen[deeper] = false }
        }
        var ancestorHasNext: [Bool] = []
        for (i, row) in rows.enumerated() {
            let d = row.depth
            if ancestorHasNext.count <= d { ancestorHasNext += [Bool](repeating: false, count: d + 1 - ancestorHasNext.count) }
            ancestorHasNext[d] = hasNext[i]
            var prefix = ""
            if d > 0 {
                let drawn = min(d, maxDrawnDepth)
                for level in 1..<drawn { prefix += ancestorHasNext[level] ? "│  " : "   " }
                prefix += d > maxDrawnDepth ? "… (depth \(d)) " : ""
                prefix += hasNext[i] ? "├─ " : "└─ "
            }
            lines.append(prefix + describe(row.span, orphan: row.orphan, prices: prices))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Deeper levels are not indented further; the line says its depth instead.
    static let maxDrawnDepth = 32

    private static func describe(_ stored: StoredSpan, orphan: Bool, prices: PriceTable) -> String {
        let span = stored.span, s = stored.summary
        var parts = [DisplayFormat.safe(span.name, limit: 200), DisplayFormat.duration(nanos: span.durationNanos)]
        if s.operation != .other { parts.append(s.operation.label) }
        if let model = s.model { parts.append(DisplayFormat.safe(model, limit: 40)) }
        if s.inputTokens != nil || s.outputTokens != nil {
            parts.append("tokens \(s.inputTokens.map(String.init) ?? "?")→\(s.outputTokens.map(String.init) ?? "?")")
        }
        let cost = TraceCost(span: s, prices: prices)
        if cost.hasModelCalls { parts.append(cost.usd.map(Dollars.text) ?? "cost \(cost.detail)") }
        if let tool = s.toolName, s.operation == .tool { parts.append("tool \(DisplayFormat.safe(tool, limit: 40))") }
        switch span.status.code {
        case .error: parts.append("ERROR" + (s.errorType.map { " \(DisplayFormat.safe($0, limit: 200))" } ?? ""))
        case .ok: parts.append("ok")
        default: break
        }
        if orphan, let parent = span.parentSpanID {
            // OTLP flags 0x300: the exporter says the parent is remote (it came in a traceparent header).
            parts.append(TraceRootKind.ofTopmost(flags: span.flags) == .remoteParent
                ? "(remote parent \(parent): in the calling service, not received)" : "(parent \(parent) not received)")
        }
        return parts.joined(separator: "  ")
    }
}
