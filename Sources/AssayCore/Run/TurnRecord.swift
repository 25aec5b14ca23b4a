/// One turn of a conversation cell (docs/conversations.md): its exchanges with the agent (the user's
/// message, then one resume per decision the agent asked for) and its components scored on them.
public struct TurnRecord: Sendable, Hashable, Codable {
    /// The turn, from 1.
    public var index: Int
    /// The exchanges, in order.
    public var exchanges: [ExchangeRecord]
    /// The suite's components scored on this turn's spans, against the turn's expected values.
    public var components: [ComponentResult]

    /// Creates a turn.
    public init(index: Int, exchanges: [ExchangeRecord], components: [ComponentResult] = []) {
        self.index = index
        self.exchanges = exchanges
        self.components = components
    }

    /// The turn's last answer (compact JSON), when its last exchange answered.
    public var answer: String? { exchanges.last?.answer }
}

/// One request to the agent within a conversation and what came back: an answer, an interrupt, or a
/// failure. Each exchange has its own trace under the cell's conversation id.
public struct ExchangeRecord: Sendable, Hashable, Codable {
    /// What the runner sent.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// The turn's user message.
        case message
        /// A human decision answering the agent's interrupt.
        case resume
    }

    /// How the exchange ended.
    public enum Outcome: String, Sendable, Hashable, Codable {
        /// The agent answered.
        case answered
        /// The agent asked for a human decision.
        case interrupted
        /// The agent failed (an error, a crash, an answer that is not JSON).
        case failed
        /// The agent did not answer in time.
        case timeout
    }

    /// What was sent.
    public var kind: Kind
    /// How it ended.
    public var outcome: Outcome
    /// The exchange's trace.
    public var traceID: TraceID
    /// The answer (compact JSON) when answered.
    public var answer: String?
    /// The interrupt (compact JSON) when interrupted.
    public var interrupt: String?
    /// The decision sent (`approve`, `reject`, `edit`) for a resume.
    public var decision: String?
    /// Whether a new agent process took this exchange after the runner killed the one that asked
    /// (a restart between turns).
    public var afterRestart: Bool
    /// The failure, when it failed.
    public var error: String?
    /// Input tokens over the exchange's model calls.
    public var inputTokens: Int64
    /// Output tokens.
    public var outputTokens: Int64
    /// The input tokens of each model call, in start order (what the context-growth scorer reads).
    public var callInputTokens: [Int64]
    /// The agent's time, nanoseconds.
    public var latencyNanos: UInt64

    /// Creates an exchange.
    public init(kind: Kind, outcome: Outcome, traceID: TraceID, answer: String? = nil, interrupt: String? = nil, decision: String? = nil,
                afterRestart: Bool = false, error: String? = nil, inputTokens: Int64 = 0, outputTokens: Int64 = 0,
                callInputTokens: [Int64] = [], latencyNanos: UInt64 = 0) {
        self.kind = kind
        self.outcome = outcome
        self.traceID = traceID
        self.answer = answer
        self.interrupt = interrupt
        self.decision = decision
        self.afterRestart = afterRestart
        self.error = error
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.callInputTokens = callInputTokens
        self.latencyNanos = latencyNanos
    }
}
