/// Joins the runs of shards into one run.
public enum RunMerge {
    /// Why shards cannot be joined.
    public struct MergeError: Error, CustomStringConvertible {
        public var description: String
    }

    /// The union of the shards' cells, in cell order, under one new id. Shards must share the suite
    /// and dataset versions, and no cell may be in two of them.
    public static func merge(_ parts: [RunRecord], id: String) throws(MergeError) -> RunRecord {
        guard var first = parts.first else { throw MergeError(description: "nothing to merge") }
        var seen: [CellKey: String] = [:]
        var cells: [CellResult] = []
        var planned = 0
        for p in parts {
            guard p.suiteHash == first.suiteHash else { throw MergeError(description: "run \(p.id) ran another suite than \(first.id)") }
            guard p.datasetVersions == first.datasetVersions else { throw MergeError(description: "run \(p.id) ran other dataset versions than \(first.id)") }
            for c in p.cells {
                if let other = seen[c.key] { throw MergeError(description: "cell \(c.key) is in both \(other) and \(p.id)") }
                seen[c.key] = p.id
                cells.append(c)
            }
            planned += p.plannedCells
        }
        first.id = id
        first.shard = nil
        first.cells = cells.sorted { $0.key < $1.key }
        first.plannedCells = planned
        first.startedAt = parts.map(\.startedAt).min() ?? first.startedAt
        first.state = parts.allSatisfy { $0.state == .finished } ? .finished : .interrupted
        return first
    }
}
