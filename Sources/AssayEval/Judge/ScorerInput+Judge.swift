import AssayCore

extension ScorerInput {
    /// The observed output as text: `observed` (strings as they are, other JSON as compact text), else
    /// the output text of the last selected span that has one.
    func judgeObservedText() throws(UnscoredReason) -> String {
        if let observed { return observed.text }
        if spans.isEmpty { throw .noSpanMatched }
        for stored in spans.reversed() {
            if let text = SpanContent(span: stored.span).outputText { return text }
        }
        throw .notObserved("an output text")
    }
}
