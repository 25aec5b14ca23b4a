package import AssayCore

/// Scores stored traces (production traffic, no re-run) with scorer files, and turns the results into
/// feedback from code or from a model, so that they feed the trace filters and promotion (`assay score`).
package enum TraceScoring {
    /// One trace's result for one component.
    package struct Row: Sendable {
        /// The trace.
        package var traceID: TraceID
        /// The component's result.
        package var result: ComponentResult
    }

    /// Scores every trace with every component, a few traces at a time.
    ///
    /// The expected value of a component is the newest current correction on one of its spans, when
    /// there is one; scorers that need an expected value are unscored otherwise. With `onlySelected`,
    /// a component whose selector picks no span of a trace does not apply to it and gives no row.
    package static func score(_ traces: [StoredTrace], feedback: [TraceID: [StoredFeedback]], components: [ComponentScorer],
                             concurrency: Int = 4, onlySelected: Bool = false) async -> [Row] {
        var rows: [Row] = []
        var next = 0
        await withTaskGroup(of: (Int, [Row]).self) { group in
            func add(_ i: Int) {
                let trace = traces[i]
                let items = feedback[trace.summary.traceID] ?? []
                group.addTask {
                    var out: [Row] = []
                    for c in components {
                        let ids = Set(c.selector.select(in: trace).map(\.span.spanID))
                        if onlySelected && ids.isEmpty { continue }
                        let fix = items.filter { $0.isCurrent && $0.feedback.correction != nil && ($0.feedback.spanID.map(ids.contains) ?? false) }
                            .max { $0.feedback.timeUnixNano < $1.feedback.timeUnixNano }
                        let expected = fix.map { FeedbackJSON.correctionValue($0.feedback.correction) }
                        out.append(Row(traceID: trace.summary.traceID, result: await c.score(trace, expected: expected)))
                    }
                    return (i, out)
                }
            }
            while next < min(max(1, concurrency), traces.count) { add(next); next += 1 }
            var byIndex: [Int: [Row]] = [:]
            for await (i, out) in group {
                byIndex[i] = out
                if next < traces.count { add(next); next += 1 }
            }
            rows = (0..<traces.count).flatMap { byIndex[$0] ?? [] }
        }
        return rows
    }

    /// The feedback that records a component's result on a trace: scores `COMPONENT` (the weighted
    /// value) and `COMPONENT.SCORER` (each scored scorer), the label `COMPONENT` = `pass` or `fail`,
    /// a flag when it failed and `flagFailures`, by author `score:COMPONENT`, from `source` when given
    /// (online evaluation gives `online`), else `model` when a model judged it, else `code`. Nil when
    /// nothing was scored.
    package static func feedback(_ row: Row, time: UInt64, flagFailures: Bool, source: FeedbackSource? = nil) -> Feedback? {
        let r = row.result
        guard let value = r.value, let passed = r.passed else { return nil }
        var scores = [r.component: value]
        for s in r.scores { if let v = s.value { scores[r.component + "." + s.scorer] = v } }
        let failing = r.scores.filter { $0.passed == false }.map { "\($0.scorer): \($0.explanation)" }
        let byModel = r.scores.contains { $0.kind.callsModel }
        return Feedback(traceID: row.traceID, scores: scores, labels: [r.component: passed ? "pass" : "fail"],
                        comment: failing.isEmpty ? nil : String(failing.joined(separator: "; ").prefix(2000)),
                        needsReview: flagFailures && !passed, author: "score:" + r.component,
                        source: source ?? (byModel ? .model : .code), timeUnixNano: time)
    }
}
