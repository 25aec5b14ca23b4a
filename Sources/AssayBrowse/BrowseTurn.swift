import AssayCore

/// A trace read as one step of a conversation, in the shape the session view draws it
/// (DATA-FORMAT.md, "Sessions"): what `SessionTurn` reads from the trace (input, answer, the agent's
/// interrupt, tools, failed spans, model-call input tokens), plus the runner's `assay.turn` and
/// `assay.exchange` and the human decision a resume carried (docs/conversations.md, "The turn protocol").
///
/// The input and the answer are left out when they are the root span's own `input` and `output` in the
/// span JSON beside the turn: the page reads them there, so the file does not carry them twice.
struct BrowseTurn {
    /// Longest input or answer written, in characters; the trace view has the full text.
    static let textLimit = 20_000
    /// At most this many tool names and failed spans per turn.
    static let listLimit = 100

    /// The turn as `SessionTurn` reads it.
    var turn: SessionTurn
    /// Whether the input is the root span's `input` in its span JSON (`SpanJSON`, without messages).
    var inputIsRoot = false
    /// Whether the answer is the root span's `output` in its span JSON.
    var answerIsRoot = false

    /// Reads the turn from its trace; `prices` prices its model calls.
    init(_ trace: StoredTrace, prices: PriceTable) {
        turn = SessionTurn(index: 0, trace: trace, feedback: [], prices: prices)
        let root = trace.spans.first { $0.span.spanID == trace.summary.rootSpanID }
        if let root {
            // SpanJSON writes a span's plain input and output unless its conversation is in messages.
            let content = SpanContent(span: root.span)
            inputIsRoot = content.inputText != nil && content.inputMessages.isEmpty && content.inputText == turn.input
            answerIsRoot = content.outputText != nil && content.outputMessages.isEmpty && content.outputText == turn.answer
        }
    }

    /// Writes the turn object.
    func write(to w: inout JSONWriter) {
        w.raw("{\"number\":")
        if let number = turn.number { w.integer(number) } else { w.raw("null") }
        w.raw(",\"exchange\":")
        optional(turn.exchange?.rawValue, to: &w)
        if !inputIsRoot { Self.text("input", turn.input, to: &w) }
        if !answerIsRoot { Self.text("answer", turn.answer, to: &w) }
        w.raw(",\"interrupt\":")
        if let i = turn.interrupt {
            w.raw("{\"id\":")
            w.string(i.id)
            w.raw(",\"kind\":")
            w.string(i.kind)
            w.raw(",\"message\":")
            optional(i.message, to: &w)
            w.raw("}")
        } else {
            w.raw("null")
        }
        w.raw(",\"decision\":")
        if let decision = turn.decision {
            w.raw("{\"decision\":")
            w.string(decision)
            w.raw(",\"text\":")
            optional(turn.decisionText, to: &w)
            w.raw("}")
        } else {
            w.raw("null")
        }
        w.raw(",\"tools\":")
        Self.list(turn.tools, to: &w)
        w.raw(",\"errors\":")
        Self.list(turn.errors, to: &w)
        w.raw(",\"contextTokens\":")
        if let max = turn.callInputTokens.max() { w.integer(max) } else { w.raw("null") }
        w.raw("}")
    }

    private func optional(_ s: String?, to w: inout JSONWriter) {
        if let s { w.string(s) } else { w.raw("null") }
    }

    /// `,"NAME":text,"NAMECut":bool`, the text cut at `textLimit` characters.
    private static func text(_ name: StaticString, _ value: String?, to w: inout JSONWriter) {
        w.raw(",\"")
        w.raw(name)
        w.raw("\":")
        var cut = false
        if let value {
            let end = value.index(value.startIndex, offsetBy: textLimit, limitedBy: value.endIndex) ?? value.endIndex
            cut = end < value.endIndex
            w.string(cut ? String(value[..<end]) : value)
        } else {
            w.raw("null")
        }
        w.raw(",\"")
        w.raw(name)
        w.raw("Cut\":")
        w.raw(cut ? "true" : "false")
    }

    private static func list(_ items: [String], to w: inout JSONWriter) {
        w.byte(UInt8(ascii: "["))
        for (i, item) in items.prefix(listLimit).enumerated() {
            if i > 0 { w.byte(UInt8(ascii: ",")) }
            w.string(item.count > 500 ? String(item.prefix(500)) + "…" : item)
        }
        w.byte(UInt8(ascii: "]"))
    }
}
