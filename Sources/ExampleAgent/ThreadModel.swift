import AssayCore
import Foundation

/// What the simulated model answers in the thread assistant's two steps, at one tier's quality, from
/// the context it is given (never from the scenario's ground truth):
///
/// - **draft**: the reply (or the invite, as JSON) for the turn's task. A time the task needs is
///   recalled from the context: the one the turn's instruction names, else the last one the thread
///   sent (an email's body, an invite); with the tier's `memoryAccuracy` the model recalls it, else it
///   takes the first other time the context mentions (the time the sender offered as well, a draft that
///   was never sent). The reply is then damaged at the tier's rates, as the single-turn replies are.
/// - **act**: what to do with a decision: `send` an approved or edited proposal, `discard` a rejected
///   one; on an edit, with `1 − editFollowAccuracy`, `confirm`: ask again about the edited text.
enum ThreadModel {
    /// Appended to the name of every step's dice: chosen among 1-44 so that the six threads' realised
    /// rates come close to the tiers' (examples/agents/README.md), as `Dice.defaultSeed` is for the
    /// single emails.
    static let salt = "43"

    /// The time a task needs, as this tier's model recalls it; nil when the context mentions none.
    static func recall(instruction: String, context: [TranscriptEntry], dice: Dice, turn: Int) -> MeetingSlot? {
        if let named = MeetingSlot.all(in: instruction).last { return named }
        var sent: [MeetingSlot] = []
        for entry in context where entry.role == .toolCall {
            switch entry.tool {
            case "send_email": sent += MeetingSlot.all(in: entry.text)
            case "create_event": if let invite = (try? JSONValue.parse(entry.text)).flatMap(Invite.init(json:)) { sent.append(invite.slot) }
            default: break
            }
        }
        let mentioned = context.flatMap { MeetingSlot.all(in: $0.text) }
        guard let right = sent.last ?? mentioned.last else { return nil }
        var d = dice.difficulty("thread-memory-\(turn)" + salt)
        if d.unit() < dice.tier.memoryAccuracy { return right }
        return mentioned.first { $0 != right } ?? right
    }

    /// The reply this tier drafts from a template: the recipient's first name, the recalled time
    /// (`the agreed time` when none can be recalled), then the tier's damage, which spares the
    /// sentence that gives the time.
    static func reply(template: String, recipient: Contact, instruction: String, context: [TranscriptEntry], dice: Dice, turn: Int) -> String {
        var text = template
        if text.contains("{day}") || text.contains("{time}") {
            let slot = recall(instruction: instruction, context: context, dice: dice, turn: turn)
            if slot == nil { text = text.replacingOccurrences(of: "{day} at {time}", with: "the agreed time") }
            text = text.filled(first: recipient.firstName, slot: slot)
        } else {
            text = text.filled(first: recipient.firstName, slot: nil)
        }
        // The sentence with the time answers the instruction: the model keeps it, right or wrong.
        return Quality.reply(ideal: text, dice: dice, step: "thread-draft-\(turn)" + salt) { !MeetingSlot.all(in: $0).isEmpty }
    }

    /// The invite this tier proposes, as compact JSON; nil when no time can be recalled.
    static func invite(title: String, instruction: String, context: [TranscriptEntry], dice: Dice, turn: Int) -> String? {
        guard let slot = recall(instruction: instruction, context: context, dice: dice, turn: turn) else { return nil }
        return Invite(title: title, slot: slot, attendees: addresses(in: context.map(\.text))).json.compactJSON
    }

    /// What this tier does with a decision on the proposal it made (`asks`: how often it asked already).
    static func act(_ decision: HumanDecision, asks: Int, dice: Dice, turn: Int) -> String {
        let action: String
        switch decision.kind {
        case .approve: action = "send"
        case .reject: action = "discard"
        case .edit:
            var d = dice.difficulty("thread-edit-\(turn)" + salt)
            action = asks >= 2 || d.unit() < dice.tier.editFollowAccuracy ? "send" : "confirm"
        }
        return JSONValue.object([("action", .string(action))]).compactJSON
    }

    /// The email addresses in the texts, in order of first appearance, Sam's left out: the people an
    /// invite goes to.
    static func addresses(in texts: [String]) -> [String] {
        var out: [String] = []
        for text in texts {
            for match in text.matches(of: /[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)+/) {
                let address = String(match.output.0).lowercased()
                if address != Contact.sam.address, !out.contains(address) { out.append(address) }
            }
        }
        return out
    }
}

/// The thread assistant's final answers, the same words in the agent and in the dataset's expected values.
enum ThreadAnswer {
    /// After sending an email.
    static func sent(_ email: ThreadEmail) -> String { "Sent to \(email.to.map(\.header).joined(separator: ", ")):\n\n\(email.body)" }
    /// After a rejected reply.
    static func notSent(_ email: ThreadEmail) -> String { "I did not send the reply to \(email.to.map(\.header).joined(separator: ", "))." }
    /// After sending an invite.
    static func inviteSent(_ invite: Invite) -> String {
        "Invite sent to \(invite.attendees.joined(separator: ", ")): \(invite.title), \(invite.slot.text)."
    }
    /// After a rejected invite.
    static func inviteNotSent(_ invite: Invite) -> String { "I did not send the invite \"\(invite.title)\"." }
}
