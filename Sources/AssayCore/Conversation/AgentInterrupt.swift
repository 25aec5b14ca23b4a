/// An agent's request for a human decision, read from its answer (docs/conversations.md, "The
/// interrupt shape"): an answer object with an `interrupt` object, or LangGraph's `__interrupt__`
/// list, whose first item's `value` is the request.
///
/// ```json
/// {"interrupt": {"id": "draft-1", "kind": "approval", "message": "Send this reply?", "draft": "Hi Ana, ..."}}
/// ```
public struct AgentInterrupt: Sendable {
    /// The agent's id for the pending decision; echoed back in the resume. Empty when it gave none.
    public var id: String
    /// What is asked, e.g. `approval` (free text; the runner does not interpret it).
    public var kind: String
    /// The question shown to the person, when given.
    public var message: String?
    /// The whole interrupt object, as the agent sent it.
    package var value: JSONValue

    /// The interrupt in an answer, or nil when the answer is a final one.
    package init?(answer: JSONValue) {
        var object: JSONValue?
        var outerID: String?
        if let i = answer["interrupt"], i.members != nil {
            object = i
        } else if let list = answer["__interrupt__"]?.elements, let first = list.first {
            // LangGraph: `[{"value": ..., "id": "..."}]` (older releases: `"ns"`, `"resumable"`).
            object = first["value"].map { $0.members != nil ? $0 : .object([("message", $0)]) } ?? first
            outerID = first["id"]?.string
        }
        guard let object else { return nil }
        value = object
        id = object["id"]?.string ?? outerID ?? ""
        kind = object["kind"]?.string ?? object["type"]?.string ?? "approval"
        message = object["message"]?.string ?? object["question"]?.string
    }

    /// The resume the runner sends for a decision: `{"interrupt_id": ..., "decision": ..., "text": ...}`.
    package func resume(_ decision: HumanDecision) -> JSONValue {
        var pairs: [(String, JSONValue)] = [("interrupt_id", .string(id)), ("decision", .string(decision.kind.rawValue))]
        if let text = decision.text { pairs.append(("text", .string(text))) }
        return .object(pairs)
    }
}
