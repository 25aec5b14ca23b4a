extension TraceCost {
    /// The cost of a trace from its summary's usage by model. A trace with model calls whose summary
    /// carries no usage by model (a store written before it kept one) costs `unknown`.
    public init(summary: TraceSummary, prices: PriceTable) {
        self.init(usage: summary.usage, prices: prices)
        if summary.usage.isEmpty, summary.operations.contains(where: { $0 == .chat || $0 == .embeddings }) {
            usageMissing = "the store kept no per-model token counts for this trace (ingest it again)"
        }
    }
}
