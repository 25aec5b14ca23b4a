/// One example of an eval set: an input, the expected output (or a note that one is needed), the
/// per-component cases, metadata and where it came from. One line of a dataset file (docs/datasets.md).
public struct DatasetExample: Sendable {
    /// A stable id: the first 16 hex digits of the SHA-256 of the input's canonical JSON, for promoted
    /// examples; any id of letters, digits and `. _ - :` for hand-written ones.
    public var id: String
    /// The input given to the agent (the root span's input); for a multi-turn example, its first turn's
    /// message, so that tools written for single-turn examples keep working (it is not written to the file).
    package var input: JSONValue
    /// The expected output; nil when the example still needs one.
    package var expected: JSONValue?
    /// The per-component cases, by component name.
    package var components: [String: ComponentCase]
    /// Tags, models, session, the feedback it came from (an object).
    package var metadata: JSONValue
    /// Where it came from; nil for hand-written examples.
    public var provenance: Provenance?
    /// The turns of a multi-turn example, in order; nil for a single-turn one. `input` is then the
    /// first turn's message and `expected` the expected end state (docs/conversations.md).
    public var turns: [ExampleTurn]?
    /// Facts given in one turn that a later turn must use (multi-turn examples only).
    public var memory: [MemoryFact] = []

    /// Whether the example is a conversation.
    public var isConversation: Bool { turns != nil }

    /// Whether an expected value is still needed (negative feedback without a correction).
    public var status: ExampleStatus { expected == nil ? .needsExpected : .ready }

    /// Whether any expected value is still needed: the example's own or a component case's.
    public var needsAnyExpected: Bool {
        expected == nil || components.values.contains { $0.expected == nil }
            || (turns ?? []).contains { $0.components.values.contains { $0.expected == nil } }
    }

    /// What makes two examples the same case: the input's canonical JSON, or for a multi-turn example
    /// its turns' messages (two conversations that open alike are still different examples).
    package var inputKey: String {
        guard let turns else { return input.canonicalJSON }
        return "turns:" + JSONValue.array(turns.map(\.user)).canonicalJSON
    }

    /// The id for an input.
    package static func id(forInput input: JSONValue) -> String { String(SHA256.hex(input.canonicalJSON).prefix(16)) }

    /// The id for a promoted session: `s-` and the first 16 hex digits of the SHA-256 of the canonical
    /// JSON list of its turns' messages (docs/conversations.md, "Promotion").
    package static func id(forTurns users: [JSONValue]) -> String {
        "s-" + SHA256.hex(JSONValue.array(users).canonicalJSON).prefix(16)
    }
}

/// Whether an example can be scored end to end.
public enum ExampleStatus: String, Sendable, Hashable {
    /// It has an expected value.
    case ready
    /// Nobody has said yet what the right output is; scorers that need it leave it unscored.
    case needsExpected = "needs_expected"
}

/// One component's case within an example: the selector that finds its spans, its input and the
/// expected value (the triage label, the retrieval's document ids, the tool calls with arguments).
public struct ComponentCase: Sendable {
    /// The selector, in canonical text.
    public var selector: String
    /// The component's input (its first span's input), when recorded.
    package var input: JSONValue?
    /// The expected value; nil when still needed.
    package var expected: JSONValue?

    /// Whether the case has its expected value.
    public var status: ExampleStatus { expected == nil ? .needsExpected : .ready }
}

/// Where a promoted example came from.
public struct Provenance: Sendable, Hashable {
    /// The trace.
    public var traceID: String
    /// The spans used: the root and the components' spans.
    public var spanIDs: [String]
    /// The feedback that decided the expected values.
    public var feedbackIDs: [String]
    /// When first promoted (ISO 8601).
    public var promotedAt: String
    /// When last changed by a promotion (ISO 8601), if ever.
    public var updatedAt: String?
    /// The session a multi-turn example was promoted from; `traceID` is then its first turn's trace.
    public var sessionID: String? = nil
    /// A promoted session's traces, one per turn in order: the trace that carried the turn's message
    /// (the traces that answered its interrupts belong to the same session); empty for a single trace.
    public var turnTraceIDs: [String] = []
}
