/// One turn of a multi-turn example (docs/conversations.md, "The dataset format"): the user's message,
/// the scripted human decisions the runner gives when the agent asks for one, in order, and the turn's
/// optional expected values (its answer, its components).
public struct ExampleTurn: Sendable {
    /// The user's message: what the runner sends as the turn's `input`.
    package var user: JSONValue
    /// The answers to the agent's interrupts in this turn, in the order the agent asks.
    public var decisions: [HumanDecision]
    /// The turn's expected answer (its last answer, after every decision); nil when none is declared.
    package var expected: JSONValue?
    /// The turn's per-component cases, by component name.
    package var components: [String: ComponentCase]

    /// Creates a turn.
    package init(user: JSONValue, decisions: [HumanDecision] = [], expected: JSONValue? = nil, components: [String: ComponentCase] = [:]) {
        self.user = user
        self.decisions = decisions
        self.expected = expected
        self.components = components
    }
}

/// A person's answer to an agent's interrupt: approve what it proposes, reject it, or approve it edited.
public struct HumanDecision: Sendable, Hashable {
    /// The decisions a person can give.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Go ahead as proposed.
        case approve
        /// Do not go ahead.
        case reject
        /// Go ahead with `text` instead of what was proposed.
        case edit
    }

    /// What was decided.
    public var kind: Kind
    /// The edited text (`edit`), or a reason (`reject`, optional).
    public var text: String?

    /// Creates a decision.
    public init(kind: Kind, text: String? = nil) {
        self.kind = kind
        self.text = text
    }

    /// The JSON the runner sends and the dataset keeps: `{"decision": "edit", "text": "..."}`.
    package var json: JSONValue {
        var pairs: [(String, JSONValue)] = [("decision", .string(kind.rawValue))]
        if let text { pairs.append(("text", .string(text))) }
        return .object(pairs)
    }
}

/// A fact given in one turn that the agent must use in a later one (the `memory` scorer).
public struct MemoryFact: Sendable, Hashable {
    /// The text that must appear (case and spacing aside) in the later turn's answer or tool calls.
    public var fact: String
    /// The turn that gives it, from 1.
    public var givenIn: Int
    /// The turn that must use it, from 1, after `givenIn`.
    public var usedIn: Int

    /// Creates a fact.
    public init(fact: String, givenIn: Int, usedIn: Int) {
        self.fact = fact
        self.givenIn = givenIn
        self.usedIn = usedIn
    }
}
