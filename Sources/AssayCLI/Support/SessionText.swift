import AssayCore

/// Sessions for the terminal and as JSON (`assay sessions list` and `show`). Text from traces is made
/// safe for a terminal and long text is cut; JSON keeps it whole.
enum SessionText {
    /// One line per session, newest activity first as given.
    static func table(_ sessions: [SessionSummary]) -> String {
        if sessions.isEmpty { return "No sessions match.\n" }
        var rows = [["SESSION", "TURNS", "FIRST", "LAST", "TOKENS", "ERRORS", "FLAGGED", "USER"]]
        for s in sessions {
            rows.append([
                DisplayFormat.safe(s.id, limit: 128), String(s.traceCount), DisplayFormat.timestamp(nanos: s.startTimeUnixNano),
                DisplayFormat.timestamp(nanos: s.endTimeUnixNano), String(s.inputTokens &+ s.outputTokens), String(s.errorTraces),
                s.isFlagged ? "flagged" : "-", s.userID.map { DisplayFormat.safe($0, limit: 30) } ?? "-",
            ])
        }
        return Table.render(rows)
    }

    /// A JSON array of session summaries (times as decimal-string nanoseconds, like OTLP/JSON).
    static func json(_ sessions: [SessionSummary]) -> String {
        JSONValue.array(sessions.map(value)).compactJSON + "\n"
    }

    static func value(_ s: SessionSummary) -> JSONValue {
        .object([
            ("sessionId", .string(s.id)), ("turns", integer(s.traceCount)),
            ("startTimeUnixNano", .string(String(s.startTimeUnixNano))), ("endTimeUnixNano", .string(String(s.endTimeUnixNano))),
            ("inputTokens", integer(s.inputTokens)), ("outputTokens", integer(s.outputTokens)), ("errorTurns", integer(s.errorTraces)),
            ("flagged", .bool(s.isFlagged)), ("userId", s.userID.map(JSONValue.string) ?? .null),
        ])
    }

    /// The session's cost: every turn's model calls at `prices`.
    static func cost(_ session: Session, prices: PriceTable) -> TraceCost {
        TraceCost(usage: ModelUsage.merged(session.turns.flatMap(\.trace.usage)), prices: prices)
    }

    /// The session as text: a heading, the feedback on the whole session, then each turn in order.
    static func text(_ session: Session, prices: PriceTable) -> String {
        let turns = session.turns
        let tokens = turns.reduce(Int64(0)) { $0 &+ $1.trace.inputTokens &+ $1.trace.outputTokens }
        let failed = turns.filter { !$0.errors.isEmpty }.count
        var heading = "Session \(DisplayFormat.safe(session.id, limit: 128)): \(counted(turns.count, "turn"))"
        if let first = turns.first, let last = turns.map(\.trace.endTimeUnixNano).max() {
            heading += ", \(DisplayFormat.timestamp(nanos: first.trace.startTimeUnixNano)) to \(DisplayFormat.timestamp(nanos: last))"
        }
        heading += ", \(tokens) tokens, cost \(cost(session, prices: prices).text)"
        if failed > 0 { heading += ", \(counted(failed, "turn")) with errors" }
        if session.isFlagged { heading += ", flagged" }
        var lines = [heading]
        if !session.feedback.isEmpty {
            lines.append("Feedback on the session:")
            lines += session.feedback.map { "  " + FeedbackText.line($0) }
        }
        for turn in turns {
            lines.append("")
            let t = turn.trace
            lines.append("Turn \(turn.index)  \(t.traceID)  \(DisplayFormat.timestamp(nanos: t.startTimeUnixNano))  "
                         + "\(t.inputTokens &+ t.outputTokens) tokens (\(t.inputTokens) in, \(t.outputTokens) out)  cost \(turn.cost.text)")
            var fields: [(String, String)] = []
            if let decision = turn.decision { fields.append(("decision", DisplayFormat.safe(decision, limit: 100))) }
            fields.append(("input", turn.input.map { DisplayFormat.safe($0, limit: 100) } ?? "-"))
            if let interrupt = turn.interrupt {
                let asked = [interrupt.kind, interrupt.message].compactMap { $0 }.joined(separator: ": ")
                fields.append(("asked", DisplayFormat.safe(asked, limit: 100) + (interrupt.id.isEmpty ? "" : " (interrupt \(DisplayFormat.safe(interrupt.id, limit: 40)))")))
            } else {
                fields.append(("answer", turn.answer.map { DisplayFormat.safe($0, limit: 100) } ?? "-"))
            }
            fields.append(("tools", turn.tools.isEmpty ? "-" : DisplayFormat.safe(turn.tools.joined(separator: ", "), limit: 100)))
            for error in turn.errors { fields.append(("error", DisplayFormat.safe(error, limit: 100))) }
            for item in turn.feedback { fields.append(("feedback", FeedbackText.line(item))) }
            lines += fields.map { "  " + ($0.0 + ":").padding(toLength: 10, withPad: " ", startingAt: 0) + $0.1 }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The session as one JSON object: its summary, the feedback on it, and every turn whole.
    static func json(_ session: Session, prices: PriceTable) -> String {
        let turns = session.turns
        let total = cost(session, prices: prices)
        var members: [(String, JSONValue)] = [
            ("sessionId", .string(session.id)), ("turnCount", integer(turns.count)),
            ("startTimeUnixNano", .string(String(turns.first?.trace.startTimeUnixNano ?? 0))),
            ("endTimeUnixNano", .string(String(turns.map(\.trace.endTimeUnixNano).max() ?? 0))),
            ("inputTokens", integer(turns.reduce(Int64(0)) { $0 &+ $1.trace.inputTokens })),
            ("outputTokens", integer(turns.reduce(Int64(0)) { $0 &+ $1.trace.outputTokens })),
            ("errorTurns", integer(turns.filter { !$0.errors.isEmpty }.count)), ("flagged", .bool(session.isFlagged)),
        ]
        members += costMembers(total)
        members.append(("feedback", .array(session.feedback.map(feedback))))
        members.append(("turns", .array(turns.map { turn in
            let t = turn.trace
            var m: [(String, JSONValue)] = [
                ("index", integer(turn.index)), ("traceId", .string(t.traceID.description)), ("rootName", t.rootName.map(JSONValue.string) ?? .null),
                ("startTimeUnixNano", .string(String(t.startTimeUnixNano))), ("endTimeUnixNano", .string(String(t.endTimeUnixNano))),
                ("input", turn.input.map(JSONValue.string) ?? .null), ("answer", turn.answer.map(JSONValue.string) ?? .null),
                ("interrupt", turn.interrupt?.value ?? .null), ("decision", turn.decision.map(JSONValue.string) ?? .null),
                ("tools", .array(turn.tools.map(JSONValue.string))),
                ("inputTokens", integer(t.inputTokens)), ("outputTokens", integer(t.outputTokens)),
                ("callInputTokens", .array(turn.callInputTokens.map(integer))),
            ]
            m += costMembers(turn.cost)
            m.append(("errors", .array(turn.errors.map(JSONValue.string))))
            m.append(("feedback", .array(turn.feedback.map(feedback))))
            return .object(m)
        })))
        return JSONValue.object(members).compactJSON + "\n"
    }

    /// A feedback item as `assay feedback list --json` prints it: the import format and `current`.
    private static func feedback(_ item: StoredFeedback) -> JSONValue {
        .object((FeedbackJSON.value(item.feedback).members ?? []).map { ($0.key, $0.value) } + [("current", .bool(item.isCurrent))])
    }

    /// `costUSD` (null when unknown or without model calls) and `cost` (`-`, `unknown` or the dollars).
    private static func costMembers(_ cost: TraceCost) -> [(String, JSONValue)] {
        [("costUSD", cost.usd.flatMap { $0.isFinite ? FeedbackJSON.number($0) : nil } ?? .null), ("cost", .string(cost.text))]
    }

    private static func integer<N: BinaryInteger>(_ n: N) -> JSONValue { .number(String(n)) }
}
