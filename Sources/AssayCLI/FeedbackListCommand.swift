import ArgumentParser
import AssayCore

/// `assay feedback list TRACE_ID...`: the feedback on traces.
struct FeedbackListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the feedback on traces, oldest first; superseded reviews are marked.",
        discussion: """
            Example:
              assay feedback list 6754614c64ffc6049b70e7695b05816f --json
            """
    )

    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("Trace ids: 32 hex characters each.", valueName: "trace-id"))
    var traceIDs: [String]

    @Flag(help: "Print JSON Lines (the import format, plus a current flag).")
    var json = false

    func validate() throws {
        if traceIDs.isEmpty { throw ValidationError("Give at least one trace id.") }
        for t in traceIDs where TraceID(hex: t) == nil || t.utf8.count != 32 {
            throw ValidationError("trace-id: expected 32 hex characters (not all zero), got '\(DisplayFormat.safe(t, limit: 64))'.")
        }
    }

    func run() throws {
        let ids = traceIDs.compactMap { TraceID(hex: $0) }
        let byTrace = try store.open().feedback(for: ids)
        var lines: [String] = []
        for id in ids {
            for item in byTrace[id] ?? [] {
                if json {
                    let members = FeedbackJSON.value(item.feedback).members ?? []
                    lines.append(JSONValue.object(members.map { ($0.key, $0.value) } + [("current", .bool(item.isCurrent))]).compactJSON)
                } else {
                    lines.append(FeedbackText.line(item))
                }
            }
        }
        if !json && lines.isEmpty { print("no feedback") }
        for line in lines { print(line) }
    }
}
