extension TraceStore {
    /// One session with every turn's trace and the feedback on the turns and on the whole session,
    /// or nil when no stored trace carries this session id (docs/conversations.md, "Sessions").
    ///
    /// ```swift
    /// if let session = try store.session("conv-42") {
    ///     for turn in session.turns { print(turn.index, turn.input ?? "-", turn.answer ?? "-") }
    /// }
    /// ```
    ///
    /// - Parameter prices: prices each turn's model calls.
    public func session(_ id: String, prices: PriceTable = .pinned) throws -> Session? {
        let ids = try sessionTurns(id).map(\.traceID)
        guard !ids.isEmpty else { return nil }
        return Session(id: id, traces: try traces(ids), feedback: try feedback(for: ids), prices: prices)
    }
}
