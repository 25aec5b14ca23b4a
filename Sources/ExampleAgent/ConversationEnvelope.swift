import AssayCore

/// One exchange of a multi-turn conversation, as the runner sends it (docs/conversations.md, "The
/// turn protocol"): the user's message of a turn, or a person's decision on the agent's interrupt.
///
/// Process mode reads `{"conversation_id","turn","input"}` or `{"conversation_id","turn","resume":{…}}`
/// on standard input (and `ASSAY_CONVERSATION_ID`, `ASSAY_TURN`, `ASSAY_EXCHANGE`); persistent mode
/// reads the same keys in the request line, with `input` null for a resume.
struct ConversationEnvelope: Sendable {
    /// What the runner sends.
    enum Exchange: Sendable {
        /// The turn's user message.
        case message(JSONValue)
        /// The decision on the interrupt `interruptID`.
        case resume(interruptID: String, decision: HumanDecision)
    }

    /// The conversation id: the same for every exchange of one attempt.
    var conversationID: String
    /// The turn, from 1.
    var turn: Int
    var exchange: Exchange

    /// The request's input: the message, or null for a decision.
    var input: JSONValue {
        if case .message(let value) = exchange { return value }
        return .null
    }

    /// The envelope in a request object (a process's standard input or a persistent request line), with
    /// the environment's `ASSAY_CONVERSATION_ID`, `ASSAY_TURN` and `ASSAY_EXCHANGE` filling what the
    /// object leaves out; nil when neither names a conversation (a single-turn cell).
    static func read(_ value: JSONValue, environment env: [String: String] = [:]) throws(AgentError) -> ConversationEnvelope? {
        let envID = env["ASSAY_CONVERSATION_ID"].flatMap { $0.isEmpty ? nil : $0 }
        let isEnvelope = value.members != nil && value["conversation_id"]?.string != nil
        guard isEnvelope || envID != nil else { return nil }
        guard let id = (isEnvelope ? value["conversation_id"]?.string : nil) ?? envID, !id.isEmpty else {
            throw AgentError(description: "conversation_id: expected a non-empty string")
        }
        let turnValue = isEnvelope ? value["turn"]?.double : nil
        guard let turn = turnValue.flatMap({ Int(exactly: $0) }) ?? env["ASSAY_TURN"].flatMap({ Int($0) }), turn >= 1 else {
            throw AgentError(description: "turn: expected a whole number from 1")
        }
        if let resume = isEnvelope ? value["resume"].flatMap({ $0.isNull ? nil : $0 }) : nil {
            return ConversationEnvelope(conversationID: id, turn: turn, exchange: try decision(resume))
        }
        if !isEnvelope, env["ASSAY_EXCHANGE"] == "resume" {
            return ConversationEnvelope(conversationID: id, turn: turn, exchange: try decision(value["resume"] ?? value))
        }
        let input = isEnvelope ? value["input"] : value
        guard let input, !input.isNull else { throw AgentError(description: "request: expected input or resume") }
        return ConversationEnvelope(conversationID: id, turn: turn, exchange: .message(input))
    }

    /// `{"interrupt_id", "decision", "text"}`.
    static func decision(_ value: JSONValue) throws(AgentError) -> Exchange {
        guard let kindText = value["decision"]?.string, let kind = HumanDecision.Kind(rawValue: kindText) else {
            throw AgentError(description: "resume.decision: expected approve, reject or edit")
        }
        let text = value["text"]?.string
        if kind == .edit, text == nil { throw AgentError(description: "resume.text: required for an edit") }
        return .resume(interruptID: value["interrupt_id"]?.string ?? "", decision: HumanDecision(kind: kind, text: text))
    }
}
