import ArgumentParser
import AssayCore

/// The `--prices` option shared by the commands that show or record costs: a price file in LiteLLM's
/// format whose entries replace or add to the pinned table (docs/prices.md).
struct PriceOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "A price file in LiteLLM's model_prices_and_context_window.json format; its entries replace or add to the pinned prices (docs/prices.md).",
        valueName: "file"))
    var prices: String?

    /// The file's entries alone, or nil without `--prices`. A file that is not there is a usage error
    /// (exit 2); a file with problems is printed, one problem a line, and exits 1.
    func overrides() throws -> PriceTable? {
        guard let prices else { return nil }
        do {
            return try PriceTable.load(file: prices)
        } catch .notFound {
            throw ValidationError("--prices: no such file \(DisplayFormat.safe(prices, limit: 300))")
        } catch {
            printError(error.description)
            throw ExitCode(1)
        }
    }

    /// The pinned table with the file, if any, laid over it.
    func table() throws -> PriceTable {
        try overrides().map { PriceTable.pinned.merging($0) } ?? .pinned
    }
}
