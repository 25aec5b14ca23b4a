import AssayCore

/// One request to the agent within a conversation (docs/conversations.md, "The turn protocol"): the
/// turn's user message, or a human decision answering the agent's interrupt.
struct ExchangeRequest: Sendable {
    /// The conversation id every exchange of the attempt carries.
    var conversationID: String
    /// The turn, from 1.
    var turn: Int
    /// A message or a resume.
    var kind: ExchangeRecord.Kind
    /// The user's message (`message`), or the resume object (`resume`).
    var payload: JSONValue
    /// The decision, for a resume.
    var decision: HumanDecision?

    /// A turn's message.
    static func message(_ conversationID: String, turn: Int, _ input: JSONValue) -> ExchangeRequest {
        ExchangeRequest(conversationID: conversationID, turn: turn, kind: .message, payload: input, decision: nil)
    }

    /// A decision answering `interrupt`.
    static func resume(_ conversationID: String, turn: Int, _ interrupt: AgentInterrupt, _ decision: HumanDecision) -> ExchangeRequest {
        ExchangeRequest(conversationID: conversationID, turn: turn, kind: .resume, payload: interrupt.resume(decision), decision: decision)
    }

    /// The line a process-mode agent reads on standard input.
    var envelope: JSONValue {
        .object([("conversation_id", .string(conversationID)), ("turn", .number(String(turn))),
                 (kind == .message ? "input" : "resume", payload)])
    }

    /// The members a persistent agent's request line gets besides the usual ones.
    var requestMembers: [(String, JSONValue)] {
        [("conversation_id", .string(conversationID)), ("turn", .number(String(turn))), ("exchange", .string(kind.rawValue)),
         ("resume", kind == .resume ? payload : .null)]
    }

    /// The input of a persistent request: the message, or null for a resume.
    var requestInput: JSONValue { kind == .message ? payload : .null }

    /// The variables a process-mode agent gets.
    var environment: [String: String] {
        ["ASSAY_CONVERSATION_ID": conversationID, "ASSAY_TURN": String(turn), "ASSAY_EXCHANGE": kind.rawValue]
    }

    /// The attributes of the exchange's root span: the session id sessions are assembled by, and the turn.
    var rootAttributes: [Attribute] {
        var out = [Attribute("gen_ai.conversation.id", .string(conversationID)), Attribute("assay.turn", .int(Int64(turn))),
                   Attribute("assay.exchange", .string(kind.rawValue))]
        if let decision { out.append(Attribute("assay.decision", .string(decision.kind.rawValue))) }
        return out
    }
}
