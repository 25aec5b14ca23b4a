import ArgumentParser
import AssayCore
import AssayEval
import Foundation

/// `assay score`: scores stored traces with the scorer files and stores the results as feedback.
struct ScoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score stored traces with the scorer files in Scorers/, storing the scores as feedback.",
        discussion: """
            Production traffic, no re-run: each component's spans are selected in each trace and scored. \
            Scorers that need an expected value use the newest correction on the component's spans, and \
            are unscored without one. Each component's result is stored as feedback by score:COMPONENT \
            (source code, or model for an LLM judge or embeddings): scores COMPONENT and COMPONENT.SCORER, label \
            COMPONENT=pass|fail; scoring again replaces it. Then, for example: \
            assay traces list --label triage=fail, assay promote --score-below reply=0.5 ...

            Examples:
              assay score --since 24h
              assay score --scorers Scorers/triage.yaml --flag-failures \\
                  --name 'invoke_agent *'
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var filters: TraceFilterOptions
    @OptionGroup var sessionFilter: SessionFilterOption

    @Option(help: ArgumentHelp("A scorer file, or a folder of them.", valueName: "path"))
    var scorers = "Scorers"

    @Option(help: ArgumentHelp("Score this trace (repeatable); combines with the filters.", valueName: "trace-id"))
    var trace: [String] = []

    @Option(help: "At most this many traces.")
    var limit = 1000

    @Flag(help: "Flag failing traces as needing review.")
    var flagFailures = false

    @Flag(help: "Print the scores without storing them.")
    var dryRun = false

    @Flag(help: "Print JSON Lines, one object per trace and component.")
    var json = false

    func validate() throws {
        _ = try filters.query(limit: limit, session: sessionFilter.session)
        for t in trace where TraceID(hex: t) == nil || t.utf8.count != 32 {
            throw ValidationError("--trace: expected 32 hex characters, got '\(DisplayFormat.safe(t, limit: 64))'.")
        }
    }

    func run() async throws {
        let db = try store.open()
        let files: [ScorerFile]
        do { files = try EvalSetup.loader(store: db).load(scorers) } catch {
            printLines(error.description)
            throw ExitCode(1)
        }
        var ids = trace.compactMap { TraceID(hex: $0) }
        let query = try filters.query(limit: limit, session: sessionFilter.session)
        if trace.isEmpty || query != TraceFilterOptions.unfiltered(limit: limit) { ids += try db.traces(matching: query).map(\.traceID).filter { !ids.contains($0) } }
        let traces = try db.traces(ids)
        let rows = await TraceScoring.score(traces, feedback: try db.feedback(for: ids), components: files.map(\.component))
        let now = nowNanos()
        let items = rows.compactMap { TraceScoring.feedback($0, time: now, flagFailures: flagFailures) }
        if !dryRun && !items.isEmpty { try db.add(items) }
        if json {
            for row in rows { print(ScoreReport.jsonLine(row)) }
        } else {
            print(ScoreReport.table(rows), terminator: "")
            print(ScoreReport.summary(rows, components: files.map(\.component.name)), terminator: "")
            print(dryRun ? "not stored (--dry-run)" : "stored \(items.count) results as feedback")
        }
    }
}
