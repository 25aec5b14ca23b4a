import ArgumentParser
import AssayCore
import Foundation

/// `assay prices show MODEL`: the entry a model's calls are priced by, how it matched, and its prices.
struct PricesShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show the price entry a model matches, how it matched, and its prices per million tokens.",
        discussion: """
            MODEL is a model as spans name it: dated (gpt-4o-mini-2024-07-18, claude-3-5-sonnet-20241022), \
            with a provider prefix (openai/gpt-4o) or plain. --provider is the span's provider \
            (gen_ai.provider.name: openai, anthropic, gcp.gemini, aws.bedrock, azure.ai.openai, mistral_ai, ...). \
            Exits 1 when no entry matches, naming close ones.

            Examples:
              assay prices show gpt-4o-mini-2024-07-18
              assay prices show gemini-2.5-flash --provider gcp.gemini
            """
    )

    @OptionGroup var priceOptions: PriceOptions

    @Argument(help: ArgumentHelp("The model, as a span names it.", valueName: "model"))
    var model: String

    @Option(help: ArgumentHelp("The provider, as a span names it (gen_ai.provider.name).", valueName: "provider"))
    var provider: String?

    func validate() throws {
        guard !model.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("model: give a model name, e.g. gpt-4o-mini") }
    }

    func run() throws {
        let table = try priceOptions.table()
        let name = DisplayFormat.safe(model, limit: 200)
        guard let match = table.match(model: model, provider: provider) else {
            let close = table.closeKeys(to: model)
            printError("\(name): no price: no entry in the price table matches it (tried \(table.keysTried(model: model, provider: provider).map { DisplayFormat.safe($0, limit: 200) }.joined(separator: ", ")))"
                       + (close.isEmpty ? "" : "; close names: \(close.joined(separator: ", "))")
                       + ". Its calls cost unknown; give it a price with --prices FILE (docs/prices.md).")
            throw ExitCode(1)
        }
        print(Self.describe(match, table: table), terminator: "")
    }

    /// The match as lines: the entry, how it matched, its prices per million tokens with their fields.
    static func describe(_ match: PriceMatch, table: PriceTable) -> String {
        let p = match.price
        var lines = ["\(DisplayFormat.safe(match.model, limit: 200)) → \(DisplayFormat.safe(match.key, limit: 200))"]
        lines.append("  how: \(DisplayFormat.safe(match.explanation, limit: 1000))")
        lines.append("  entry: provider \(p.provider.map { DisplayFormat.safe($0) } ?? "-"), mode \(p.mode.map { DisplayFormat.safe($0) } ?? "-"), from "
                     + (p.source == "pinned" ? PriceTable.pinnedDescription : DisplayFormat.safe(p.source, limit: 300)))
        lines.append("  US dollars per million tokens:")
        for (kind, perToken, field, isFallback) in UsageCost.prices(p) {
            let price = perToken.map(Dollars.perMillion) ?? "none"
            let note = perToken == nil ? "the entry has no \(field): such tokens cost unknown"
                : isFallback ? "\(field) (the entry has no price of its own for \(kind.rawValue) tokens)" : field
            lines.append("    " + kind.rawValue.padding(toLength: 13, withPad: " ", startingAt: 0) + price.padding(toLength: 11, withPad: " ", startingAt: 0) + note)
        }
        if !p.pricesTokens { lines.append("  The entry prices no tokens: calls of this model cost unknown.") }
        return lines.joined(separator: "\n") + "\n"
    }
}
