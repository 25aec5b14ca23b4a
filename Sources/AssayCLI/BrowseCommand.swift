import ArgumentParser
import AssayBrowse
import AssayCore
import Foundation

/// `assay browse`: one self-contained HTML file to explore and review traces offline.
struct BrowseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "browse",
        abstract: "Write a static HTML trace browser: one file that opens from disk, with no server and no network.",
        discussion: """
            The page lists the traces (sortable, filterable, searchable), draws each as a span tree \
            with a timeline, shows LLM messages, tool calls and retrieved documents, and has a review \
            mode (j/k, u/d to rate, f to flag, c to correct) whose work exports as a feedback file.
            Traces that share a session id are also shown as conversations (the Sessions tab): turns, \
            tool calls, approvals, context growth, and review of the whole session.
            Links like traces.html#trace=<id> open one trace, traces.html#session=<id> one session. Trace and model-call costs are at the \
            pinned LiteLLM prices, with --prices FILE over them (docs/prices.md).

            Examples:
              assay browse
              assay browse --status error --since 1d --out Reports/errors.html
              assay browse --runs --out Reports/run-cells.html

            By default the page holds the application's traces (not the cells of assay run; --runs or \
            --include-runs for those) and is written to Reports/browse.html: Reports/traces.html is the page \
            assay run writes over its own cells, and browse does not overwrite a run's page.
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var filters: TraceFilterOptions
    @OptionGroup var sessionFilter: SessionFilterOption
    @OptionGroup var priceOptions: PriceOptions

    @Option(help: ArgumentHelp("Where to write the page.", valueName: "path"))
    var out = "Reports/browse.html"

    @Option(help: "At most this many traces, newest first.")
    var limit = 10_000

    @Option(help: ArgumentHelp("The page title.", valueName: "text"))
    var title = "Assay traces"

    func validate() throws { _ = try filters.query(limit: limit, session: sessionFilter.session) }

    func run() throws {
        if Self.isRunPage(out) {
            throw ValidationError("--out: \(DisplayFormat.safe(out, limit: 300)) is the trace page of a run (written by assay run or assay report); write elsewhere, or rewrite it with assay report.")
        }
        let prices = try priceOptions.table()
        let db = try store.open()
        let summaries = try db.traces(matching: try filters.query(limit: limit, session: sessionFilter.session))
        let traces = try db.traces(summaries.map(\.traceID))
        let feedback = try db.feedback(for: summaries.map(\.traceID))
        let sessions = try BrowseDocument.sessionFacts(for: summaries, feedback: feedback, in: db)
        let data = try BrowseDocument().json(title: title, generatedAt: Date(), traces: traces, feedback: feedback, prices: prices, sessions: sessions)
        let page = try BrowserPage.render(title: title, dataJSON: data)
        let url = URL(fileURLWithPath: out)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(page).write(to: url, options: .atomic)
        let spans = traces.reduce(0) { $0 + $1.spans.count }
        print("\(DisplayFormat.safe(out, limit: 300)): \(counted(traces.count, "trace")), \(counted(spans, "span")), \(page.count / 1024) KiB")
    }

    /// Whether the file at `path` is a run's trace page (its title is `Run run-…`).
    static func isRunPage(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = String(decoding: (try? handle.read(upToCount: 4096)) ?? Data(), as: UTF8.self)
        return head.contains("<title>Run run-")
    }
}
