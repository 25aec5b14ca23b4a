package import AssayCore

/// Copies what one store holds into another (`assay store copy`): traces with every span, resource
/// and scope, what online evaluation did with them, all feedback, and runs with their cells. Every
/// step is idempotent (spans, feedback and cells are keyed), so a copy can be run again, or resumed
/// after it stopped, and only what is missing is added.
package struct StoreCopy {
    /// What a copy found and added.
    package struct Counts: Sendable, Equatable {
        package var traces = 0
        package var spansNew = 0
        package var feedback = 0
        package var feedbackNew = 0
        package var runs = 0
        package var runsNew = 0
        package var cellsNew = 0
    }

    let from: any AssayStore
    let to: any AssayStore
    /// Traces read and written per transaction.
    var page = 200

    package init(from: any AssayStore, to: any AssayStore) {
        self.from = from
        self.to = to
    }

    /// Copies everything; `progress` hears the counts after each page.
    package func run(progress: (Counts) -> Void = { _ in }) throws -> Counts {
        var counts = Counts()
        var after: TraceID?
        while true {
            let ids = try from.traceIDs(after: after, limit: page)
            guard let last = ids.last else { break }
            after = last
            let traces = try from.traces(ids)
            var builder = IngestBatchBuilder()
            for trace in traces { builder.add(trace.tracesData) }
            var outcomes: [TraceID: OnlineEvaluation] = [:]
            for id in ids { if let outcome = try from.evaluation(of: id) { outcomes[id] = outcome } }
            let feedback = try from.feedback(for: ids).values.flatMap { $0 }.map(\.feedback)
            let (ingested, added) = try to.write { writer -> (IngestCounts, FeedbackCounts) in
                let ingested = try writer.write(builder.batch)
                let added = try writer.add(feedback)
                try writer.recordEvaluation(outcomes, at: 0)
                return (ingested, added)
            }
            counts.traces += traces.count
            counts.spansNew += ingested.spansNew
            counts.feedback += feedback.count
            counts.feedbackNew += added.added
            progress(counts)
        }
        for listing in try from.runs(limit: Int.max) {
            guard let run = try from.run(listing.id) else { continue }
            counts.runs += 1
            if let existing = try to.run(run.id) {
                let have = Set(existing.cells.map(\.key))
                for cell in run.cells where !have.contains(cell.key) {
                    try to.addCell(cell, run: run.id)
                    counts.cellsNew += 1
                }
                if existing.state != run.state { try to.setRunState(run.state, run: run.id) }
            } else {
                try to.createRun(run)
                counts.runsNew += 1
                counts.cellsNew += run.cells.count
            }
        }
        return counts
    }
}
