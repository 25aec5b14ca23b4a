/// Promotion of whole conversations into multi-turn examples (docs/conversations.md, "Promotion").
///
/// Each trace of a session is an exchange. One that answers an interrupt of the trace before it (its
/// root has `assay.exchange` = `resume`, or its input is an object with a `resume`) becomes a decision
/// of the turn before; every other trace starts a turn. A turn's expected answer, its components and
/// the end state follow the same rules as a single trace's: a value is never invented.
///
/// ```swift
/// guard let loaded = try Promotion.readSession("conv-1", from: store) else { return }
/// let (examples, skipped) = Promotion(components: [], tags: ["prod"], time: now).examples(fromSessions: [loaded])
/// ```
extension Promotion {
    /// A session with its whole traces: what a session's example is built from.
    public struct SessionTraces: Sendable {
        /// The session: its turns in order and the feedback on them and on the whole session.
        public var session: Session
        /// Its traces, with their spans.
        public var traces: [StoredTrace]

        /// Pairs a session with its traces.
        public init(session: Session, traces: [StoredTrace]) {
            self.session = session
            self.traces = traces
        }
    }

    /// A session that could not become an example, and why.
    public struct SkippedSession: Sendable, Hashable {
        /// The session.
        public var sessionID: String
        /// Why, naming the turn at fault.
        public var reason: String
    }

    /// Reads a session from a store: every trace that carries its id, their feedback, assembled in
    /// start order. Nil when no stored trace carries the id.
    public static func readSession(_ id: String, from store: any TraceStore) throws -> SessionTraces? {
        let ids = try store.sessionTurns(id).map(\.traceID)
        guard !ids.isEmpty else { return nil }
        let traces = try store.traces(ids)
        let session = Session(id: id, traces: traces, feedback: try store.feedback(for: ids))
        return SessionTraces(session: session, traces: traces)
    }

    /// The sessions of these traces, in first-seen order: each trace's own session, and the session of
    /// any feedback on it about a whole session (stored on the session's first trace).
    public static func sessionIDs(of traces: [TraceSummary], in store: any TraceStore) throws -> [String] {
        let feedback = try store.feedback(for: traces.map(\.traceID))
        var ids: [String] = []
        for t in traces {
            let named = [t.sessionID] + (feedback[t.traceID] ?? []).map(\.feedback.sessionID)
            for case let id? in named where !ids.contains(id) { ids.append(id) }
        }
        return ids
    }

    /// The examples for sessions, one per distinct conversation (the same turns' messages are the same
    /// example: one with an expected end state wins, then the newest), and the sessions skipped.
    public func examples(fromSessions sessions: [SessionTraces]) -> (examples: [DatasetExample], skipped: [SkippedSession]) {
        var byID: [String: (DatasetExample, UInt64)] = [:]
        var skipped: [SkippedSession] = []
        for s in sessions {
            let example: DatasetExample
            switch self.example(s) {
            case .success(let e): example = e
            case .failure(let reason):
                skipped.append(SkippedSession(sessionID: s.session.id, reason: reason.text))
                continue
            }
            let start = s.session.turns.first?.trace.startTimeUnixNano ?? 0
            if let (other, otherStart) = byID[example.id] {
                let better = (example.expected != nil) != (other.expected != nil) ? example.expected != nil : start > otherStart
                if !better { continue }
            }
            byID[example.id] = (example, start)
        }
        return (byID.values.map(\.0).sorted { $0.id < $1.id }, skipped)
    }

    /// A session's example, or why it cannot become one.
    enum SessionExample {
        /// The example.
        case success(DatasetExample)
        /// Why not.
        case failure(SessionProblem)
    }

    /// Why a session cannot become an example.
    struct SessionProblem {
        var text: String
    }

    /// One turn being built: the trace with the user's message, then one trace per decision.
    private struct Block {
        var message: (turn: SessionTurn, trace: StoredTrace)
        var resumes: [(turn: SessionTurn, trace: StoredTrace)] = []
        var decisions: [HumanDecision] = []
        var exchanges: [(turn: SessionTurn, trace: StoredTrace)] { [message] + resumes }
    }

    /// The example for one session.
    func example(_ s: SessionTraces) -> SessionExample {
        let stored = Dictionary(s.traces.map { ($0.summary.traceID, $0) }, uniquingKeysWith: { a, _ in a })
        var blocks: [Block] = []
        for turn in s.session.turns {
            guard let trace = stored[turn.trace.traceID] else {
                return .failure(SessionProblem(text: "turn \(turn.index): trace \(turn.trace.traceID) is not stored"))
            }
            guard turn.exchange == .resume else {
                blocks.append(Block(message: (turn, trace)))
                continue
            }
            guard !blocks.isEmpty else {
                return .failure(SessionProblem(text: "turn \(turn.index) answers an interrupt, but no turn comes before it"))
            }
            guard let decision = Self.decision(turn) else {
                return .failure(SessionProblem(text: "turn \(turn.index) answers an interrupt, but its decision cannot be read "
                    + "(expected assay.decision, or a resume with decision approve, reject or edit, and text for an edit)"))
            }
            blocks[blocks.count - 1].resumes.append((turn, trace))
            blocks[blocks.count - 1].decisions.append(decision)
        }
        guard !blocks.isEmpty else { return .failure(SessionProblem(text: "it has no turns")) }
        var turns: [ExampleTurn] = []
        var used: [Feedback] = []
        var spanIDs: [String] = []
        var feedbackMetadata: [(Feedback, Int?)] = []
        for (n, block) in blocks.enumerated() {
            guard let text = block.message.turn.input else {
                return .failure(SessionProblem(text: "turn \(block.message.turn.index) has no input recorded "
                    + "(neither on the root span nor a user message of an LLM call)"))
            }
            let current = block.exchanges.flatMap { $0.turn.feedback.filter(\.isCurrent).map(\.feedback) }.sorted(by: Self.older)
            feedbackMetadata += current.map { ($0, n + 1) }
            // Reviews of a whole exchange: on its trace or its root span.
            let onTraces = current.filter { f in
                block.exchanges.contains { $0.turn.trace.traceID == f.traceID && (f.spanID == nil || f.spanID == $0.turn.trace.rootSpanID) }
            }
            let last = block.exchanges[block.exchanges.count - 1]
            let expected = Self.turnExpected(onTraces, lastTrace: last.turn.trace.traceID, observed: Self.finalAnswer(last.turn), used: &used)
            let found = cases(in: block.exchanges.map(\.trace), current: current, onTrace: onTraces)
            used += found.used
            for id in block.exchanges.compactMap({ $0.turn.trace.rootSpanID?.description }) + found.spanIDs where !spanIDs.contains(id) {
                spanIDs.append(id)
            }
            turns.append(ExampleTurn(user: JSONValue.fromText(text), decisions: block.decisions, expected: expected, components: found.cases))
        }
        let onSession = s.session.feedback.filter(\.isCurrent).map(\.feedback).sorted(by: Self.older)
        feedbackMetadata += onSession.map { ($0, nil) }
        let lastTurn = blocks[blocks.count - 1].exchanges.last!.turn
        let expected = Self.expected(onSession, observed: Self.finalAnswer(lastTurn), used: &used)
        let first = blocks[0].message.turn.trace
        var models: [String] = []
        for t in s.session.turns { for m in t.trace.models where !models.contains(m) { models.append(m) } }
        let metadata: JSONValue = .object([
            ("tags", .array(tags.map(JSONValue.string))),
            ("models", .array(models.sorted().map(JSONValue.string))),
            ("session", .string(s.session.id)),
            ("feedback", .array(feedbackMetadata.sorted { Self.older($0.0, $1.0) }.map { f, turn in
                var item = Self.compact(f)
                if let turn, case .object(var members, _) = item {
                    members.append(JSONMember(key: "turn", value: .number(String(turn)), line: 0))
                    item = .object(members, line: 0)
                }
                return item
            })),
        ])
        var provenance = Provenance(traceID: first.traceID.description, spanIDs: spanIDs,
                                    feedbackIDs: Array(Set(used.map(\.id.rawValue))).sorted(), promotedAt: time, updatedAt: nil)
        provenance.sessionID = s.session.id
        provenance.turnTraceIDs = blocks.map(\.message.turn.trace.traceID.description)
        return .success(DatasetExample(id: DatasetExample.id(forTurns: turns.map(\.user)), input: turns[0].user, expected: expected,
                                       components: [:], metadata: metadata, provenance: provenance, turns: turns))
    }

    /// Oldest first, then by id, so that the order never depends on how a store returned the items.
    private static func older(_ a: Feedback, _ b: Feedback) -> Bool {
        (a.timeUnixNano, a.id.rawValue) < (b.timeUnixNano, b.id.rawValue)
    }

    /// A turn's answer as an expected value: nil while it still asks for a decision (nobody answered).
    static func finalAnswer(_ turn: SessionTurn) -> JSONValue? {
        guard turn.interrupt == nil else { return nil }
        return turn.answer.map(JSONValue.fromText)
    }

    /// A turn's expected answer: the newest correction on any of its exchanges; else its final answer
    /// when the exchange that gave it has a thumbs-up and none of the turn's reviews objects.
    static func turnExpected(_ items: [Feedback], lastTrace: TraceID, observed: JSONValue?, used: inout [Feedback]) -> JSONValue? {
        if items.contains(where: { $0.correction != nil }) { return expected(items, observed: nil, used: &used) }
        let negative = items.contains { $0.rating == .down || $0.needsReview }
        guard !negative, let observed, let up = items.last(where: { $0.rating == .up && $0.traceID == lastTrace }) else { return nil }
        used.append(up)
        return observed
    }

    /// The decision a resuming trace carried; nil when there is none, or an edit without its text.
    static func decision(_ turn: SessionTurn) -> HumanDecision? {
        guard let kind = turn.decision.flatMap(HumanDecision.Kind.init(rawValue:)), kind != .edit || turn.decisionText != nil else { return nil }
        return HumanDecision(kind: kind, text: turn.decisionText)
    }
}
