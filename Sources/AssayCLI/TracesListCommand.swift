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

            Examples:
              assay traces list --since 2h --model gpt-4o-mini
              assay traces list --name 'invoke_agent *' --status error --json
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(help: ArgumentHelp("Only traces that started at or after this time.", valueName: "time"))
    var since: String?

    @Option(help: ArgumentHelp("Only traces that started before this time.", valueName: "time"))
    var until: String?

    @Option(help: ArgumentHelp("Root span name, exact or a glob.", valueName: "name"))
    var name: String?

    @Option(help: ArgumentHelp("ok or error.", valueName: "status"))
    var status: String?

    @Option(help: ArgumentHelp("Only traces that used this model.", valueName: "model"))
    var model: String?

    @Option(help: ArgumentHelp("Only traces with a span of this operation: agent, chat, embeddings, retrieval, tool, chain, other.",
                               valueName: "operation"))
    var operation: String?

    @Option(help: ArgumentHelp("Only traces of this session.", valueName: "id"))
    var session: String?

    @Option(help: "At most this many traces.")
    var limit = 50

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func validate() throws { _ = try query() }

    func query() throws -> TraceQuery {
        var q = TraceQuery(name: name, model: model, sessionID: session, limit: limit)
        guard limit >= 0 else { throw ValidationError("--limit must be 0 or more, got \(limit).") }
        if let since {
            guard let t = TimeBound.parse(since) else { throw ValidationError("--since: expected a duration like 2h or an ISO 8601 time, got '\(since)'.") }
            q.startFrom = t
        }
        if let until {
            guard let t = TimeBound.parse(until) else { throw ValidationError("--until: expected a duration like 2h or an ISO 8601 time, got '\(until)'.") }
            q.startBefore = t
        }
        if let status {
            guard let s = TraceStatus(rawValue: status.lowercased()) else { throw ValidationError("--status: expected ok or error, got '\(status)'.") }
            q.status = s
        }
        if let operation {
            guard let op = SpanOperation(label: operation) else {
                throw ValidationError("--operation: expected one of \(SpanOperation.allCases.map(\.label).joined(separator: ", ")), got '\(operation)'.")
            }
            q.operation = op
        }
        return q
    }

    func run() throws {
        let traces = try store.open().traces(matching: try query())
        print(json ? TraceListRenderer.json(traces) : TraceListRenderer.table(traces), terminator: "")
    }
}
