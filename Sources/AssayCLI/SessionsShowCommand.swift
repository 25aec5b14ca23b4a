import ArgumentParser
import AssayCore

/// `assay sessions show ID`: one session's turns in order.
struct SessionsShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one session's turns in order: input, answer, tools, tokens, cost, errors and feedback.",
        discussion: """
            Each turn is one trace, in the order the traces started. A turn shows what the user said \\
            (the root span's input, else the first user message of the first model call), what the \\
            agent answered (the root's output, else the last model call's) or the decision it asked \\
            for, the decision the turn carried, the tools called, tokens, cost, failed spans and the \\
            feedback on it; then comes the feedback on the whole session. Text is cut to fit; --json \\
            prints it whole. Costs are at the pinned LiteLLM prices, with --prices FILE over them.

            Examples:
              assay sessions show conv-42
              assay sessions show conv-42 --json
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var priceOptions: PriceOptions

    @Argument(help: ArgumentHelp("The session id.", valueName: "session-id"))
    var sessionID: String

    @Flag(help: "Print JSON: the session, the feedback on it and every turn.")
    var json = false

    func validate() throws {
        guard !sessionID.isEmpty else { throw ValidationError("session-id: expected a session id, got an empty one.") }
    }

    func run() throws {
        let prices = try priceOptions.table()
        guard let session = try store.open().session(sessionID, prices: prices) else {
            throw AssayError.notFound(place: store.location, problem: "no session \(DisplayFormat.safe(sessionID)) in the store")
        }
        print(json ? SessionText.json(session, prices: prices) : SessionText.text(session, prices: prices), terminator: "")
    }
}
