import Foundation

/// The JSON form of a run, as the store, run files and `assay merge` keep it.
///
/// Format 2 (this version) writes `formatVersion`, times as integer nanoseconds since the Unix epoch
/// (`startedAtUnixNano`, `finishedAtUnixNano`) and trace ids as hex. Format 1 (no `formatVersion`)
/// kept ISO 8601 times (`startedAt`, `finishedAt`), which are read to the millisecond. A newer format
/// is refused with a sentence that says so, rather than read wrongly.
extension RunRecord: Codable {
    private enum Keys: String, CodingKey {
        case formatVersion, id, suitePath, suiteHash, suiteText, gitRevision, datasetVersions, assayVersion, tiers, components
        case thresholds, shard, startedAtUnixNano, startedAt, state, plannedCells, routingMargin, llmCache, conditions, cells
    }

    /// Decodes a run of format 1 or 2.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        let version = try c.decodeIfPresent(Int.self, forKey: .formatVersion) ?? 1
        guard version <= Self.formatVersion else {
            throw DecodingError.dataCorruptedError(forKey: .formatVersion, in: c, debugDescription:
                "the run is in format \(version), newer than this Assay reads (\(Self.formatVersion)); use a newer Assay")
        }
        self.init(id: try c.decode(String.self, forKey: .id), suitePath: try c.decode(String.self, forKey: .suitePath),
                  suiteHash: try c.decode(String.self, forKey: .suiteHash), suiteText: try c.decode(String.self, forKey: .suiteText),
                  gitRevision: try c.decodeIfPresent(String.self, forKey: .gitRevision),
                  datasetVersions: try c.decode([String: String].self, forKey: .datasetVersions),
                  assayVersion: try c.decode(String.self, forKey: .assayVersion), tiers: try c.decode([TierInfo].self, forKey: .tiers),
                  components: try c.decode([String].self, forKey: .components),
                  thresholds: try c.decode([String: Double].self, forKey: .thresholds),
                  shard: try c.decodeIfPresent(Shard.self, forKey: .shard),
                  startedAtUnixNano: try RunTime.decode(c, nanos: .startedAtUnixNano, iso: .startedAt),
                  state: try c.decode(RunState.self, forKey: .state), plannedCells: try c.decode(Int.self, forKey: .plannedCells),
                  cells: try c.decode([CellResult].self, forKey: .cells))
        routingMargin = try c.decodeIfPresent(Double.self, forKey: .routingMargin)
        llmCache = try c.decodeIfPresent(String.self, forKey: .llmCache)
        conditions = try c.decodeIfPresent([String].self, forKey: .conditions) ?? []
    }

    /// Encodes the run in format 2.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(Self.formatVersion, forKey: .formatVersion)
        try c.encode(id, forKey: .id)
        try c.encode(suitePath, forKey: .suitePath)
        try c.encode(suiteHash, forKey: .suiteHash)
        try c.encode(suiteText, forKey: .suiteText)
        try c.encodeIfPresent(gitRevision, forKey: .gitRevision)
        try c.encode(datasetVersions, forKey: .datasetVersions)
        try c.encode(assayVersion, forKey: .assayVersion)
        try c.encode(tiers, forKey: .tiers)
        try c.encode(components, forKey: .components)
        try c.encode(thresholds, forKey: .thresholds)
        try c.encodeIfPresent(shard, forKey: .shard)
        try c.encode(startedAtUnixNano, forKey: .startedAtUnixNano)
        try c.encode(state, forKey: .state)
        try c.encode(plannedCells, forKey: .plannedCells)
        try c.encodeIfPresent(routingMargin, forKey: .routingMargin)
        try c.encodeIfPresent(llmCache, forKey: .llmCache)
        if !conditions.isEmpty { try c.encode(conditions, forKey: .conditions) }
        try c.encode(cells, forKey: .cells)
    }
}

extension CellResult: Codable {
    private enum Keys: String, CodingKey {
        case key, status, error, traceID, output, components, inputTokens, outputTokens, costUSD, latencyNanos, attempts
        case finishedAtUnixNano, finishedAt, agentSpans, modelCalls, replayedCalls, restarts, faults, conversationID, turns, conversationStopped
    }

    /// Decodes a cell of format 1 or 2.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        let trace = try c.decodeIfPresent(String.self, forKey: .traceID) ?? ""
        var traceID: TraceID?
        if !trace.isEmpty {
            guard let id = TraceID(hex: trace) else {
                throw DecodingError.dataCorruptedError(forKey: .traceID, in: c, debugDescription: "expected 32 hex characters, got \(DisplayFormat.safe(trace))")
            }
            traceID = id
        }
        self.init(key: try c.decode(CellKey.self, forKey: .key), status: try c.decode(CellStatus.self, forKey: .status),
                  error: try c.decodeIfPresent(String.self, forKey: .error), traceID: traceID,
                  output: try c.decodeIfPresent(String.self, forKey: .output), components: try c.decode([ComponentResult].self, forKey: .components),
                  inputTokens: try c.decode(Int64.self, forKey: .inputTokens), outputTokens: try c.decode(Int64.self, forKey: .outputTokens),
                  costUSD: try c.decode(Double.self, forKey: .costUSD), latencyNanos: try c.decode(UInt64.self, forKey: .latencyNanos),
                  attempts: try c.decode(Int.self, forKey: .attempts),
                  finishedAtUnixNano: try RunTime.decode(c, nanos: .finishedAtUnixNano, iso: .finishedAt),
                  agentSpans: try c.decodeIfPresent(Int.self, forKey: .agentSpans))
        modelCalls = try c.decodeIfPresent(Int.self, forKey: .modelCalls)
        replayedCalls = try c.decodeIfPresent(Int.self, forKey: .replayedCalls)
        restarts = try c.decodeIfPresent(Int.self, forKey: .restarts)
        faults = try c.decodeIfPresent([String].self, forKey: .faults)
        conversationID = try c.decodeIfPresent(String.self, forKey: .conversationID)
        turns = try c.decodeIfPresent([TurnRecord].self, forKey: .turns)
        conversationStopped = try c.decodeIfPresent(String.self, forKey: .conversationStopped)
    }

    /// Encodes the cell in format 2.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(key, forKey: .key)
        try c.encode(status, forKey: .status)
        try c.encodeIfPresent(error, forKey: .error)
        try c.encodeIfPresent(traceID?.description, forKey: .traceID)
        try c.encodeIfPresent(output, forKey: .output)
        try c.encode(components, forKey: .components)
        try c.encode(inputTokens, forKey: .inputTokens)
        try c.encode(outputTokens, forKey: .outputTokens)
        try c.encode(costUSD, forKey: .costUSD)
        try c.encode(latencyNanos, forKey: .latencyNanos)
        try c.encode(attempts, forKey: .attempts)
        try c.encode(finishedAtUnixNano, forKey: .finishedAtUnixNano)
        try c.encodeIfPresent(agentSpans, forKey: .agentSpans)
        try c.encodeIfPresent(modelCalls, forKey: .modelCalls)
        try c.encodeIfPresent(replayedCalls, forKey: .replayedCalls)
        try c.encodeIfPresent(restarts, forKey: .restarts)
        try c.encodeIfPresent(faults, forKey: .faults)
        try c.encodeIfPresent(conversationID, forKey: .conversationID)
        try c.encodeIfPresent(turns, forKey: .turns)
        try c.encodeIfPresent(conversationStopped, forKey: .conversationStopped)
    }
}

/// Reads a time kept as integer nanoseconds (format 2) or as ISO 8601 text (format 1).
private enum RunTime {
    static func decode<K: CodingKey>(_ c: KeyedDecodingContainer<K>, nanos: K, iso: K) throws -> UInt64 {
        if let value = try c.decodeIfPresent(UInt64.self, forKey: nanos) { return value }
        let text = try c.decode(String.self, forKey: iso)
        guard let value = TimeBound.instant(text) else {
            throw DecodingError.dataCorruptedError(forKey: iso, in: c, debugDescription: "expected an ISO 8601 time, got \(DisplayFormat.safe(text))")
        }
        return value
    }
}
