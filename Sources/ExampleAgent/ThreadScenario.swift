import AssayCore
import Foundation

/// A person in an email thread: `Ana Souza <ana.souza@lumen-health.example>`.
struct Contact: Sendable, Hashable, Codable {
    /// The display name, e.g. `Ana Souza`.
    var name: String
    /// The address, e.g. `ana.souza@lumen-health.example`.
    var address: String

    /// The first word of the name, for greetings.
    var firstName: String { String(name.split(separator: " ").first ?? Substring(name)) }
    /// `Name <address>`, as a `From:` line writes it.
    var header: String { "\(name) <\(address)>" }

    /// Reads `Name <address>`; nil for anything else.
    init?(header: String) {
        let text = header.trimmingCharacters(in: .whitespaces)
        guard let open = text.lastIndex(of: "<"), text.hasSuffix(">") else { return nil }
        let name = text[..<open].trimmingCharacters(in: .whitespaces)
        let address = text[text.index(after: open)..<text.index(before: text.endIndex)]
        guard !name.isEmpty, address.contains("@") else { return nil }
        self.name = name
        self.address = String(address)
    }

    /// A contact from its parts.
    init(name: String, address: String) {
        self.name = name
        self.address = address
    }
}

/// A meeting time as emails write it: a weekday and a time of day (`Thursday at 10:00`).
struct MeetingSlot: Sendable, Hashable, Codable {
    /// `Monday` … `Sunday`.
    var day: String
    /// `HH:MM`.
    var time: String

    /// `Thursday at 10:00`.
    var text: String { "\(day) at \(time)" }

    static let weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    /// Every `WEEKDAY at HH:MM` in a text, in order of appearance.
    static func all(in text: String) -> [MeetingSlot] {
        var out: [MeetingSlot] = []
        for match in text.matches(of: /(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) at ([0-2][0-9]:[0-5][0-9])/) {
            out.append(MeetingSlot(day: String(match.output.1), time: String(match.output.2)))
        }
        return out
    }
}

/// One email of a thread, as it arrives or is sent.
struct ThreadEmail: Sendable, Hashable, Codable {
    var from: Contact
    var to: [Contact]
    var subject: String
    /// The new text, without the quoted history.
    var body: String

    /// The email as the user pastes it into a turn: headers, a blank line, the body.
    var pasted: String { "From: \(from.header)\nSubject: \(subject)\n\n\(body)" }
}

/// What the assistant is asked to do in one turn of a thread.
enum ThreadTask: Sendable {
    /// Draft a reply for approval, then send it. The draft may hold the slots `{first}` (the
    /// recipient's first name), `{day}` and `{time}` (the meeting the thread settled on, which the
    /// model has to recall from the conversation).
    case reply(draft: String)
    /// Send a calendar invite titled so, for the meeting the thread settled on, to the thread's people,
    /// after approval.
    case invite(title: String)
}

/// One turn of a thread: Sam's instruction, the new email it is about (if any), the task, and the
/// decisions the dataset scripts for the interrupts (never read by the agent).
struct ThreadTurn: Sendable {
    /// What Sam asks, e.g. `Draft a reply to Ana accepting Thursday at 10:00.`
    var instruction: String
    /// The email that arrived, pasted below the instruction; nil when the turn is an instruction only.
    var incoming: ThreadEmail?
    /// What a perfect assistant does.
    var task: ThreadTask
    /// The scripted answers to the turn's interrupts, for the dataset.
    var decisions: [HumanDecision]

    /// The user's message, as the runner sends it: the instruction, then the pasted email.
    var message: String { incoming.map { instruction + "\n\n" + $0.pasted } ?? instruction }
}

/// A multi-turn conversation about one email thread: the ground truth of `Datasets/email-threads.jsonl`.
/// The agent recognises a thread by its subject and a turn by its instruction; it never reads
/// `settled` or `memory`, which only the dataset's expected values and the tests use.
struct ThreadScenario: Sendable {
    /// A short stable name; the example id is `thread-KEY`.
    var key: String
    /// Who started the thread.
    var contact: Contact
    /// The thread's subject, without `Re:`.
    var subject: String
    /// The turns, in order.
    var turns: [ThreadTurn]
    /// The meeting as the scripted decisions leave it: what later turns must recall.
    var settled: MeetingSlot
    /// The facts given in one turn that a later turn must use: `(fact, given in, used in)`.
    var memory: [(fact: String, givenIn: Int, usedIn: Int)]

    /// The dataset's example id.
    var exampleID: String { "thread-" + key }

    /// The thread whose subject a message's `Subject:` line carries (`Re:` aside), if any.
    static func matching(message: String) -> ThreadScenario? {
        guard let subject = subjectLine(of: message) else { return nil }
        return all.first { $0.subject.lowercased() == subject.lowercased() }
    }

    /// The value of the first `Subject:` line, `Re:` prefixes removed.
    static func subjectLine(of message: String) -> String? {
        guard let line = message.split(separator: "\n").first(where: { $0.lowercased().hasPrefix("subject:") }) else { return nil }
        var subject = line.dropFirst(8).trimmingCharacters(in: .whitespaces)
        while subject.lowercased().hasPrefix("re:") { subject = subject.dropFirst(3).trimmingCharacters(in: .whitespaces) }
        return subject
    }

    /// The turn whose instruction opens the message (the text before the first blank line), if any.
    func turnIndex(message: String) -> Int? {
        let instruction = message.components(separatedBy: "\n\n").first?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return turns.firstIndex { $0.instruction == instruction }
    }
}

extension String {
    /// The template with `{first}`, `{day}` and `{time}` filled in.
    func filled(first: String, slot: MeetingSlot?) -> String {
        var out = replacingOccurrences(of: "{first}", with: first)
        if let slot { out = out.replacingOccurrences(of: "{day}", with: slot.day).replacingOccurrences(of: "{time}", with: slot.time) }
        return out
    }
}
