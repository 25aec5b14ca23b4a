import ArgumentParser
import AssayCore

/// The trace filters shared by `traces list` and `browse`.
struct TraceFilterOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Only traces that started at or after this time: a duration before now (30m, 2h, 7d) or an ISO 8601 time.", valueName: "time"))
    var since: String?

    @Option(help: ArgumentHelp("Only traces that started before this time.", valueName: "time"))
    var until: String?

    @Option(help: ArgumentHelp("Root span name, exact or a glob (* ? [).", valueName: "name"))
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

    /// The query these filters describe, or a usage error naming the bad value.
    func query(limit: Int) throws -> TraceQuery {
        guard limit >= 0 else { throw ValidationError("--limit must be 0 or more, got \(limit).") }
        var q = TraceQuery(name: name, model: model, sessionID: session, limit: limit)
        if let since {
            guard let t = TimeBound.parse(since) else { throw ValidationError("--since: expected a duration like 2h or an ISO 8601 time, got '\(DisplayFormat.safe(since))'.") }
            q.startFrom = t
        }
        if let until {
            guard let t = TimeBound.parse(until) else { throw ValidationError("--until: expected a duration like 2h or an ISO 8601 time, got '\(DisplayFormat.safe(until))'.") }
            q.startBefore = t
        }
        if let status {
            guard let s = TraceStatus(rawValue: status.lowercased()) else { throw ValidationError("--status: expected ok or error, got '\(DisplayFormat.safe(status))'.") }
            q.status = s
        }
        if let operation {
            guard let op = SpanOperation(label: operation) else {
                throw ValidationError("--operation: expected one of \(SpanOperation.allCases.map(\.label).joined(separator: ", ")), got '\(DisplayFormat.safe(operation))'.")
            }
            q.operation = op
        }
        return q
    }
}
