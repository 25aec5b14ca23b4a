import AssayCore
import AssayOTLP

/// Generates realistic, seeded agent traces as OTLP/JSON Lines: an email assistant's runs with a
/// triage LLM call, a retrieval with documents, tool calls and a drafting LLM call. Spans weigh
/// 1 to 3 KB of OTLP/JSON each, the size the ingest targets are stated for.
struct AgentTraceGenerator {
    private var rng: SplitMix64
    private var clock: UInt64 = 1_763_700_000_000_000_000
    private var nextSpan: UInt64 = 1
    private static let words = ("the customer invoice refund order shipping delay account password reset meeting calendar "
        + "tomorrow urgent please thanks regards support ticket billing subscription upgrade cancel renewal policy "
        + "warranty replacement damaged package tracking number address update confirm schedule availability "
        + "manager escalation priority response draft reply summary context retrieval knowledge base article").split(separator: " ").map(String.init)

    init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    /// One JSON Lines record holding `traces` traces; returns the line and its span count.
    mutating func line(traces: Int) -> (bytes: [UInt8], spans: Int) {
        let data = document(traces: traces)
        return (OTLPJSONEncoder.encode(data) + [0x0A], data.spanCount)
    }

    /// One OTLP document holding `traces` traces (6 spans each).
    mutating func document(traces: Int) -> TracesData {
        var spans: [Span] = []
        for _ in 0..<traces { spans += trace() }
        let resource = Resource(attributes: [
            Attribute("service.name", .string("email-assistant")),
            Attribute("service.version", .string("1.4.2")),
            Attribute("telemetry.sdk.language", .string("python")),
            Attribute("telemetry.sdk.name", .string("opentelemetry")),
            Attribute("telemetry.sdk.version", .string("1.38.0")),
        ])
        return TracesData(resourceSpans: [ResourceSpans(resource: resource, scopeSpans: [
            ScopeSpans(scope: InstrumentationScope(name: "email_assistant.agent", version: "1.4.2"), spans: spans),
        ])])
    }

    private mutating func trace() -> [Span] {
        let traceID = TraceID(high: rng.next() | 1, low: rng.next())!
        let start = clock
        clock += 2_000_000_000 + rng.next() % 1_000_000_000
        let root = SpanID(rng.next() | 1)!
        let session = "session-\(rng.next() % 5000)"
        let fast = rng.next() % 2 == 0
        let model = fast ? "gpt-4o-mini" : "gpt-4o"
        var spans: [Span] = []
        var t = start + 1_000_000
        func child(_ name: String, _ kind: SpanKind, _ duration: UInt64, _ attributes: [Attribute],
                   events: [SpanEvent] = [], status: SpanStatus = SpanStatus()) -> Span {
            defer { t += duration + 500_000 }
            nextSpan += 1
            return Span(traceID: traceID, spanID: SpanID(nextSpan ^ 0x5bd1_e995_0000_0000)!, parentSpanID: root, flags: 0x101,
                        name: name, kind: kind, startTimeUnixNano: t, endTimeUnixNano: t + duration,
                        attributes: attributes, events: events, status: status)
        }
        let email = words(60 + Int(rng.next() % 120))
        spans.append(child("chat \(model)", .client, 300_000_000 + rng.next() % 400_000_000, chat(model: model, input: [
            ("system", "You triage incoming customer email into one of: billing, shipping, account, other. Answer with the label only."),
            ("user", email),
        ], output: ["billing", "shipping", "account", "other"][Int(rng.next() % 4)], inputTokens: 180, outputTokens: 2)))
        var documents: [Attribute] = [Attribute("gen_ai.operation.name", .string("retrieval")),
                                      Attribute("gen_ai.data_source.id", .string("kb")),
                                      Attribute("input.value", .string(words(12)))]
        for i in 0..<4 {
            documents += [Attribute("retrieval.documents.\(i).document.id", .string("kb-\(rng.next() % 10_000)")),
                          Attribute("retrieval.documents.\(i).document.score", .double(Double(rng.next() % 1000) / 1000)),
                          Attribute("retrieval.documents.\(i).document.content", .string(words(25)))]
        }
        spans.append(child("retrieval kb", .client, 40_000_000 + rng.next() % 60_000_000, documents))
        spans.append(child("execute_tool lookup_order", .internal, 20_000_000 + rng.next() % 50_000_000, [
            Attribute("gen_ai.operation.name", .string("execute_tool")),
            Attribute("gen_ai.tool.name", .string("lookup_order")),
            Attribute("gen_ai.tool.call.id", .string("call_\(rng.next() % 1_000_000)")),
            Attribute("gen_ai.tool.call.arguments", .string("{\"order_id\":\"A\(rng.next() % 100_000)\",\"include_history\":true}")),
            Attribute("gen_ai.tool.call.result", .string("{\"status\":\"shipped\",\"carrier\":\"UPS\",\"eta\":\"2026-11-24\",\"notes\":\"\(words(30))\"}")),
        ]))
        let failed = rng.next() % 20 == 0
        spans.append(child("chat \(model)", .client, 800_000_000 + rng.next() % 1_500_000_000, chat(model: model, input: [
            ("system", "You are a helpful support agent. Draft a reply using the context."),
            ("user", email),
            ("assistant", words(40)),
        ], output: words(80 + Int(rng.next() % 150)), inputTokens: 900 + Int64(rng.next() % 900), outputTokens: 150 + Int64(rng.next() % 250)),
            events: failed ? [SpanEvent(timeUnixNano: t, name: "exception", attributes: [
                Attribute("exception.type", .string("RateLimitError")),
                Attribute("exception.message", .string("Rate limit reached for requests")),
                Attribute("exception.stacktrace", .string("Traceback (most recent call last):\n  File \"agent.py\", line 88, in draft\n" + words(20))),
            ])] : [],
            status: failed ? SpanStatus(code: .error, message: "RateLimitError") : SpanStatus()))
        spans.append(child("execute_tool send_reply", .internal, 30_000_000, [
            Attribute("gen_ai.operation.name", .string("execute_tool")),
            Attribute("gen_ai.tool.name", .string("send_reply")),
            Attribute("gen_ai.tool.call.arguments", .string("{\"to\":\"customer@example.com\",\"body\":\"\(words(50))\"}")),
        ]))
        let rootSpan = Span(traceID: traceID, spanID: root, flags: 0x101, name: "invoke_agent email_assistant", kind: .server,
                            startTimeUnixNano: start, endTimeUnixNano: t, attributes: [
                                Attribute("gen_ai.operation.name", .string("invoke_agent")),
                                Attribute("gen_ai.agent.name", .string("email_assistant")),
                                Attribute("session.id", .string(session)),
                                Attribute("user.id", .string("user-\(rng.next() % 100_000)")),
                                Attribute("input.value", .string(email)),
                            ], status: failed ? SpanStatus(code: .error, message: "draft failed") : SpanStatus(code: .ok))
        return [rootSpan] + spans
    }

    private mutating func chat(model: String, input: [(String, String)], output: String, inputTokens: Int64, outputTokens: Int64) -> [Attribute] {
        var messages = JSONWriter()
        messages.byte(UInt8(ascii: "["))
        for (i, (role, text)) in input.enumerated() {
            if i > 0 { messages.byte(UInt8(ascii: ",")) }
            messages.raw("{\"role\":")
            messages.string(role)
            messages.raw(",\"parts\":[{\"type\":\"text\",\"content\":")
            messages.string(text)
            messages.raw("}]}")
        }
        messages.byte(UInt8(ascii: "]"))
        var reply = JSONWriter()
        reply.raw("[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":")
        reply.string(output)
        reply.raw("}],\"finish_reason\":\"stop\"}]")
        return [
            Attribute("gen_ai.operation.name", .string("chat")),
            Attribute("gen_ai.provider.name", .string("openai")),
            Attribute("gen_ai.request.model", .string(model)),
            Attribute("gen_ai.response.model", .string(model + "-2024-08-06")),
            Attribute("gen_ai.request.temperature", .double(0.2)),
            Attribute("gen_ai.response.finish_reasons", .array([.string("stop")])),
            Attribute("gen_ai.usage.input_tokens", .int(inputTokens)),
            Attribute("gen_ai.usage.output_tokens", .int(outputTokens)),
            Attribute("gen_ai.input.messages", .string(String(decoding: messages.bytes, as: UTF8.self))),
            Attribute("gen_ai.output.messages", .string(String(decoding: reply.bytes, as: UTF8.self))),
        ]
    }

    private mutating func words(_ count: Int) -> String {
        (0..<count).map { _ in Self.words[Int(rng.next() % UInt64(Self.words.count))] }.joined(separator: " ")
    }
}
