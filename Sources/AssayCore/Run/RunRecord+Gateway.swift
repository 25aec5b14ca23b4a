extension RunRecord {
    /// What went through the model gateway and whether it was replayed from the LLM cache, as one
    /// sentence for the terminal and the reports; nil when no call went through it.
    ///
    /// `model calls through the gateway: 48, all replayed from the LLM cache (llm_cache: replay): nothing was spent`
    public var gatewaySummary: String? {
        let calls = cells.reduce(0) { $0 + ($1.modelCalls ?? 0) }
        guard calls > 0 else { return nil }
        let replayed = cells.reduce(0) { $0 + ($1.replayedCalls ?? 0) }
        let mode = llmCache ?? "off"
        var line = "model calls through the gateway: \(calls)"
        if replayed == calls { line += ", all replayed from the LLM cache (llm_cache: \(mode)): nothing was spent" }
        else if replayed > 0 { line += ", \(replayed) replayed from the LLM cache (llm_cache: \(mode))" }
        else if mode != "off" { line += " (llm_cache: \(mode))" }
        return line
    }
}
