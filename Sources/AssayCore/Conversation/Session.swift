/// A conversation as the store holds it: the traces that share a session id (`gen_ai.conversation.id`,
/// `session.id`, or OpenLLMetry's `traceloop.association.properties.session_id`), one turn per trace in
/// start order, with the feedback on each turn and on the whole session (docs/conversations.md).
public struct Session: Sendable {
    /// The session id.
    public var id: String
    /// The turns, by their traces' start.
    public var turns: [SessionTurn]
    /// Feedback on the whole session (items with this `sessionID`), oldest first.
    public var feedback: [StoredFeedback]

    /// Assembles a session from its traces and their feedback; `prices` prices each turn's tokens.
    public init(id: String, traces: [StoredTrace], feedback: [TraceID: [StoredFeedback]], prices: PriceTable = .pinned) {
        self.id = id
        let ordered = traces.sorted {
            ($0.summary.startTimeUnixNano, $0.summary.traceID.description) < ($1.summary.startTimeUnixNano, $1.summary.traceID.description)
        }
        var sessionFeedback: [StoredFeedback] = []
        turns = ordered.enumerated().map { index, trace in
            let items = feedback[trace.summary.traceID] ?? []
            sessionFeedback += items.filter { $0.feedback.sessionID == id }
            return SessionTurn(index: index + 1, trace: trace, feedback: items.filter { $0.feedback.sessionID == nil }, prices: prices)
        }
        // The newest item per author is current across the whole session, whichever trace it was stored on
        // (a turn that arrived late can make an earlier trace the session's first).
        var items = sessionFeedback.sorted { $0.feedback.timeUnixNano < $1.feedback.timeUnixNano }
        var newest: [String: Int] = [:]
        for (i, item) in items.enumerated() { newest[item.feedback.author + "\u{0}" + item.feedback.source.rawValue] = i }
        for i in items.indices { items[i].isCurrent = newest[items[i].feedback.author + "\u{0}" + items[i].feedback.source.rawValue] == i }
        self.feedback = items
    }

    /// The session's first trace: where feedback on the whole session is anchored.
    public var anchorTraceID: TraceID? { turns.first?.trace.traceID }

    /// Whether someone flagged the session or one of its turns (current feedback only).
    public var isFlagged: Bool {
        feedback.contains { $0.isCurrent && $0.feedback.needsReview } || turns.contains { $0.feedback.contains { $0.isCurrent && $0.feedback.needsReview } }
    }

    /// Input tokens sent per turn: each turn's largest model-call input, in turn order (0 for a turn
    /// without token counts). What the context-growth chart draws.
    public var contextPerTurn: [Int64] { turns.map { $0.callInputTokens.max() ?? 0 } }
}

/// One turn of a session: one trace, read as a step of the conversation.
public struct SessionTurn: Sendable {
    /// The turn, from 1.
    public var index: Int
    /// The trace's summary.
    public var trace: TraceSummary
    /// What the user said (the root's input, else the first user message of the first model call).
    public var input: String?
    /// What the agent answered (the root's output, else the last model call's).
    public var answer: String?
    /// The agent's interrupt, when the answer asked for a human decision.
    public var interrupt: AgentInterrupt?
    /// The runner's turn number (`assay.turn`), from 1; nil outside runs.
    public var number: Int64?
    /// What the trace sent the agent: `assay.exchange` on a runner's turn, else `resume` when its input
    /// is a resume; nil when unknown.
    public var exchange: ExchangeRecord.Kind?
    /// The human decision this trace carried to the agent: `assay.decision` (a kind, or
    /// `{"decision", "text"}`), else the resume's `decision`.
    public var decision: String?
    /// The edited text or the reason that came with the decision.
    public var decisionText: String?
    /// The tools called, in start order.
    public var tools: [String]
    /// The failed spans: `name: message`.
    public var errors: [String]
    /// The input tokens of each model call, in start order.
    public var callInputTokens: [Int64]
    /// The cost of the turn's model calls, when every one is priced.
    public var cost: TraceCost
    /// Feedback on this turn's trace or its spans, oldest first.
    public var feedback: [StoredFeedback]

    /// Reads a turn from its trace.
    public init(index: Int, trace stored: StoredTrace, feedback: [StoredFeedback], prices: PriceTable = .pinned) {
        self.index = index
        trace = stored.summary
        input = Promotion.input(of: stored)
        answer = Promotion.output(of: stored)
        interrupt = answer.flatMap { try? JSONValue.parse($0) }.flatMap { AgentInterrupt(answer: $0) }
        let root = stored.spans.first { $0.span.spanID == stored.summary.rootSpanID }
        let attribute = { (key: String) in root?.span.attributes.first { $0.key == key }?.value }
        number = attribute("assay.turn")?.intValue
        let resume = Self.resume(in: input)
        exchange = attribute("assay.exchange")?.stringValue.flatMap(ExchangeRecord.Kind.init(rawValue:)) ?? (resume == nil ? nil : .resume)
        let said = attribute("assay.decision")?.stringValue.map { JSONValue.parseEmbedded($0) ?? .string($0) }
        decision = said?.string ?? said?["decision"]?.string ?? resume?["decision"]?.string
        decisionText = said?["text"]?.string ?? resume?["text"]?.string
        let byStart = stored.spans.sorted { $0.span.startTimeUnixNano < $1.span.startTimeUnixNano }
        tools = byStart.filter { $0.summary.operation == .tool }.map { $0.summary.toolName ?? $0.span.name }
        errors = byStart.filter { $0.span.status.code == .error }.map { s in
            s.span.name + (s.span.status.message.isEmpty ? "" : ": " + s.span.status.message)
        }
        callInputTokens = byStart.filter { $0.summary.operation == .chat }.compactMap(\.summary.inputTokens)
        cost = TraceCost(usage: stored.summary.usage, prices: prices)
        self.feedback = feedback
    }

    /// The resume an input carries: the envelope's `resume` (`{"resume": {...}}`), or the resume itself
    /// (`{"interrupt_id", "decision", "text"}`, what the runner's root span records as its input).
    package static func resume(in input: String?) -> JSONValue? {
        guard let input, let value = JSONValue.parseEmbedded(input), value.members != nil else { return nil }
        if let wrapped = value["resume"], wrapped.members != nil { return wrapped }
        return value["decision"]?.string != nil && value["interrupt_id"] != nil ? value : nil
    }
}
