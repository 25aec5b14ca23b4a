import ArgumentParser
import AssayCore
import Foundation

/// `assay promote --to Datasets/NAME.jsonl [filters]`: turns chosen traces into eval examples, and
/// chosen sessions (`--session ID`, or `--sessions` for the sessions of the chosen traces) into
/// multi-turn examples.
struct PromoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "promote",
        abstract: "Promote traces (flagged, corrected, rated...) into a dataset of examples in Datasets/.",
        discussion: """
            Each trace becomes an example: its id is a hash of the root span's input; its expected output \
            is the newest correction, else the observed output when the feedback is positive, else none \
            (status needs_expected: nothing is invented). Components are extracted with selectors \
            (--component NAME=SELECTOR or a --components file; see docs/selectors.md). Promoting the same \
            traces again adds nothing; a changed correction updates its example in place. The file is \
            written atomically, under a lock, with one example per line in id order.

            A session (--session ID, or --sessions for the sessions of the chosen traces) becomes one \
            multi-turn example: its traces are the turns, a trace that answers an interrupt is the \
            decision of the turn before, and the end state comes from feedback on the whole session \
            (docs/conversations.md).

            Examples:
              assay promote --to Datasets/support.jsonl --flagged --has-correction
              assay promote --to support --rated-up \\
                  --component 'triage=op=chat first' --component 'retrieval=op=retrieval'
              assay promote --to support --trace 6754614c64ffc6049b70e7695b05816f \\
                  --components components.txt
              assay promote --to threads --flagged --sessions
              assay promote --to threads --session conv-ana-0142 \\
                  --component 'triage=op=chat first'
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var filters: TraceFilterOptions

    @Option(help: ArgumentHelp("The dataset: NAME or Datasets/NAME.jsonl.", valueName: "dataset"))
    var to: String

    @Option(help: ArgumentHelp("Promote this trace (repeatable); combines with the filters.", valueName: "trace-id"))
    var trace: [String] = []

    @Option(help: ArgumentHelp("Promote this session as one multi-turn example (repeatable); combines with the rest.", valueName: "session-id"))
    var session: [String] = []

    @Flag(help: "Promote the sessions of the chosen traces (with --flagged: every flagged session), one multi-turn example each, instead of the traces.")
    var sessions = false

    @Flag(help: "Promote every trace matching the filters, even with no filter given.")
    var all = false

    @Option(help: ArgumentHelp("A component to extract, NAME=SELECTOR (repeatable).", valueName: "name=selector"))
    var component: [String] = []

    @Option(help: ArgumentHelp("A file of components, one NAME = SELECTOR per line.", valueName: "file"))
    var components: String?

    @Option(help: ArgumentHelp("A tag for the examples' metadata (repeatable).", valueName: "tag"))
    var tag: [String] = []

    @Option(help: "At most this many traces.")
    var limit = 1000

    @Flag(help: "Show what would change without writing.")
    var dryRun = false

    func validate() throws {
        let query = try filters.query(limit: limit)
        let choosesTraces = query != TraceFilterOptions.unfiltered(limit: limit) || !trace.isEmpty || all
        if sessions && !choosesTraces {
            throw ValidationError("--sessions promotes the sessions of the chosen traces: add a filter such as --flagged, --trace ID, or --all.")
        }
        if !choosesTraces && session.isEmpty {
            throw ValidationError("Choose traces: a filter such as --flagged or --has-correction, --trace ID, or --all; or sessions: --session ID, or --sessions with a filter.")
        }
        for t in trace where TraceID(hex: t) == nil || t.utf8.count != 32 {
            throw ValidationError("--trace: expected 32 hex characters, got '\(DisplayFormat.safe(t, limit: 64))'.")
        }
        if session.contains(where: \.isEmpty) { throw ValidationError("--session: expected a session id, got an empty one.") }
        for c in component {
            do { _ = try ComponentList.parse(definition: c) } catch { throw ValidationError("--component '\(DisplayFormat.safe(c))': \(error)") }
        }
        do { _ = try DatasetFolder().file(for: to) } catch { throw ValidationError("--to: \(error)") }
    }

    func run() throws {
        let (name, file) = try DatasetFolder().file(for: to)
        var parts = try component.map { try ComponentList.parse(definition: $0) }
        if let components {
            guard let data = FileManager.default.contents(atPath: components), let text = String(data: data, encoding: .utf8) else {
                throw ValidationError("--components: cannot read '\(DisplayFormat.safe(components))'.")
            }
            switch ComponentList.parse(file: text, source: components) {
            case .success(let list): parts += list
            case .failure(let e):
                printError(e.description)
                throw ExitCode(1)
            }
        }
        let db = try store.open()
        var ids: [TraceID] = trace.compactMap { TraceID(hex: $0) }
        let query = try filters.query(limit: limit)
        if query != TraceFilterOptions.unfiltered(limit: limit) || all { ids += try db.traces(matching: query).map(\.traceID).filter { !ids.contains($0) } }
        let traces = try db.traces(ids)
        for missing in ids where !traces.contains(where: { $0.summary.traceID == missing }) {
            printError("trace \(missing) is not in the store \(store.location)")
            throw ExitCode(1)
        }
        let time = DisplayFormat.timestamp(nanos: nowNanos())
        let promotion = Promotion(components: parts, tags: tag, time: time)
        var examples: [DatasetExample] = []
        if !sessions && !traces.isEmpty {
            let feedback = try db.feedback(for: ids)
            let (promoted, skipped) = promotion.examples(from: traces.map { ($0, feedback[$0.summary.traceID] ?? []) })
            for s in skipped { printError("skipped trace \(s.traceID): \(s.reason)") }
            examples += promoted
        }
        let chosen = try chosenSessions(db, traces: sessions ? traces.map(\.summary) : [])
        let (sessionExamples, skippedSessions) = promotion.examples(fromSessions: chosen)
        for s in skippedSessions { printError("skipped session \(DisplayFormat.safe(s.sessionID, limit: 100)): \(s.reason)") }
        examples += sessionExamples
        let changes: DatasetMerge.Changes, version: String
        do {
            (changes, version) = try DatasetFolder.withLock(file) { () throws -> (DatasetMerge.Changes, String) in
            let existing = try DatasetFolder.read(file, missingIsEmpty: true)
            guard existing.problems.isEmpty else { throw AssayError.input(existing.problems) }
            let (merged, changes) = DatasetMerge.merge(existing: existing.examples, promoted: examples, time: time)
            let text = DatasetMerge.text(merged)
            if !changes.isEmpty && !dryRun { try DatasetFolder.writeAtomically(text, to: file) }
            return (changes, DatasetMerge.version(of: changes.isEmpty ? existing.text : text))
            }
        } catch let error as AssayError {
            printLines(error.description)
            if case .input(let problems) = error {
                printError("\(file): \(counted(problems.count, "problem")); the file was left as it is")
                printError("fix the file (assay datasets validate \(file)) and promote again")
            }
            throw ExitCode(1)
        }
        for d in changes.duplicates {
            printError("skipped example \(d.id): its input is the same as example \(d.sameAs)'s in \(file)")
        }
        let needs = examples.filter { $0.status == .needsExpected }.count
        let traceCount = sessions ? 0 : traces.count
        let what = ((traceCount > 0 || chosen.isEmpty ? [counted(traceCount, "trace")] : [])
            + (chosen.isEmpty ? [] : [counted(chosen.count, "session")])).joined(separator: " and ")
        print("\(dryRun ? "would promote" : "promoted") \(what) into \(file) (\(name)): \(changes.added.count) added, \(changes.updated.count) updated, \(changes.unchanged.count) unchanged")
        if needs > 0 { print("\(needs) \(needs == 1 ? "example needs" : "examples need") an expected value (no correction and no uncontested thumbs-up): add a correction and promote again") }
        if !dryRun { print("version \(version)") }
    }

    /// The sessions to promote: those named by `--session`, then those of `traces` (the chosen traces,
    /// with `--sessions`); with `--flagged`, only sessions that a current review flags.
    private func chosenSessions(_ db: any AssayStore, traces: [TraceSummary]) throws -> [Promotion.SessionTraces] {
        var chosen: [Promotion.SessionTraces] = []
        for id in session where !chosen.contains(where: { $0.session.id == id }) {
            guard let loaded = try Promotion.readSession(id, from: db) else {
                printError("session \(DisplayFormat.safe(id, limit: 100)) is not in the store \(store.location)")
                throw ExitCode(1)
            }
            chosen.append(loaded)
        }
        guard !traces.isEmpty else { return chosen }
        let alone = traces.filter { $0.sessionID == nil }.count
        for id in try Promotion.sessionIDs(of: traces, in: db) where !chosen.contains(where: { $0.session.id == id }) {
            guard let loaded = try Promotion.readSession(id, from: db), !filters.flagged || loaded.session.isFlagged else { continue }
            chosen.append(loaded)
        }
        if alone > 0 { printError("\(counted(alone, "chosen trace")) \(alone == 1 ? "belongs" : "belong") to no session; left out") }
        return chosen
    }
}
