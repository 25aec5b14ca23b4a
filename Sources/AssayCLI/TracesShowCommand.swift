import ArgumentParser
import AssayCore
import AssayOTLP

/// `assay traces show TRACE_ID`: one trace as a span tree.
struct TracesShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one trace as a span tree with durations, operations, models, tokens, costs and status.",
        discussion: """
            --json prints the spans with their derived fields and content; --otlp prints the trace \
            as an OTLP/JSON document, as it was ingested. Costs are at the pinned LiteLLM prices, with \
            --prices FILE over them; an unknown cost says why (docs/prices.md).

            Example:
              assay traces show 5b8efff798038103d269b633813fc60c
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var priceOptions: PriceOptions

    @Argument(help: ArgumentHelp("The trace id: 32 hex characters.", valueName: "trace-id"))
    var traceID: String

    @Flag(help: "Print JSON: the summary and every span's fields.")
    var json = false

    @Flag(help: "Print the trace as one OTLP/JSON TracesData document.")
    var otlp = false

    func validate() throws {
        guard TraceID(hex: traceID) != nil else {
            throw ValidationError("trace-id: expected 32 hex characters (not all zero), got '\(DisplayFormat.safe(traceID, limit: 64))'.")
        }
        if json && otlp { throw ValidationError("Choose one of --json and --otlp.") }
    }

    func run() throws {
        let id = TraceID(hex: traceID)!
        let prices = try priceOptions.table()
        guard let trace = try store.open().trace(id) else {
            printError("trace \(id) is not in the store \(store.location)")
            throw ExitCode(1)
        }
        if otlp {
            print(String(decoding: OTLPJSONEncoder.encode(trace.tracesData), as: UTF8.self))
        } else {
            print(json ? TraceTreeRenderer.json(trace, prices: prices) : TraceTreeRenderer.text(trace, prices: prices), terminator: "")
        }
    }
}
