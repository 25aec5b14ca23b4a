extension RunRecord {
    /// What went through the model gateway and whether it was replayed from the LLM cache, as one
    /// sentence for the terminal and the reports; nil when no call went through it.
    ///
    /// `model calls through the gateway: 48, all replayed from the LLM cache (llm_cache: replay): nothing was spent`
    public var gatewaySummary: String? {
        let (calls, replayed) = gatewayCalls
        guard calls > 0 else { return nil }
        let mode = llmCache ?? "off"
        var line = "model calls through the gateway: \(calls)"
        if allCallsReplayed { line += ", all replayed from the LLM cache (llm_cache: \(mode)): nothing was spent" }
        else if replayed > 0 { line += ", \(replayed) replayed from the LLM cache (llm_cache: \(mode))" }
        else if mode != "off" { line += " (llm_cache: \(mode))" }
        return line
    }

    /// Model calls through the gateway over the run's cells, and how many were replayed.
    public var gatewayCalls: (calls: Int, replayed: Int) {
        cells.reduce((0, 0)) { ($0.0 + ($1.modelCalls ?? 0), $0.1 + ($1.replayedCalls ?? 0)) }
    }

    /// True when calls went through the gateway and every one was replayed: nothing was spent.
    public var allCallsReplayed: Bool {
        let (calls, replayed) = gatewayCalls
        return calls > 0 && replayed == calls
    }
}
