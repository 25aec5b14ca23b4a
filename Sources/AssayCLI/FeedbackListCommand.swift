import ArgumentParser
import AssayCore

/// `assay feedback list TRACE_ID...` (or `--session ID`): the feedback on traces, or on a session and its turns.
struct FeedbackListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the feedback on traces, or on a session and its turns, oldest first; superseded reviews are marked.",
        discussion: """
            Feedback on a whole session shows "session ID" as its target; it is stored on the \
            session's first trace, so listing that trace shows it too. With --session, the feedback \
            on the session comes first, then each turn's, marked "turn N".

            Examples:
              assay feedback list 6754614c64ffc6049b70e7695b05816f --json
              assay feedback list --session conv-42
            """
    )

    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("Trace ids: 32 hex characters each.", valueName: "trace-id"))
    var traceIDs: [String] = []

    @Option(help: ArgumentHelp("The feedback on this session and on its turns, in turn order.", valueName: "id"))
    var session: String?

    @Flag(help: "Print JSON Lines (the import format, plus a current flag).")
    var json = false

    func validate() throws {
        if traceIDs.isEmpty && session == nil { throw ValidationError("Give at least one trace id, or --session ID.") }
        if !traceIDs.isEmpty && session != nil { throw ValidationError("Give trace ids or --session, not both.") }
        for t in traceIDs where TraceID(hex: t) == nil || t.utf8.count != 32 {
            throw ValidationError("trace-id: expected 32 hex characters (not all zero), got '\(DisplayFormat.safe(t, limit: 64))'.")
        }
    }

    func run() throws {
        let store = try self.store.open()
        var ids = traceIDs.compactMap { TraceID(hex: $0) }
        if let session {
            ids = try store.sessionTurns(session).map(\.traceID)
            if ids.isEmpty { throw AssayError.notFound(place: self.store.location, problem: "no session \(DisplayFormat.safe(session)) in the store") }
        }
        let byTrace = try store.feedback(for: ids)
        // With --session: the feedback on the whole session first, then each turn's, marked with the turn.
        var listed: [(String, StoredFeedback)] = []
        if let session {
            listed += ids.flatMap { byTrace[$0] ?? [] }.filter { $0.feedback.sessionID == session }.map { ("", $0) }
            for (i, id) in ids.enumerated() {
                listed += (byTrace[id] ?? []).filter { $0.feedback.sessionID != session }.map { ("turn \(i + 1)  ", $0) }
            }
        } else {
            listed = ids.flatMap { byTrace[$0] ?? [] }.map { ("", $0) }
        }
        let lines = listed.map { prefix, item in
            guard json else { return prefix + FeedbackText.line(item) }
            let members = FeedbackJSON.value(item.feedback).members ?? []
            return JSONValue.object(members.map { ($0.key, $0.value) } + [("current", .bool(item.isCurrent))]).compactJSON
        }
        if !json && lines.isEmpty { print("no feedback") }
        for line in lines { print(line) }
    }
}
