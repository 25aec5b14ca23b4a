import ArgumentParser

/// `assay prices`: the price table that costs come from.
struct PricesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prices",
        abstract: "Explain the model prices that trace and run costs come from.",
        discussion: """
            Prices come from a copy of LiteLLM's model_prices_and_context_window.json pinned in Assay, \
            with --prices FILE laid over it (docs/prices.md).

            Examples:
              assay prices show gpt-4o-mini-2024-07-18
              assay prices show house-model --prices prices.json
            """,
        subcommands: [PricesShowCommand.self]
    )
}
