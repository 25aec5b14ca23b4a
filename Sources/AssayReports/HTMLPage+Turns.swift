import AssayCore

extension HTMLPage {
    /// A conversation cell's turns, in order: each exchange (the message, each decision), how it ended,
    /// its trace, and each turn's components (docs/conversations.md). Empty for a single-turn cell.
    func turnsList(_ cell: CellResult) -> String {
        guard let turns = cell.turns, !turns.isEmpty else { return "" }
        var out = "<ol class=\"turns\" aria-label=\"turns\">"
        for turn in turns {
            out += "<li>turn \(turn.index): "
            out += turn.exchanges.map { x in
                var text = x.kind == .message ? "message" : "decision \(esc(x.decision ?? "?"))"
                if x.afterRestart { text += " (new process)" }
                text += " → "
                switch x.outcome {
                case .answered: text += "answered"
                case .interrupted: text += Self.tag("unscored", "interrupt") + " " + esc(x.interrupt.flatMap { try? JSONValue.parse($0) }
                    .flatMap { AgentInterrupt(answer: $0) }.map { $0.kind } ?? "")
                case .failed: text += Self.tag("error") + " " + esc(x.error ?? "")
                case .timeout: text += Self.tag("error", "timeout")
                }
                if let largest = x.callInputTokens.max() { text += " · largest input \(largest) tokens" }
                let trace = x.traceID.description
                text += " · <a href=\"\(HTMLPage.traceLink(trace, browser: options.traceBrowser))\">trace \(esc(String(trace.prefix(12))))</a>"
                return text
            }.joined(separator: "; ")
            let judged = turn.components.filter { $0.value != nil }
            if !judged.isEmpty {
                out += "<br>" + judged.map { "\(esc($0.component)) \(ReportFormat.fixed($0.value, 3)) \(Self.tag($0.passed == true ? "pass" : "fail"))" }
                    .joined(separator: " · ")
            }
            out += "</li>"
        }
        out += "</ol>\n"
        return out
    }
}
