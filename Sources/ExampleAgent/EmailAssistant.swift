import AssayCore
import Foundation

/// The step run alone when the runner sets `ASSAY_COMPONENT`.
enum Component: String, CaseIterable, Sendable {
    case triage, retrieval, tools, reply
}

/// One cell to run: what the runner sends, by environment (process mode) or by request line
/// (persistent mode).
struct CellRequest: Sendable {
    var exampleID: String
    var input: JSONValue
    var tier: Tier
    var model: String
    /// The runner's span; nil when run by hand (the agent's span is then a root).
    var parent: TraceParent?
    var component: Component?
    var seed: String
    /// The exchange, when the cell is a multi-turn conversation; `input` is then the turn's message
    /// (or null for a decision).
    var conversation: ConversationEnvelope?
}

/// A problem with a request; its message never quotes the email.
struct AgentError: Error, CustomStringConvertible {
    var description: String
    /// Whether the runner should retry (exit code 75, `"transient": true`).
    var transient = false
}

/// The simulated email assistant: triage, retrieval, a tool call and a drafted reply, each recorded
/// as a span with the GenAI semantic conventions (and OpenInference keys for the documents).
struct EmailAssistant {
    static let agentName = "email_assistant"
    static let triageInstructions =
        "You are the triage step of an email assistant. Read one email and classify it as exactly one of "
        + "urgent, needs_reply or fyi. Consider the sender, deadlines and whether a concrete question is asked. "
        + "Answer with a JSON object {\"label\": string, \"reason\": string, \"next_action\": string} and nothing else."
    static let draftInstructions =
        "You draft replies on behalf of Sam Keller, account manager at Northwind Analytics. Be concise, friendly "
        + "and specific; propose concrete times when scheduling; never promise discounts or share contract terms; "
        + "sign as Sam. Use the retrieved policy notes and tool results provided in the conversation."

    let request: CellRequest
    let dice: Dice
    /// With `--gateway`, where the model calls go.
    var gateway: GatewayChat?

    init(request: CellRequest) {
        self.request = request
        dice = Dice(exampleID: request.exampleID, tier: request.tier, seed: request.seed)
    }

    /// Runs the whole agent, or one component, recording its spans in `tracer`; returns the output.
    func run(tracer: inout Tracer) throws(AgentError) -> JSONValue {
        let email = try Self.email(in: request.input)
        let scenario = Scenario.matching(email: email) ?? Scenario.fallback
        let parent = request.parent?.spanID
        switch request.component {
        case .triage?: return triage(email: email, scenario: scenario, parent: parent, tracer: &tracer).json
        case .retrieval?: return .array(retrieve(email: email, parent: parent, tracer: &tracer).map { .string($0.id ?? "") })
        case .tools?:
            let call = callTool(scenario: scenario, parent: parent, tracer: &tracer)
            return .array(call.map { [.object([("arguments", Self.parse($0.arguments)), ("name", .string($0.name))])] } ?? [])
        case .reply?:
            let documents = KnowledgeBase.search(KnowledgeBase.query(for: email))
            return .string(draft(email: email, scenario: scenario, documents: documents, tool: scenario.tool?.call, parent: parent,
                                 tracer: &tracer))
        case nil:
            if let gateway { return .string(try runThroughGateway(gateway, email: email, scenario: scenario, tracer: &tracer)) }
            let reply = tracer.span("invoke_agent \(Self.agentName)", kind: .internal, parent: parent) { tracer, id in
                let decision = triage(email: email, scenario: scenario, parent: id, tracer: &tracer)
                let documents = retrieve(email: email, parent: id, tracer: &tracer)
                let call = callTool(scenario: scenario, parent: id, tracer: &tracer)
                let reply = draft(email: email, scenario: scenario, documents: documents, tool: call, parent: id, tracer: &tracer)
                return (reply, [
                    Attribute("gen_ai.operation.name", .string("invoke_agent")),
                    Attribute("gen_ai.provider.name", .string("openai")),
                    Attribute("gen_ai.agent.name", .string(Self.agentName)),
                    Attribute("gen_ai.agent.id", .string("asst_email_v5")),
                    Attribute("gen_ai.request.model", .string(request.model)),
                    Attribute("input.value", .string(email)),
                    Attribute("output.value", .string(reply)),
                    Attribute("app.triage.label", .string(decision.label.rawValue)),
                    Attribute("app.scenario", .string(scenario.key)),
                    Attribute("assay.example.id", .string(request.exampleID)),
                    Attribute("assay.tier", .string(request.tier.rawValue)),
                ])
            }
            return .string(reply)
        }
    }

    /// The email in a request's input: the input itself when it is a string, else its `email`,
    /// `input` or `text` member.
    static func email(in input: JSONValue) throws(AgentError) -> String {
        if let s = input.string { return s }
        for key in ["email", "input", "text"] { if let s = input[key]?.string { return s } }
        throw AgentError(description: "input: expected a JSON string holding an email")
    }

    static func parse(_ json: String) -> JSONValue { (try? JSONValue.parse(json)) ?? .string(json) }

    // MARK: - Steps

    struct Triage {
        var label: TriageLabel
        var reason: String
        var nextAction: String
        var json: JSONValue {
            .object([("label", .string(label.rawValue)), ("reason", .string(reason)), ("next_action", .string(nextAction))])
        }
    }

    /// What the triage step decides at this tier's quality.
    func triageDecision(_ scenario: Scenario) -> Triage {
        let label = Quality.label(right: scenario.label, dice: dice)
        return label == scenario.label
            ? Triage(label: label, reason: scenario.reason, nextAction: scenario.nextAction)
            : Triage(label: label, reason: Self.genericReason[label]!, nextAction: Self.genericAction[label]!)
    }

    func triage(email: String, scenario: Scenario, parent: SpanID?, tracer: inout Tracer) -> Triage {
        let decision = triageDecision(scenario)
        chat(instructions: Self.triageInstructions, messages: [email], output: decision.json.compactJSON,
             temperature: 0, parent: parent, tracer: &tracer)
        return decision
    }

    static let genericReason: [TriageLabel: String] = [
        .urgent: "The message sounds time-critical.", .needsReply: "The sender seems to expect an answer.",
        .fyi: "Informational, nothing to do.",
    ]
    static let genericAction: [TriageLabel: String] = [.urgent: "escalate now", .needsReply: "draft a reply", .fyi: "archive"]

    func retrieve(email: String, parent: SpanID?, tracer: inout Tracer) -> [RetrievedDocument] {
        let query = KnowledgeBase.query(for: email)
        return tracer.span("retrieval kb", kind: .client, parent: parent) { _, _ in
            sleepMillis(1)
            let documents = KnowledgeBase.search(query)
            var attributes = [
                Attribute("gen_ai.operation.name", .string("retrieval")),
                Attribute("gen_ai.data_source.id", .string("kb")),
                Attribute("gen_ai.request.top_k", .int(Int64(KnowledgeBase.topK))),
                Attribute("gen_ai.retrieval.query.text", .string(query)),
                Attribute("openinference.span.kind", .string("RETRIEVER")),
                Attribute("input.value", .string(query)),
            ]
            for (i, d) in documents.enumerated() {
                attributes.append(Attribute("retrieval.documents.\(i).document.id", .string(d.id ?? "")))
                attributes.append(Attribute("retrieval.documents.\(i).document.score", .double(d.score ?? 0)))
                attributes.append(Attribute("retrieval.documents.\(i).document.content", .string(d.content ?? "")))
            }
            return (documents, attributes)
        }
    }

    func callTool(scenario: Scenario, parent: SpanID?, tracer: inout Tracer) -> ToolUse? {
        guard let call = Quality.toolCall(for: scenario, dice: dice) else { return nil }
        let callID = "call_" + String(tracer.newSpanID().description.prefix(12))
        tracer.span("execute_tool \(call.name)", kind: .internal, parent: parent) { _, _ in
            sleepMillis(1)
            return ((), [
                Attribute("gen_ai.operation.name", .string("execute_tool")),
                Attribute("gen_ai.tool.name", .string(call.name)),
                Attribute("gen_ai.tool.call.id", .string(callID)),
                Attribute("gen_ai.tool.type", .string("function")),
                Attribute("gen_ai.tool.call.arguments", .string(call.arguments)),
                Attribute("gen_ai.tool.call.result", .string(call.result)),
            ])
        }
        return call
    }

    /// The drafting call's context message, and the reply this tier writes.
    func draftInput(scenario: Scenario, documents: [RetrievedDocument], tool: ToolUse?) -> (context: String, reply: String) {
        var context = "Policy notes:\n" + documents.map { "- [\($0.id ?? "")] \($0.content ?? "")" }.joined(separator: "\n")
        if let tool { context += "\nTool \(tool.name)(\(tool.arguments)) returned \(tool.result)" }
        return (context, Quality.reply(ideal: scenario.reply, dice: dice))
    }

    func draft(email: String, scenario: Scenario, documents: [RetrievedDocument], tool: ToolUse?, parent: SpanID?,
               tracer: inout Tracer) -> String {
        let (context, reply) = draftInput(scenario: scenario, documents: documents, tool: tool)
        chat(instructions: Self.draftInstructions, messages: [email, context], output: reply, temperature: 0.4, parent: parent,
             tracer: &tracer)
        return reply
    }

    /// Records one simulated chat call: sleeps the tier's latency, counts tokens as characters / 4.
    func chat(instructions: String, messages: [String], output: String, temperature: Double, parent: SpanID?, tracer: inout Tracer) {
        let model = request.model
        let responseID = "chatcmpl-\(tracer.newSpanID())"
        let latency = request.tier.llmLatencyMillis
        tracer.span("chat \(model)", kind: .client, parent: parent) { _, _ in
            sleepMillis(latency)
            let input = JSONValue.array(messages.map { Self.message(role: "user", text: $0) })
            let out = JSONValue.array([Self.message(role: "assistant", text: output, finishReason: "stop")])
            let inputTokens = (instructions.utf8.count + messages.reduce(0) { $0 + $1.utf8.count }) / 4 + 4 * messages.count + 3
            return ((), [
                Attribute("gen_ai.operation.name", .string("chat")),
                Attribute("gen_ai.provider.name", .string("openai")),
                Attribute("gen_ai.request.model", .string(model)),
                Attribute("gen_ai.request.temperature", .double(temperature)),
                Attribute("gen_ai.response.model", .string(model)),
                Attribute("gen_ai.response.id", .string(responseID)),
                Attribute("gen_ai.response.finish_reasons", .array([.string("stop")])),
                Attribute("gen_ai.usage.input_tokens", .int(Int64(inputTokens))),
                Attribute("gen_ai.usage.output_tokens", .int(Int64(max(1, output.utf8.count / 4)))),
                Attribute("gen_ai.system_instructions", .string(JSONValue.array([
                    .object([("type", .string("text")), ("content", .string(instructions))]),
                ]).compactJSON)),
                Attribute("gen_ai.input.messages", .string(input.compactJSON)),
                Attribute("gen_ai.output.messages", .string(out.compactJSON)),
            ])
        }
    }

    static func message(role: String, text: String, finishReason: String? = nil) -> JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("role", .string(role)), ("parts", .array([.object([("type", .string("text")), ("content", .string(text))])])),
        ]
        if let finishReason { pairs.append(("finish_reason", .string(finishReason))) }
        return .object(pairs)
    }
}

extension Scenario {
    /// What the agent does with an email it does not know: asks for an answer, calls no tool.
    static let fallback = Scenario(
        key: "unknown", from: "", subject: "", body: "", label: .needsReply,
        reason: "The sender seems to expect an answer.", nextAction: "draft a reply", documents: [], tool: nil,
        reply: "Hi,\n\nThank you for your email. I will look into it and get back to you shortly.\n\nBest,\nSam")
}
