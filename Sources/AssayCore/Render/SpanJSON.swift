/// One span as JSON, the shape of the trace browser's data (Sources/AssayBrowse/Page/DATA-FORMAT.md)
/// and of `assay traces show --json`: normalized fields, content, raw attributes (less those the
/// normalized fields already carry), events and links. A model call (chat or embeddings) also gets
/// its cost at a price table: `costUSD` (null when unknown), `cost` and `costDetail` (docs/prices.md).
package enum SpanJSON {
    /// Writes the span object; `extra` may append more members (each starting with a comma).
    /// With `textWithMessages` false, a span whose conversation is in messages gets no separate
    /// plain `input` / `output`, which would repeat them.
    package static func write(_ stored: StoredSpan, textWithMessages: Bool = true, prices: PriceTable = .pinned, to w: inout JSONWriter,
                              extra: (inout JSONWriter) -> Void = { _ in }) {
        let span = stored.span, s = stored.summary
        let content = SpanContent(span: span)
        w.raw("{\"spanId\":")
        w.string(span.spanID.description)
        w.raw(",\"parentSpanId\":")
        if let p = span.parentSpanID { w.string(p.description) } else { w.raw("null") }
        w.raw(",\"name\":")
        w.string(span.name)
        w.raw(",\"kind\":")
        w.string(span.kind == .unspecified ? "unspecified" : span.kind.label)
        w.raw(",\"startTimeUnixNano\":")
        w.quotedInteger(span.startTimeUnixNano)
        w.raw(",\"endTimeUnixNano\":")
        w.quotedInteger(span.endTimeUnixNano)
        w.raw(",\"status\":")
        w.string(span.status.code.label)
        w.raw(",\"statusMessage\":")
        w.string(span.status.message)
        w.raw(",\"operation\":")
        w.string(s.operation.label)
        optional("provider", s.provider, &w)
        optional("model", s.model, &w)
        optional("inputTokens", s.inputTokens, &w)
        optional("outputTokens", s.outputTokens, &w)
        let cost = TraceCost(span: s, prices: prices)
        if cost.hasModelCalls {
            w.raw(",\"costUSD\":")
            if let usd = cost.usd, usd.isFinite { w.double(usd) } else { w.raw("null") }
            optional("cost", cost.text, &w)
            optional("costDetail", cost.detail, &w)
        }
        optional("toolName", s.toolName, &w)
        optional("toolArguments", content.toolArguments, &w)
        optional("toolResult", content.toolResult, &w)
        optional("errorType", s.errorType, &w)
        optional("input", textWithMessages || content.inputMessages.isEmpty ? content.inputText : nil, &w)
        optional("output", textWithMessages || content.outputMessages.isEmpty ? content.outputText : nil, &w)
        messages("inputMessages", content.inputMessages, &w)
        messages("outputMessages", content.outputMessages, &w)
        w.raw(",\"documents\":[")
        for (i, d) in content.documents.enumerated() {
            if i > 0 { w.byte(UInt8(ascii: ",")) }
            w.raw("{\"id\":")
            if let id = d.id { w.string(id) } else { w.raw("null") }
            w.raw(",\"score\":")
            if let score = d.score, score.isFinite { w.double(score) } else { w.raw("null") }
            w.raw(",\"content\":")
            if let c = d.content { w.string(c) } else { w.raw("null") }
            w.byte(UInt8(ascii: "}"))
        }
        w.raw("],\"attributes\":")
        attributes(span.attributes.filter { !isCarriedElsewhere($0.key) }, &w)
        w.raw(",\"events\":[")
        for (i, e) in span.events.enumerated() {
            if i > 0 { w.byte(UInt8(ascii: ",")) }
            w.raw("{\"name\":")
            w.string(e.name)
            w.raw(",\"timeUnixNano\":")
            w.quotedInteger(e.timeUnixNano)
            w.raw(",\"attributes\":")
            attributes(e.attributes, &w)
            w.byte(UInt8(ascii: "}"))
        }
        w.raw("],\"links\":[")
        for (i, l) in span.links.enumerated() {
            if i > 0 { w.byte(UInt8(ascii: ",")) }
            w.raw("{\"traceId\":")
            w.string(l.traceID.description)
            w.raw(",\"spanId\":")
            w.string(l.spanID.description)
            w.byte(UInt8(ascii: "}"))
        }
        w.byte(UInt8(ascii: "]"))
        extra(&w)
        w.byte(UInt8(ascii: "}"))
    }

    /// Attributes whose content the normalized fields already show: leaving them out halves the file.
    static func isCarriedElsewhere(_ key: String) -> Bool {
        switch key {
        case "gen_ai.input.messages", "gen_ai.output.messages", "input.value", "output.value",
             "traceloop.entity.input", "traceloop.entity.output", "gen_ai.retrieval.documents", "retrieval.documents":
            return true
        default:
            return key.hasPrefix("llm.input_messages.") || key.hasPrefix("llm.output_messages.") || key.hasPrefix("retrieval.documents.")
                || key.hasPrefix("gen_ai.prompt.") || key.hasPrefix("gen_ai.completion.")
        }
    }

    private static func attributes(_ list: [Attribute], _ w: inout JSONWriter) {
        w.byte(UInt8(ascii: "["))
        for (i, a) in list.enumerated() {
            if i > 0 { w.byte(UInt8(ascii: ",")) }
            w.raw("{\"key\":")
            w.string(a.key)
            w.raw(",\"value\":")
            w.string(a.value.displayText)
            w.byte(UInt8(ascii: "}"))
        }
        w.byte(UInt8(ascii: "]"))
    }

    private static func messages(_ key: StaticString, _ list: [LLMMessage], _ w: inout JSONWriter) {
        w.raw(",\"")
        w.raw(key)
        w.raw("\":[")
        for (i, m) in list.enumerated() {
            if i > 0 { w.byte(UInt8(ascii: ",")) }
            w.raw("{\"role\":")
            w.string(m.role)
            w.raw(",\"content\":")
            w.string(m.content)
            w.raw(",\"toolCalls\":[")
            for (j, c) in m.toolCalls.enumerated() {
                if j > 0 { w.byte(UInt8(ascii: ",")) }
                w.raw("{\"id\":")
                if let id = c.id { w.string(id) } else { w.raw("null") }
                w.raw(",\"name\":")
                w.string(c.name)
                w.raw(",\"arguments\":")
                w.string(c.arguments)
                w.byte(UInt8(ascii: "}"))
            }
            w.raw("],\"toolCallId\":")
            if let id = m.toolCallID { w.string(id) } else { w.raw("null") }
            w.byte(UInt8(ascii: "}"))
        }
        w.byte(UInt8(ascii: "]"))
    }

    private static func optional(_ key: String, _ value: String?, _ w: inout JSONWriter) {
        w.byte(UInt8(ascii: ","))
        w.string(key)
        w.byte(UInt8(ascii: ":"))
        if let value { w.string(value) } else { w.raw("null") }
    }

    private static func optional(_ key: String, _ value: Int64?, _ w: inout JSONWriter) {
        w.byte(UInt8(ascii: ","))
        w.string(key)
        w.byte(UInt8(ascii: ":"))
        if let value { w.integer(value) } else { w.raw("null") }
    }
}
