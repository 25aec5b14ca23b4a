import Foundation

/// Ranked-retrieval metrics with binary relevance: a retrieved id is relevant when it is one of the
/// expected ids. A repeated id counts once, at its first rank. `k` larger than the list is fine: the
/// missing ranks retrieve nothing.
public struct RetrievalMetrics: Sendable, Hashable {
    /// The retrieved ids in rank order, duplicates removed.
    public let retrieved: [String]
    /// The relevant ids.
    public let relevant: Set<String>

    /// Creates the metrics for a ranking against the relevant ids.
    public init(retrieved: [String], relevant: some Sequence<String>) {
        var seen = Set<String>()
        self.retrieved = retrieved.filter { seen.insert($0).inserted }
        self.relevant = Set(relevant)
    }

    /// How many of the top `k` are relevant.
    public func hits(at k: Int) -> Int { retrieved.prefix(max(k, 0)).filter(relevant.contains).count }

    /// The share of the relevant ids found in the top `k`; 0 when there are no relevant ids.
    public func recall(at k: Int) -> Double {
        relevant.isEmpty ? 0 : Double(hits(at: k)) / Double(relevant.count)
    }

    /// The share of the top `k` ranks holding a relevant id, divided by `k` even when fewer were
    /// retrieved (the usual definition, as in trec_eval); 0 for `k` below 1.
    public func precision(at k: Int) -> Double {
        k < 1 ? 0 : Double(hits(at: k)) / Double(k)
    }

    /// The reciprocal rank of the first relevant id within the top `k`; 0 when none is.
    public func reciprocalRank(at k: Int) -> Double {
        guard let i = retrieved.prefix(max(k, 0)).firstIndex(where: relevant.contains) else { return 0 }
        return 1 / Double(i + 1)
    }

    /// Normalised discounted cumulative gain over the top `k`: the sum of 1 / log2(rank + 1) over
    /// relevant ranks, over the same sum for an ideal ranking; 0 when there are no relevant ids.
    public func ndcg(at k: Int) -> Double {
        let ideal = (0..<min(max(k, 0), relevant.count)).reduce(0.0) { $0 + 1 / log2(Double($1) + 2) }
        guard ideal > 0 else { return 0 }
        var dcg = 0.0
        for (i, id) in retrieved.prefix(k).enumerated() where relevant.contains(id) { dcg += 1 / log2(Double(i) + 2) }
        return dcg / ideal
    }
}
