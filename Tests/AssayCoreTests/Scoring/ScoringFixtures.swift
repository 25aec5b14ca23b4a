@testable import AssayCore

extension JSONValue {
    /// Parses JSON text given inline in a test; traps on malformed JSON.
    static func parsed(_ text: String) -> JSONValue {
        guard let v = JSONText.parse(text) else { fatalError("not JSON: \(text)") }
        return v
    }
}

extension StoredSpan {
    /// A stored span with defaults and its summary derived, for scoring tests.
    static func stub(id: UInt64 = 1, parent: UInt64? = nil, name: String = "span", start: UInt64 = 1_000, end: UInt64 = 2_000,
                     attributes: [Attribute] = [], status: StatusCode = .unset) -> StoredSpan {
        let span = Span(traceID: TraceID(high: 0, low: 1)!, spanID: SpanID(id)!, parentSpanID: parent.flatMap { SpanID($0) }, name: name,
                        startTimeUnixNano: start, endTimeUnixNano: end, attributes: attributes, status: SpanStatus(code: status))
        return StoredSpan(span: span, summary: SpanSummary(span: span))
    }

    /// A span whose output text is `text`.
    static func output(_ text: String, id: UInt64 = 1, start: UInt64 = 1_000) -> StoredSpan {
        stub(id: id, name: "answer", start: start, end: start + 1_000, attributes: [Attribute("output.value", .string(text))])
    }

    /// A chat span with token counts.
    static func chat(id: UInt64, start: UInt64, input: Int64? = nil, output: Int64? = nil, toolCalls: String? = nil) -> StoredSpan {
        var attributes = [Attribute("gen_ai.operation.name", .string("chat"))]
        if let input { attributes.append(Attribute("gen_ai.usage.input_tokens", .int(input))) }
        if let output { attributes.append(Attribute("gen_ai.usage.output_tokens", .int(output))) }
        if let toolCalls { attributes.append(Attribute("gen_ai.output.messages", .string(toolCalls))) }
        return stub(id: id, name: "chat", start: start, end: start + 500, attributes: attributes)
    }

    /// A tool-execution span.
    static func tool(_ name: String, arguments: String? = nil, id: UInt64, start: UInt64, status: StatusCode = .unset) -> StoredSpan {
        var attributes = [Attribute("gen_ai.operation.name", .string("execute_tool")), Attribute("gen_ai.tool.name", .string(name))]
        if let arguments { attributes.append(Attribute("gen_ai.tool.call.arguments", .string(arguments))) }
        return stub(id: id, name: "execute_tool \(name)", start: start, end: start + 100, attributes: attributes, status: status)
    }

    /// A retrieval span returning documents with these ids, in rank order.
    static func retrieval(_ ids: [String], id: UInt64 = 1, start: UInt64 = 1_000) -> StoredSpan {
        var attributes = [Attribute("openinference.span.kind", .string("RETRIEVER"))]
        for (i, doc) in ids.enumerated() { attributes.append(Attribute("retrieval.documents.\(i).document.id", .string(doc))) }
        return stub(id: id, name: "retrieve", start: start, end: start + 100, attributes: attributes)
    }
}

extension StoredTrace {
    /// A trace of `spans` with its summary's times taken from them.
    static func stub(_ spans: [StoredSpan]) -> StoredTrace {
        let start = spans.map(\.span.startTimeUnixNano).min() ?? 0, end = spans.map(\.span.endTimeUnixNano).max() ?? 0
        let summary = TraceSummary(traceID: TraceID(high: 0, low: 1)!, startTimeUnixNano: start, endTimeUnixNano: end, spanCount: Int64(spans.count))
        return StoredTrace(summary: summary, spans: spans)
    }
}

extension BuiltinScorers {
    /// A scorer from parameters given as JSON text; traps on a configuration error.
    static func stub(_ kind: String, _ parameters: String = "null", threshold: Double? = nil) -> BuiltinScorer {
        do { return try make(kind: kind, parameters: .parsed(parameters), threshold: threshold) } catch { fatalError("\(error)") }
    }
}

extension BuiltinScorer {
    /// Scores an observed and expected value given as JSON text (nil: absent).
    func score(observed: String?, expected: String?) -> Score {
        evaluate(ScorerInput(observed: observed.map(JSONValue.parsed), expected: expected.map(JSONValue.parsed)))
    }

    /// Scores observed text against expected text (both plain strings).
    func score(text observed: String, expected: String?) -> Score {
        evaluate(ScorerInput(observed: .string(observed), expected: expected.map { .string($0) }))
    }
}
