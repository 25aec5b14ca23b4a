import ArgumentParser
import AssayCore

/// The trace filters shared by `traces list`, `browse`, `score` and `promote`. The session filter is
/// `SessionFilterOption`, apart, because `promote --session` names sessions to promote instead.
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

    @Flag(help: "Only traces flagged as needing review.")
    var flagged = false

    @Flag(help: "Only traces rated down.")
    var ratedDown = false

    @Flag(help: "Only traces rated up.")
    var ratedUp = false

    @Flag(help: "Only traces with a correction.")
    var hasCorrection = false

    @Flag(help: "Only traces with any feedback.")
    var hasFeedback = false

    @Option(help: ArgumentHelp("Only traces with a score of this name below this value.", valueName: "name=value"))
    var scoreBelow: String?

    @Option(help: ArgumentHelp("Only traces with this label.", valueName: "name=value"))
    var label: String?

    @Option(help: ArgumentHelp("Only feedback from this source counts in the feedback filters (human, model, code, online); alone: traces with feedback from it.", valueName: "source"))
    var source: String?

    @Flag(help: "Only the traces of evaluation runs' cells (by default they are left out).")
    var runs = false

    @Flag(help: "Application traces and evaluation runs' traces alike.")
    var includeRuns = false

    /// The query of no filter but the default origin: what "no filters given" means.
    static func unfiltered(limit: Int) -> TraceQuery {
        var q = TraceQuery(limit: limit)
        q.origin = .production
        return q
    }

    /// A `--since`/`--until` value as nanoseconds since the Unix epoch; nil when not given; a usage
    /// error naming the flag and the bad value.
    static func timeBound(_ text: String?, flag: String) throws -> UInt64? {
        guard let text else { return nil }
        guard let t = TimeBound.parse(text) else { throw ValidationError("\(flag): expected a duration like 2h or an ISO 8601 time, got '\(DisplayFormat.safe(text))'.") }
        return t
    }

    /// The query these filters describe, or a usage error naming the bad value.
    /// By default only the application's traces: the cells of `assay run` are kept apart.
    func query(limit: Int, session: String? = nil) throws -> TraceQuery {
        guard limit >= 0 else { throw ValidationError("--limit must be 0 or more, got \(limit).") }
        guard !(runs && includeRuns) else { throw ValidationError("--runs and --include-runs: give one of them.") }
        var q = TraceQuery(name: name, model: model, sessionID: session, limit: limit)
        q.origin = includeRuns ? nil : runs ? .runs : .production
        if let t = try TraceFilterOptions.timeBound(since, flag: "--since") { q.startFrom = t }
        if let t = try TraceFilterOptions.timeBound(until, flag: "--until") { q.startBefore = t }
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
        q.feedback.flagged = flagged
        q.feedback.ratedDown = ratedDown
        q.feedback.ratedUp = ratedUp
        q.feedback.hasCorrection = hasCorrection
        q.feedback.hasFeedback = hasFeedback
        if let scoreBelow {
            guard let eq = scoreBelow.firstIndex(of: "="), eq != scoreBelow.startIndex,
                  let v = Double(scoreBelow[scoreBelow.index(after: eq)...]), v.isFinite else {
                throw ValidationError("--score-below: expected name=number, got '\(DisplayFormat.safe(scoreBelow))'.")
            }
            q.feedback.scoreBelow = .init(name: String(scoreBelow[..<eq]), value: v)
        }
        if let source {
            guard let value = FeedbackSource(rawValue: source) else {
                throw ValidationError("--source: expected \(FeedbackSource.allCases.map(\.rawValue).joined(separator: ", ")), got '\(DisplayFormat.safe(source))'.")
            }
            q.feedback.source = value
        }
        if let label {
            guard let eq = label.firstIndex(of: "="), eq != label.startIndex, eq != label.index(before: label.endIndex) else {
                throw ValidationError("--label: expected name=value, got '\(DisplayFormat.safe(label))'.")
            }
            q.feedback.label = .init(name: String(label[..<eq]), value: String(label[label.index(after: eq)...]))
        }
        return q
    }
}

/// `--session ID`: only traces of this session (`traces list`, `browse`, `score`).
struct SessionFilterOption: ParsableArguments {
    @Option(help: ArgumentHelp("Only traces of this session.", valueName: "id"))
    var session: String?
}
