import AssayCore
import Foundation

/// One entry of the conversation as the thread assistant keeps it: what the user said, what the
/// assistant answered, and each tool call with its result. It is the context of every model call,
/// whole (the default) or compacted (`--compact-context`).
struct TranscriptEntry: Sendable, Hashable, Codable {
    /// Who or what produced the entry.
    enum Role: String, Sendable, Codable {
        case user, assistant
        case toolCall = "tool_call"
        case toolResult = "tool_result"
    }

    /// The turn it belongs to, from 1.
    var turn: Int
    var role: Role
    /// The text; for a tool call its arguments (compact JSON), for a result the tool's answer.
    var text: String
    /// The tool, for calls and results.
    var tool: String?
    /// The call id that pairs a call with its result.
    var callID: String?
}

/// A side effect that waits for a person's decision: the draft (or invite) in the interrupt.
struct PendingAction: Sendable, Hashable, Codable {
    /// The interrupt's id, echoed back in the resume.
    var interruptID: String
    /// The turn that asked.
    var turn: Int
    /// The reply or invite proposed.
    var proposal: Proposal
    /// How many times this turn already asked (a second ask is for an edited draft).
    var asks: Int
}

/// What the assistant proposes to do once approved.
enum Proposal: Sendable, Hashable, Codable {
    /// An email to send.
    case email(ThreadEmail)
    /// A calendar invite to send.
    case invite(Invite)
}

/// A calendar invite.
struct Invite: Sendable, Hashable, Codable {
    var title: String
    var slot: MeetingSlot
    /// The attendees' addresses.
    var attendees: [String]

    /// The arguments of `create_event` (and the model's answer), as compact JSON with sorted keys.
    var json: JSONValue {
        .object([("attendees", .array(attendees.map(JSONValue.string))), ("day", .string(slot.day)), ("time", .string(slot.time)),
                 ("title", .string(title))])
    }

    /// Reads the model's answer; nil when it is not an invite.
    init?(json: JSONValue) {
        guard let title = json["title"]?.string, let day = json["day"]?.string, let time = json["time"]?.string else { return nil }
        self.title = title
        slot = MeetingSlot(day: day, time: time)
        attendees = json["attendees"]?.elements?.compactMap(\.string) ?? []
    }

    init(title: String, slot: MeetingSlot, attendees: [String]) {
        self.title = title
        self.slot = slot
        self.attendees = attendees
    }
}

/// Everything the thread assistant knows about one conversation, kept between exchanges in a
/// checkpoint file, so that a new process (process mode, or a restart in persistent mode) carries on.
struct ConversationState: Sendable, Codable {
    /// The runner's conversation id.
    var conversationID: String
    /// The thread's scenario key.
    var thread: String
    /// Who started the thread.
    var contact: Contact
    /// The thread's emails, received and sent, in order: what `fetch_thread` answers.
    var emails: [ThreadEmail]
    /// The whole conversation, in order.
    var transcript: [TranscriptEntry]
    /// The side effect waiting for a decision, if any.
    var pending: PendingAction?
    /// The last turn seen.
    var turn: Int
    /// Tool call ids handed out so far, for the next one.
    var calls: Int

    /// A new call id: `call_N`.
    mutating func nextCallID() -> String {
        calls += 1
        return "call_\(calls)"
    }
}

/// The checkpoint files of the thread assistant: one JSON file per conversation, named by the
/// SHA-256 of its id, in `$ASSAY_CHECKPOINT_DIR` (default `$TMPDIR/assay-example-checkpoints`, the
/// folder the Python agent's cell checkpoints use). Written atomically (a temporary file, then a
/// rename) after every exchange; files untouched for a day are removed.
struct ConversationStore: Sendable {
    /// The folder.
    var directory: String

    /// The store the environment names.
    static func fromEnvironment(_ env: [String: String]) -> ConversationStore {
        if let dir = env["ASSAY_CHECKPOINT_DIR"], !dir.isEmpty { return ConversationStore(directory: dir) }
        let tmp = env["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        return ConversationStore(directory: (tmp.hasSuffix("/") ? String(tmp.dropLast()) : tmp) + "/assay-example-checkpoints")
    }

    /// The file of a conversation.
    func path(_ conversationID: String) -> String {
        directory + "/conversation-" + String(SHA256.hex(conversationID).prefix(32)) + ".json"
    }

    /// The state of a conversation; nil when there is none (a first turn, or a lost checkpoint).
    func load(_ conversationID: String) throws(AgentError) -> ConversationState? {
        guard let data = FileManager.default.contents(atPath: path(conversationID)) else { return nil }
        do {
            let state = try JSONDecoder().decode(ConversationState.self, from: data)
            return state.conversationID == conversationID ? state : nil
        } catch {
            throw AgentError(description: "conversation checkpoint \(path(conversationID)): cannot be read")
        }
    }

    /// Saves a conversation's state atomically.
    func save(_ state: ConversationState) throws(AgentError) {
        let fm = FileManager.default
        do {
            try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let data = try encoder.encode(state)
            let target = path(state.conversationID)
            let temporary = target + ".\(getpid()).tmp"
            guard fm.createFile(atPath: temporary, contents: data) else { throw AgentError(description: "cannot write \(temporary)") }
            guard rename(temporary, target) == 0 else {
                unlink(temporary)
                throw AgentError(description: "cannot rename \(temporary) (errno \(errno))")
            }
        } catch let error as AgentError {
            throw error
        } catch {
            throw AgentError(description: "conversation checkpoint in \(directory): cannot be written")
        }
        prune()
    }

    /// Removes conversation checkpoints not written for a day: the agent is never told that a
    /// conversation ended.
    func prune(olderThan seconds: TimeInterval = 86_400) {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: directory) else { return }
        let cutoff = Date().addingTimeInterval(-seconds)
        for name in names where name.hasPrefix("conversation-") {
            let file = directory + "/" + name
            if let modified = (try? fm.attributesOfItem(atPath: file))?[.modificationDate] as? Date, modified < cutoff {
                try? fm.removeItem(atPath: file)
            }
        }
    }
}
