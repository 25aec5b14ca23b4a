import AssayCore
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `--gateway`: the agent's model calls go over HTTP to an OpenAI-compatible endpoint, the one
/// `OPENAI_BASE_URL` names (the model gateway of `assay run`), with `OPENAI_API_KEY`; the agent then
/// exports no chat span of its own: the gateway records the calls.
///
/// Each call carries `assay_sim_answers`, the answer the agent's simulation gives for each `sim-*`
/// model, and the simulated provider answers with the one for the model it was asked for
/// (docs/gateway.md, "The simulated provider"). So the quality follows the model the gateway chose,
/// and the agent reads that model from the response, as a real agent would get a real model's answer.
/// A real model ignores the field and answers for itself.
struct GatewayChat: Sendable {
    var baseURL: String
    var key: String
    /// The model the agent asks for; the gateway rewrites it to the tier's.
    static let model = "gpt-4o-mini"

    /// From the environment; an error when `OPENAI_BASE_URL` is not set.
    static func fromEnvironment(_ env: [String: String]) throws(AgentError) -> GatewayChat {
        guard let base = env["OPENAI_BASE_URL"], !base.isEmpty else {
            throw AgentError(description: "--gateway: OPENAI_BASE_URL is not set (assay run sets it when the suite's tiers have a sim-* model or an upstream)")
        }
        return GatewayChat(baseURL: base.hasSuffix("/") ? String(base.dropLast()) : base, key: env["OPENAI_API_KEY"] ?? "")
    }

    /// The answer text and the model that gave it.
    struct Answer: Sendable {
        var text: String
        var model: String
    }

    /// One chat completion whose messages are all the user's.
    func complete(instructions: String, messages: [String], answers: [String: String], temperature: Double,
                  traceparent: String?) throws(AgentError) -> Answer {
        try complete(instructions: instructions, chatMessages: messages.map { .object([("role", .string("user")), ("content", .string($0))]) },
                     answers: answers, temperature: temperature, traceparent: traceparent)
    }

    /// One chat completion: the system instructions, then `chatMessages` in the Chat Completions shape
    /// (`user`, `assistant` with optional `tool_calls`, `tool`).
    func complete(instructions: String, chatMessages: [JSONValue], answers: [String: String], temperature: Double,
                  traceparent: String?) throws(AgentError) -> Answer {
        var members: [(String, JSONValue)] = [
            ("model", .string(Self.model)),
            ("messages", .array([.object([("role", .string("system")), ("content", .string(instructions))])] + chatMessages)),
            ("temperature", .number(String(temperature))),
        ]
        members.append(("assay_sim_answers", .object(answers.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })))
        var request = URLRequest(url: URL(string: baseURL + "/chat/completions")!, timeoutInterval: 120)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("Bearer " + key, forHTTPHeaderField: "Authorization")
        if let traceparent { request.setValue(traceparent, forHTTPHeaderField: "traceparent") }
        request.httpBody = Data(JSONValue.object(members).compactJSON.utf8)
        let (data, status, failure) = Self.sendRetrying(request)
        if let failure { throw AgentError(description: "the model call failed: \(failure)", transient: true) }
        let text = String(decoding: data, as: UTF8.self)
        guard status == 200, let body = try? JSONValue.parse(text) else {
            let message = (try? JSONValue.parse(text))?["error"]?["message"]?.string ?? "HTTP \(status)"
            throw AgentError(description: "the model call answered \(status): \(DisplayFormat.safe(message, limit: 300))", transient: status == 429 || status >= 500)
        }
        guard let content = body["choices"]?.elements?.first?["message"]?["content"]?.string else {
            throw AgentError(description: "the model's answer has no message content")
        }
        return Answer(text: content, model: body["model"]?.string ?? Self.model)
    }

    /// The agent's retry wrapper: a 429, a 5xx or a lost connection is retried up to three times,
    /// after the `Retry-After` the provider gave (at most 10 s), else with exponential backoff and
    /// jitter from 0.2 s (docs/resilience.md). What it does not do is check the answer: an empty
    /// completion goes through, the weakness the example suite's `empty_draft` plan finds.
    static func sendRetrying(_ request: URLRequest, retries: Int = 3) -> (Data, Int, String?) {
        var attempt = 0
        while true {
            let (data, status, failure, retryAfter) = send(request)
            let retryable = failure != nil || status == 429 || status >= 500
            guard retryable, attempt < retries else { return (data, status, failure) }
            let backoff = 0.2 * Double(1 << attempt) * Double.random(in: 0.75...1)
            attempt += 1
            Thread.sleep(forTimeInterval: min(10, retryAfter ?? backoff))
        }
    }

    /// Sends a request and waits for its answer and its `Retry-After`, seconds.
    static func send(_ request: URLRequest) -> (Data, Int, String?, Double?) {
        final class Box: @unchecked Sendable { var data = Data(); var status = 0; var error: String?; var retryAfter: Double? }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: request) { data, response, error in
            box.data = data ?? Data()
            let http = response as? HTTPURLResponse
            box.status = http?.statusCode ?? 0
            box.retryAfter = (http?.value(forHTTPHeaderField: "Retry-After")).flatMap(Double.init)
            box.error = error.map { "\($0.localizedDescription)" }
            done.signal()
        }.resume()
        done.wait()
        return (box.data, box.status, box.error, box.retryAfter)
    }
}

extension EmailAssistant {
    /// The whole agent with its two model calls through the gateway (`--gateway`).
    func runThroughGateway(_ chat: GatewayChat, email: String, scenario: Scenario, tracer: inout Tracer) throws(AgentError) -> String {
        var failure: AgentError?
        let reply = tracer.span("invoke_agent \(Self.agentName)", kind: .internal, parent: request.parent?.spanID) { (tracer: inout Tracer, id: SpanID) -> (String, [Attribute]) in
            let traceparent = "00-\(tracer.traceID)-\(id)-01"
            // Triage: what each simulated model would answer; the gateway's model picks its own.
            var answers: [String: String] = [:]
            for tier in Tier.allCases {
                var r = request
                r.tier = tier
                answers["sim-" + tier.rawValue] = EmailAssistant(request: r).triageDecision(scenario).json.compactJSON
            }
            sleepMillis(request.tier.llmLatencyMillis)
            let first: GatewayChat.Answer
            do throws(AgentError) { first = try chat.complete(instructions: Self.triageInstructions, messages: [email], answers: answers, temperature: 0, traceparent: traceparent) }
            catch { failure = error; return ("", []) }
            // From here on the agent acts at the quality of the model that answered.
            var r = request
            r.tier = Tier.quality(model: first.model, tier: request.tier)
            r.model = first.model
            let me = EmailAssistant(request: r)
            let label = (try? JSONValue.parse(first.text))?["label"]?.string ?? "unknown"
            let documents = me.retrieve(email: email, parent: id, tracer: &tracer)
            let call = me.callTool(scenario: scenario, parent: id, tracer: &tracer)
            let (context, ideal) = me.draftInput(scenario: scenario, documents: documents, tool: call)
            sleepMillis(r.tier.llmLatencyMillis)
            let second: GatewayChat.Answer
            do throws(AgentError) { second = try chat.complete(instructions: Self.draftInstructions, messages: [email, context], answers: [first.model: ideal],
                                            temperature: 0.4, traceparent: traceparent) }
            catch { failure = error; return ("", []) }
            return (second.text, [
                Attribute("gen_ai.operation.name", .string("invoke_agent")),
                Attribute("gen_ai.agent.name", .string(Self.agentName)),
                Attribute("gen_ai.request.model", .string(GatewayChat.model)),
                Attribute("gen_ai.response.model", .string(first.model)),
                Attribute("input.value", .string(email)),
                Attribute("output.value", .string(second.text)),
                Attribute("app.triage.label", .string(label)),
                Attribute("app.scenario", .string(scenario.key)),
                Attribute("assay.example.id", .string(request.exampleID)),
            ])
        }
        if let failure { throw failure }
        return reply
    }
}
