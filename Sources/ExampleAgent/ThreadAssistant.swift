import AssayCore
import Foundation

/// The email assistant in a multi-turn conversation about one email thread (docs/conversations.md):
/// each turn it reads the thread, checks the calendar and drafts a reply or an invite, then asks Sam
/// for approval with an interrupt; on his decision it sends, sends his edit, or drops the proposal.
///
/// Between exchanges it keeps the conversation in a checkpoint file keyed by the conversation id
/// (`ConversationStore`), so that every exchange may be a new process: process mode, or a restart of
/// a persistent agent between turns.
///
/// Its harness has a weakness no model fixes: every model call gets the whole conversation so far,
/// every earlier user message, draft and decision and every earlier tool result, including each turn's
/// full copy of the thread (whose emails quote each other) and of the calendar. The context of each turn
/// is larger than the last; the `context_per_turn` scorer fails the conversations on every tier.
/// `--compact-context` is the fix: earlier turns are reduced to what was sent, and the thread to its
/// newest email.
struct ThreadAssistant {
    static let instructions =
        "You are the email assistant of Sam Keller, account manager at Northwind Analytics. You work on one email thread at a time, "
        + "with the conversation so far. Draft replies and calendar invites for Sam's approval and never send anything he has not "
        + "approved. Use the times and people from the thread, keep replies short and sign as Sam."

    let request: CellRequest
    let envelope: ConversationEnvelope
    let store: ConversationStore
    let route: ModelRoute
    /// `--compact-context`: the fix of the harness weakness.
    var compactContext = false

    /// Runs one exchange under the agent's span; answers the interrupt object or the final answer.
    func run(tracer: inout Tracer) throws(AgentError) -> JSONValue {
        var failure: AgentError?
        let output = tracer.span("invoke_agent \(EmailAssistant.agentName)", kind: .internal, parent: request.parent?.spanID) {
            (tracer: inout Tracer, id: SpanID) -> (JSONValue, [Attribute]) in
            let output: JSONValue
            var thread = ""
            do throws(AgentError) {
                (output, thread) = try exchange(parent: id, tracer: &tracer)
            } catch {
                failure = error
                return (.null, [])
            }
            let input: String
            switch envelope.exchange {
            case .message(let value): input = value.string ?? value.compactJSON
            case .resume(let interruptID, let decision):
                var pairs: [(String, JSONValue)] = [("interrupt_id", .string(interruptID)), ("decision", .string(decision.kind.rawValue))]
                if let text = decision.text { pairs.append(("text", .string(text))) }
                input = JSONValue.object(pairs).compactJSON
            }
            return (output, [
                Attribute("gen_ai.operation.name", .string("invoke_agent")),
                Attribute("gen_ai.agent.name", .string(EmailAssistant.agentName)),
                Attribute("gen_ai.conversation.id", .string(envelope.conversationID)),
                Attribute("gen_ai.request.model", .string(request.model)),
                Attribute("input.value", .string(input)),
                Attribute("output.value", .string(output.string ?? output.compactJSON)),
                Attribute("app.thread", .string(thread)),
                Attribute("app.turn", .int(Int64(envelope.turn))),
                Attribute("assay.example.id", .string(request.exampleID)),
            ])
        }
        if let failure { throw failure }
        return output
    }

    /// The exchange: the answer and the thread's key (empty when unknown).
    func exchange(parent: SpanID, tracer: inout Tracer) throws(AgentError) -> (JSONValue, String) {
        switch envelope.exchange {
        case .message(let input):
            let message = try EmailAssistant.email(in: input)
            return try onMessage(message, parent: parent, tracer: &tracer)
        case .resume(let interruptID, let decision):
            return try onDecision(decision, interruptID: interruptID, parent: parent, tracer: &tracer)
        }
    }

    // MARK: - The user's message

    func onMessage(_ message: String, parent: SpanID, tracer: inout Tracer) throws(AgentError) -> (JSONValue, String) {
        let pasted = Self.pastedEmail(in: message)
        var state = envelope.turn == 1 ? nil : try store.load(envelope.conversationID)
        if state == nil {
            // A new conversation (or a lost checkpoint): only the pasted email tells which thread it is.
            guard let pasted, let thread = ThreadScenario.matching(message: message) else {
                return (.string("I cannot tell which email thread this is about. Please paste the email."), "")
            }
            state = ConversationState(conversationID: envelope.conversationID, thread: thread.key, contact: pasted.from, emails: [],
                                      transcript: [], pending: nil, turn: envelope.turn, calls: 0)
        }
        guard var state, let thread = ThreadScenario.all.first(where: { $0.key == state.thread }) else {
            return (.string("I cannot tell which email thread this is about. Please paste the email."), "")
        }
        let turn = envelope.turn
        state.turn = turn
        state.pending = nil
        state.transcript.append(TranscriptEntry(turn: turn, role: .user, text: message))
        if let pasted { state.emails.append(pasted) }
        guard let task = thread.turnIndex(message: message).map({ thread.turns[$0].task }) else {
            return try finish(&state, answer: "I am not sure what to do with this message.", thread: thread.key)
        }
        // Read the thread and the calendar; both results stay in the conversation.
        let fetch = JSONValue.object(compactContext ? [("latest", .number("1")), ("thread", .string(thread.subject))] : [("thread", .string(thread.subject))])
        let threadText = compactContext ? state.emails.last.map(Self.render) ?? "" : Self.renderThread(state.emails)
        tool("fetch_thread", arguments: fetch.compactJSON, result: threadText, state: &state, parent: parent, tracer: &tracer)
        tool("search_calendar", arguments: #"{"week":"current"}"#, result: Self.calendar, state: &state, parent: parent, tracer: &tracer)

        let instruction = message.components(separatedBy: "\n\n").first ?? message
        let context = context(of: state)
        let recipient = pasted?.from ?? state.contact
        var answers: [Tier: String] = [:]
        for tier in Tier.allCases {
            let dice = Dice(exampleID: request.exampleID, tier: tier, seed: request.seed)
            switch task {
            case .reply(let template):
                answers[tier] = ThreadModel.reply(template: template, recipient: recipient, instruction: instruction, context: context, dice: dice, turn: turn)
            case .invite(let title):
                answers[tier] = ThreadModel.invite(title: title, instruction: instruction, context: context, dice: dice, turn: turn)
                    ?? "Which time should the invite have? I cannot find one in this conversation."
            }
        }
        let (text, _) = try route.complete(ModelCall(instructions: Self.instructions, messages: Self.messages(context), answers: answers,
                                                     temperature: 0.4),
                                           parent: parent, tracer: &tracer)
        let proposal: Proposal
        switch task {
        case .reply:
            proposal = .email(ThreadEmail(from: .sam, to: [recipient], subject: "Re: " + thread.subject, body: text))
        case .invite:
            guard let invite = (try? JSONValue.parse(text)).flatMap(Invite.init(json:)) else {
                return try finish(&state, answer: text, thread: thread.key)
            }
            proposal = .invite(invite)
        }
        return try ask(proposal, asks: 1, state: &state, thread: thread.key)
    }

    /// Asks for approval of a proposal: the interrupt, kept as pending in the checkpoint.
    func ask(_ proposal: Proposal, asks: Int, state: inout ConversationState, thread: String) throws(AgentError) -> (JSONValue, String) {
        let turn = envelope.turn
        let suffix = asks > 1 ? "-\(asks)" : ""
        let id: String, draft: String, members: [(String, JSONValue)]
        switch proposal {
        case .email(let email):
            id = "draft-\(turn)" + suffix
            draft = email.body
            members = [("id", .string(id)), ("kind", .string("approval")),
                       ("message", .string("Send this \(asks > 1 ? "edited " : "")reply to \(email.to.map(\.header).joined(separator: ", "))?")),
                       ("draft", .string(email.body)), ("to", .array(email.to.map { .string($0.address) })), ("subject", .string(email.subject))]
        case .invite(let invite):
            id = "invite-\(turn)" + suffix
            draft = "\(invite.title), \(invite.slot.text), to \(invite.attendees.joined(separator: ", "))"
            members = [("id", .string(id)), ("kind", .string("approval")), ("message", .string("Send this calendar invite?")),
                       ("draft", .string(draft)), ("invite", invite.json)]
        }
        state.pending = PendingAction(interruptID: id, turn: turn, proposal: proposal, asks: asks)
        state.transcript.append(TranscriptEntry(turn: turn, role: .assistant, text: "Waiting for Sam's approval (\(id)):\n\n\(draft)"))
        try store.save(state)
        return (.object([("interrupt", .object(members))]), thread)
    }

    // MARK: - The decision

    func onDecision(_ decision: HumanDecision, interruptID: String, parent: SpanID, tracer: inout Tracer) throws(AgentError) -> (JSONValue, String) {
        guard var state = try store.load(envelope.conversationID) else {
            return (.string("There is nothing waiting for a decision in this conversation."), "")
        }
        guard let pending = state.pending, pending.interruptID == interruptID else {
            return (.string("There is nothing waiting for a decision with the id \(DisplayFormat.safe(interruptID, limit: 40))."), state.thread)
        }
        let turn = envelope.turn
        var note = "Sam's decision on \(interruptID): \(decision.kind.rawValue)"
        if let text = decision.text { note += decision.kind == .edit ? ". Send this text instead:\n\n\(text)" : ". \(text)" }
        state.transcript.append(TranscriptEntry(turn: turn, role: .user, text: note))
        var answers: [Tier: String] = [:]
        for tier in Tier.allCases {
            answers[tier] = ThreadModel.act(decision, asks: pending.asks, dice: Dice(exampleID: request.exampleID, tier: tier, seed: request.seed),
                                            turn: turn)
        }
        let (text, _) = try route.complete(ModelCall(instructions: Self.instructions, messages: Self.messages(context(of: state)),
                                                     answers: answers, temperature: 0),
                                           parent: parent, tracer: &tracer)
        var proposal = pending.proposal
        if decision.kind == .edit, let edited = decision.text, case .email(var email) = proposal {
            email.body = edited
            proposal = .email(email)
        }
        switch (try? JSONValue.parse(text))?["action"]?.string {
        case "confirm"?:
            return try ask(proposal, asks: pending.asks + 1, state: &state, thread: state.thread)
        case "send"?:
            state.pending = nil
            switch proposal {
            case .email(let email):
                let arguments = JSONValue.object([("body", .string(email.body)), ("subject", .string(email.subject)),
                                                  ("to", .array(email.to.map { .string($0.address) }))])
                let messageID = "msg_" + SHA256.hex(envelope.conversationID + "|\(turn)").prefix(16)
                tool("send_email", arguments: arguments.compactJSON, result: JSONValue.object([("message_id", .string(String(messageID))), ("sent", .bool(true))]).compactJSON,
                     state: &state, parent: parent, tracer: &tracer)
                state.emails.append(email)
                return try finish(&state, answer: ThreadAnswer.sent(email), thread: state.thread)
            case .invite(let invite):
                let eventID = "evt_" + SHA256.hex(envelope.conversationID + "|\(turn)").prefix(12)
                tool("create_event", arguments: invite.json.compactJSON,
                     result: JSONValue.object([("event_id", .string(String(eventID))), ("invited", .number(String(invite.attendees.count)))]).compactJSON,
                     state: &state, parent: parent, tracer: &tracer)
                return try finish(&state, answer: ThreadAnswer.inviteSent(invite), thread: state.thread)
            }
        default:
            state.pending = nil
            switch proposal {
            case .email(let email): return try finish(&state, answer: ThreadAnswer.notSent(email), thread: state.thread)
            case .invite(let invite): return try finish(&state, answer: ThreadAnswer.inviteNotSent(invite), thread: state.thread)
            }
        }
    }

    /// Records the final answer of the turn, saves the checkpoint, and answers.
    func finish(_ state: inout ConversationState, answer: String, thread: String) throws(AgentError) -> (JSONValue, String) {
        state.transcript.append(TranscriptEntry(turn: envelope.turn, role: .assistant, text: answer))
        try store.save(state)
        return (.string(answer), thread)
    }

    // MARK: - Context and tools

    /// What a model call gets: the whole conversation (the weakness), or with `--compact-context` what
    /// earlier turns sent and the current turn.
    func context(of state: ConversationState) -> [TranscriptEntry] {
        guard compactContext else { return state.transcript }
        return state.transcript.filter { $0.turn == envelope.turn || ($0.tool == "send_email" || $0.tool == "create_event") }
    }

    /// The transcript as Chat Completions messages.
    static func messages(_ entries: [TranscriptEntry]) -> [JSONValue] {
        entries.map { e in
            switch e.role {
            case .user: .object([("role", .string("user")), ("content", .string(e.text))])
            case .assistant: .object([("role", .string("assistant")), ("content", .string(e.text))])
            case .toolCall:
                .object([("role", .string("assistant")), ("content", .null), ("tool_calls", .array([.object([
                    ("id", .string(e.callID ?? "")), ("type", .string("function")),
                    ("function", .object([("name", .string(e.tool ?? "")), ("arguments", .string(e.text))])),
                ])]))])
            case .toolResult: .object([("role", .string("tool")), ("tool_call_id", .string(e.callID ?? "")), ("content", .string(e.text))])
            }
        }
    }

    /// Calls a (simulated) tool: an `execute_tool` span, and the call and its result in the transcript.
    func tool(_ name: String, arguments: String, result: String, state: inout ConversationState, parent: SpanID, tracer: inout Tracer) {
        let callID = state.nextCallID()
        tracer.span("execute_tool \(name)", kind: .internal, parent: parent) { _, _ in
            sleepMillis(1)
            return ((), [
                Attribute("gen_ai.operation.name", .string("execute_tool")),
                Attribute("gen_ai.tool.name", .string(name)),
                Attribute("gen_ai.tool.call.id", .string(callID)),
                Attribute("gen_ai.tool.type", .string("function")),
                Attribute("gen_ai.tool.call.arguments", .string(arguments)),
                Attribute("gen_ai.tool.call.result", .string(result)),
            ])
        }
        state.transcript.append(TranscriptEntry(turn: envelope.turn, role: .toolCall, text: arguments, tool: name, callID: callID))
        state.transcript.append(TranscriptEntry(turn: envelope.turn, role: .toolResult, text: result, tool: name, callID: callID))
    }

    /// The email pasted in a message: from its `From:` line on.
    static func pastedEmail(in message: String) -> ThreadEmail? {
        guard let range = message.range(of: "From: ") ,
              range.lowerBound == message.startIndex || message[message.index(before: range.lowerBound)] == "\n" else { return nil }
        let email = message[range.lowerBound...]
        let parts = email.components(separatedBy: "\n\n")
        let headers = parts.first?.split(separator: "\n") ?? []
        guard let fromLine = headers.first(where: { $0.hasPrefix("From: ") }), let from = Contact(header: String(fromLine.dropFirst(6))) else { return nil }
        let subject = headers.first(where: { $0.hasPrefix("Subject: ") }).map { String($0.dropFirst(9)) } ?? ""
        return ThreadEmail(from: from, to: [.sam], subject: subject, body: parts.dropFirst().joined(separator: "\n\n"))
    }

    /// One email as `fetch_thread` shows it.
    static func render(_ email: ThreadEmail) -> String {
        "From: \(email.from.header)\nTo: \(email.to.map(\.header).joined(separator: ", "))\nSubject: \(email.subject)\n\n\(email.body)"
    }

    /// The whole thread as `fetch_thread` answers it: every email, each quoting the one before it
    /// with its own quotes, as mail clients do.
    static func renderThread(_ emails: [ThreadEmail]) -> String {
        var out: [String] = []
        var quoted = ""
        for (i, email) in emails.enumerated() {
            var text = render(email)
            if i > 0 {
                text += "\n\nOn an earlier date, \(emails[i - 1].from.name) wrote:\n" + quoted.split(separator: "\n", omittingEmptySubsequences: false).map { "> " + $0 }.joined(separator: "\n")
            }
            out.append(text)
            quoted = text.components(separatedBy: "\n\n").dropFirst().joined(separator: "\n\n")
        }
        return out.joined(separator: "\n\n----------\n\n")
    }

    /// What `search_calendar` answers: Sam's week.
    static let calendar = """
        Sam Keller, this week (Europe/Berlin):
        Monday 09:00-10:00 Team stand-up; 14:00-15:00 Pipeline review with sales; 16:00-16:30 Call with finance
        Tuesday 09:00-10:00 Team stand-up; 11:00-12:00 Customer call (Veloce Retail); 13:00-14:00 Lunch with product
        Wednesday 09:00-10:00 Team stand-up; 15:00-16:00 Dashboard design review; 17:00-17:30 One-to-one with manager
        Thursday 09:00-10:00 Team stand-up; 12:00-13:00 Partner webinar; 15:30-16:30 Quarterly planning
        Friday 09:00-10:00 Team stand-up; 11:30-12:30 Renewals forecast; 14:00-15:00 Support escalations
        Free otherwise between 09:00 and 17:30. External meetings end by 17:30 local time.
        """
}
