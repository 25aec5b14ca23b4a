package import AssayCore

extension BrowseDocument {
    /// What the session view needs of a session beyond its traces in the file (DATA-FORMAT.md,
    /// "Sessions"): its first trace, where feedback on the whole session is stored and where the
    /// page's review of the session is exported to; how many traces it has; and the feedback on it.
    package struct SessionFacts: Sendable {
        /// The session's first trace (docs/conversations.md, "Sessions").
        package var firstTraceID: TraceID
        /// The session's traces in the store; the file may hold fewer when filters left some out.
        package var traceCount: Int
        /// Feedback on the whole session (items whose `sessionID` is the session's), oldest first.
        package var feedback: [StoredFeedback]

        /// Creates the facts.
        package init(firstTraceID: TraceID, traceCount: Int, feedback: [StoredFeedback]) {
            self.firstTraceID = firstTraceID
            self.traceCount = traceCount
            self.feedback = feedback
        }

        /// Facts from the traces in the file alone: the first of them, their count, and the
        /// session feedback stored on them.
        init(id: String, traces: [TraceSummary], feedback: [TraceID: [StoredFeedback]]) {
            let first = traces.min { ($0.startTimeUnixNano, $0.traceID.description) < ($1.startTimeUnixNano, $1.traceID.description) }!
            self.init(firstTraceID: first.traceID, traceCount: traces.count, feedback: Self.onSession(id, traces.map(\.traceID), feedback))
        }

        /// Feedback items on `traces` about session `id`, oldest first, each once.
        static func onSession(_ id: String, _ traces: [TraceID], _ feedback: [TraceID: [StoredFeedback]]) -> [StoredFeedback] {
            var seen = Set<FeedbackID>()
            return traces.flatMap { feedback[$0] ?? [] }
                .filter { $0.feedback.sessionID == id && seen.insert($0.feedback.id).inserted }
                .sorted { $0.feedback.timeUnixNano < $1.feedback.timeUnixNano }
        }
    }

    /// The facts of every session among `traces`, read from `store`: each whole session, also where
    /// the file holds only some of its turns, with the feedback stored on its first trace.
    ///
    /// - Parameters:
    ///   - traces: the traces of the file.
    ///   - feedback: the feedback on them, as `TraceStore.feedback(for:)` returns it.
    package static func sessionFacts(for traces: [TraceSummary], feedback: [TraceID: [StoredFeedback]],
                                     in store: any TraceStore) throws -> [String: SessionFacts] {
        var ids: [String] = []
        var inFile: [String: [TraceID]] = [:]
        for t in traces {
            guard let id = t.sessionID else { continue }
            if inFile[id] == nil { ids.append(id) }
            inFile[id, default: []].append(t.traceID)
        }
        var facts: [String: SessionFacts] = [:]
        for id in ids {
            let whole = try store.traces(matching: TraceQuery(sessionID: id, limit: 1_000_000))
            facts[id] = whole.isEmpty ? SessionFacts(id: id, traces: traces.filter { $0.sessionID == id }, feedback: [:])
                : SessionFacts(id: id, traces: whole, feedback: [:])
        }
        let listed = Set(traces.map(\.traceID))
        var all = feedback
        let missing = ids.compactMap { facts[$0]?.firstTraceID }.filter { !listed.contains($0) }
        if !missing.isEmpty { for (trace, items) in try store.feedback(for: missing) { all[trace] = items } }
        for id in ids {
            guard let first = facts[id]?.firstTraceID else { continue }
            facts[id]?.feedback = SessionFacts.onSession(id, [first] + (inFile[id] ?? []), all)
        }
        return facts
    }
}
