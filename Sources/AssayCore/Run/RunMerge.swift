/// Joins the runs of shards into one run.
public enum RunMerge {
    /// The union of the shards' cells, in cell order, under one new id. Shards must share the suite
    /// and dataset versions, and no cell may be in two of them.
    ///
    /// - Throws: `AssayError.conflict` saying why the runs cannot be joined.
    public static func merge(_ parts: [RunRecord], id: String) throws(AssayError) -> RunRecord {
        guard var first = parts.first else { throw AssayError.conflict(place: "merge", problem: "nothing to merge") }
        // Shards of one sharded run must all be there: a missing shard would pass for a smaller run.
        let shards = parts.compactMap(\.shard)
        if shards.count == parts.count, let count = shards.first?.count {
            guard shards.allSatisfy({ $0.count == count }) else { throw AssayError.conflict(place: "merge", problem: "the runs are shards of different splits (\(Set(shards.map(\.count)).sorted()) shards)") }
            let missing = Set(1...count).subtracting(shards.map(\.index)).sorted()
            guard missing.isEmpty else {
                throw AssayError.conflict(place: "merge", problem: "shard \(missing.map { "\($0)/\(count)" }.joined(separator: ", ")) is missing; give every shard's run")
            }
        }
        var seen: [CellKey: String] = [:]
        var cells: [CellResult] = []
        var planned = 0
        for p in parts {
            guard p.suiteHash == first.suiteHash else { throw AssayError.conflict(place: "merge", problem: "run \(p.id) ran another suite than \(first.id)") }
            guard p.datasetVersions == first.datasetVersions else { throw AssayError.conflict(place: "merge", problem: "run \(p.id) ran other dataset versions than \(first.id)") }
            guard p.conditions == first.conditions else {
                throw AssayError.conflict(place: "merge", problem: "run \(p.id) ran other fault plans (\(p.conditions.joined(separator: ", "))) than \(first.id) (\(first.conditions.joined(separator: ", ")))")
            }
            for c in p.cells {
                if let other = seen[c.key] { throw AssayError.conflict(place: "merge", problem: "cell \(c.key) is in both \(other) and \(p.id)") }
                seen[c.key] = p.id
                cells.append(c)
            }
            planned += p.plannedCells
        }
        first.id = id
        first.shard = nil
        first.cells = cells.sorted { $0.key < $1.key }
        first.plannedCells = planned
        first.startedAtUnixNano = parts.map(\.startedAtUnixNano).min() ?? first.startedAtUnixNano
        first.state = parts.allSatisfy { $0.state == .finished } ? .finished : .interrupted
        return first
    }
}
