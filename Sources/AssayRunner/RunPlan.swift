package import AssayCore
import AssayEval
import Foundation

/// The cells of a run: every example of the datasets on every tier, under the clean condition and
/// each fault plan, every repeat, in a stable order, optionally one shard of them.
package struct RunPlan: Sendable {
    /// One example to run.
    package struct Example: Sendable {
        package var id: String
        package var input: JSONValue
        package var expected: JSONValue?
        package var components: [String: ComponentCase]
        /// The turns of a multi-turn example; nil for a single-turn one.
        package var turns: [ExampleTurn]? = nil
        /// The facts a later turn must use.
        package var memory: [MemoryFact] = []
    }

    /// The examples by id.
    package var examples: [String: Example]
    /// The cells, sorted.
    package var cells: [CellKey]
    /// Dataset name → version.
    package var datasetVersions: [String: String]

    /// Whether any example is a conversation (the conversation scorers then join the run's components).
    package var hasConversations: Bool { examples.values.contains { $0.turns != nil } }

    /// Plans a suite's cells, or those of one shard; `conditions` are the fault plans the examples
    /// also run under (docs/resilience.md).
    package static func make(_ suite: Suite, shard: Shard? = nil, conditions: [String] = []) throws -> RunPlan {
        var examples: [String: Example] = [:]
        var versions: [String: String] = [:]
        var order: [String] = []
        for path in suite.datasets {
            let loaded = try DatasetFolder.read(path)
            if !loaded.problems.isEmpty { throw RunnerError.invalidDataset(path, loaded.problems) }
            let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
            versions[name] = loaded.version
            for e in loaded.examples {
                if examples[e.id] != nil { throw RunnerError.duplicateExample(e.id, path) }
                examples[e.id] = Example(id: e.id, input: e.input, expected: e.expected, components: e.components, turns: e.turns, memory: e.memory)
                order.append(e.id)
            }
        }
        var cells: [CellKey] = []
        for id in order.sorted() {
            // Fault plans are played on single-turn examples only: a conversation runs clean.
            let planned = examples[id]?.turns == nil ? conditions : []
            for tier in suite.tiers {
                for condition in [nil] + planned.map(Optional.some) {
                    for r in 0..<suite.repeats { cells.append(CellKey(example: id, tier: tier.info.name, repeatIndex: r, condition: condition)) }
                }
            }
        }
        if let shard { cells = cells.filter { Self.shard(of: $0, count: shard.count) == shard.index - 1 } }
        return RunPlan(examples: examples, cells: cells, datasetVersions: versions)
    }

    /// The shard (0-based) a cell belongs to: a hash of its key, so shards are stable whatever the order.
    package static func shard(of key: CellKey, count: Int) -> Int {
        let digest = SHA256.hex(key.description)
        return Int(UInt64(digest.prefix(15), radix: 16)! % UInt64(count))
    }
}
