import ArgumentParser
import AssayCore
import Foundation

/// `assay promote --to Datasets/NAME.jsonl [filters]`: turns chosen traces into eval examples.
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

            Examples:
              assay promote --to Datasets/support.jsonl --flagged --has-correction
              assay promote --to support --rated-up \\
                  --component 'triage=op=chat first' --component 'retrieval=op=retrieval'
              assay promote --to support --trace 6754614c64ffc6049b70e7695b05816f \\
                  --components components.txt
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var filters: TraceFilterOptions

    @Option(help: ArgumentHelp("The dataset: NAME or Datasets/NAME.jsonl.", valueName: "dataset"))
    var to: String

    @Option(help: ArgumentHelp("Promote this trace (repeatable); combines with the filters.", valueName: "trace-id"))
    var trace: [String] = []

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
        if query == TraceFilterOptions.unfiltered(limit: limit) && trace.isEmpty && !all {
            throw ValidationError("Choose traces: a filter such as --flagged or --has-correction, --trace ID, or --all.")
        }
        for t in trace where TraceID(hex: t) == nil || t.utf8.count != 32 {
            throw ValidationError("--trace: expected 32 hex characters, got '\(DisplayFormat.safe(t, limit: 64))'.")
        }
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
        let feedback = try db.feedback(for: ids)
        let time = DisplayFormat.timestamp(nanos: nowNanos())
        let promotion = Promotion(components: parts, tags: tag, time: time)
        let (examples, skipped) = promotion.examples(from: traces.map { ($0, feedback[$0.summary.traceID] ?? []) })
        for s in skipped { printError("skipped trace \(s.traceID): \(s.reason)") }
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
        print("\(dryRun ? "would promote" : "promoted") \(counted(traces.count, "trace")) into \(file) (\(name)): \(changes.added.count) added, \(changes.updated.count) updated, \(changes.unchanged.count) unchanged")
        if needs > 0 { print("\(needs) \(needs == 1 ? "example needs" : "examples need") an expected value (negative feedback without a correction): add a correction and promote again") }
        if !dryRun { print("version \(version)") }
    }
}
