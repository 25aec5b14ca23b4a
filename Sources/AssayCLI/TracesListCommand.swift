import ArgumentParser
import AssayCore

/// `assay traces list`: the newest traces, filtered.
struct TracesListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List traces, newest first, with filters.",
        discussion: """
            Times are a duration before now (30m, 2h, 7d) or an ISO 8601 time (2026-11-21T10:00:00Z).
            --name matches the root span's name exactly, or as a glob when it contains * ? or [.
            COST is the trace's model calls at the pinned LiteLLM prices (with --prices FILE over them): \
            - without model calls, unknown when a call's model has no price (assay prices show MODEL).

            Examples:
              assay traces list --since 2h --model gpt-4o-mini
              assay traces list --name 'invoke_agent *' --status error --json
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var filters: TraceFilterOptions
    @OptionGroup var sessionFilter: SessionFilterOption
    @OptionGroup var priceOptions: PriceOptions

    @Option(help: "At most this many traces.")
    var limit = 50

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func validate() throws { _ = try filters.query(limit: limit, session: sessionFilter.session) }

    func run() throws {
        let prices = try priceOptions.table()
        let traces = try store.open().traces(matching: try filters.query(limit: limit, session: sessionFilter.session))
        print(json ? TraceListRenderer.json(traces, prices: prices) : TraceListRenderer.table(traces, prices: prices), terminator: "")
    }
}
