/// Comparing, splitting and exporting datasets.
public enum DatasetTools {
    /// How two datasets differ, by example id.
    public struct Diff: Sendable, Hashable {
        /// Ids only in the second.
        public var added: [String] = []
        /// Ids only in the first.
        public var removed: [String] = []
        /// Ids in both whose content differs, with the top-level fields that differ.
        public var changed: [(id: String, fields: [String])] = []
        /// Ids in both with the same content.
        public var same = 0

        public static func == (a: Diff, b: Diff) -> Bool {
            a.added == b.added && a.removed == b.removed && a.same == b.same
                && a.changed.map(\.id) == b.changed.map(\.id) && a.changed.map(\.fields) == b.changed.map(\.fields)
        }
        public func hash(into h: inout Hasher) { h.combine(added); h.combine(removed); h.combine(same) }
    }

    /// An example whose input is the same as an earlier example's.
    public struct Duplicate: Sendable, Hashable {
        /// The later example.
        public var id: String
        /// The earlier example with the same input.
        public var sameAs: String
    }

    /// Every example whose input (as canonical JSON; for a multi-turn example, its turns' messages)
    /// repeats an earlier one's, in file order.
    public static func duplicateInputs(_ examples: [DatasetExample]) -> [Duplicate] {
        var first: [String: String] = [:]
        var out: [Duplicate] = []
        for e in examples {
            let key = e.inputKey
            if let earlier = first[key] { out.append(Duplicate(id: e.id, sameAs: earlier)) } else { first[key] = e.id }
        }
        return out
    }

    /// The difference from `a` to `b`; promotion times are ignored. A multi-turn example's changes are
    /// named by turn (`turns[1]`), and `turns` when the number of turns changed.
    public static func diff(_ a: [DatasetExample], _ b: [DatasetExample]) -> Diff {
        let left = Dictionary(a.map { ($0.id, $0) }, uniquingKeysWith: { x, _ in x })
        let right = Dictionary(b.map { ($0.id, $0) }, uniquingKeysWith: { x, _ in x })
        var d = Diff()
        d.removed = left.keys.filter { right[$0] == nil }.sorted()
        d.added = right.keys.filter { left[$0] == nil }.sorted()
        for id in left.keys.filter({ right[$0] != nil }).sorted() {
            let x = left[id]!, y = right[id]!
            var fields: [String] = []
            if x.isConversation != y.isConversation || (!x.isConversation && x.input.canonicalJSON != y.input.canonicalJSON) {
                fields.append("input")
            }
            fields += turnChanges(x.turns ?? [], y.turns ?? [])
            if (x.expected ?? .null).canonicalJSON != (y.expected ?? .null).canonicalJSON { fields.append("expected") }
            if DatasetLine.memory(x.memory).canonicalJSON != DatasetLine.memory(y.memory).canonicalJSON { fields.append("memory") }
            for name in Set(x.components.keys).union(y.components.keys).sorted() {
                let cx = x.components[name].map { DatasetLine.components([name: $0]).canonicalJSON }
                let cy = y.components[name].map { DatasetLine.components([name: $0]).canonicalJSON }
                if cx != cy { fields.append("components.\(name)") }
            }
            if x.metadata.canonicalJSON != y.metadata.canonicalJSON { fields.append("metadata") }
            if x.provenance?.traceID != y.provenance?.traceID || x.provenance?.sessionID != y.provenance?.sessionID
                || x.provenance?.turnTraceIDs != y.provenance?.turnTraceIDs { fields.append("provenance") }
            if fields.isEmpty { d.same += 1 } else { d.changed.append((id, fields)) }
        }
        return d
    }

    /// The turns that differ, as `turns[N]`; `turns` alone when the number of turns differs.
    static func turnChanges(_ x: [ExampleTurn], _ y: [ExampleTurn]) -> [String] {
        guard x.count == y.count else { return ["turns"] }
        return zip(x, y).enumerated().compactMap { i, pair in
            DatasetLine.turnText(pair.0) == DatasetLine.turnText(pair.1) ? nil : "turns[\(i)]"
        }
    }

    /// A reproducible train/test split: the ids are sorted, shuffled with the seeded generator, and the
    /// first `round(count × testFraction)` go to test. The same seed and ids give the same split anywhere.
    public static func split(_ examples: [DatasetExample], testFraction: Double, seed: UInt64) -> (train: [DatasetExample], test: [DatasetExample]) {
        var rng = SplitMix64(seed: seed)
        var order = examples.sorted { $0.id < $1.id }
        // Fisher–Yates with the project's generator, not the standard library's unspecified algorithm.
        if order.count > 1 {
            for i in stride(from: order.count - 1, to: 0, by: -1) {
                let j = Int(rng.next() % UInt64(i + 1))
                order.swapAt(i, j)
            }
        }
        let testCount = Int((Double(order.count) * testFraction).rounded())
        let test = order.prefix(testCount).sorted { $0.id < $1.id }
        let train = order.dropFirst(testCount).sorted { $0.id < $1.id }
        return (Array(train), Array(test))
    }

    /// The examples as CSV (RFC 4180): id, status, input, expected, components, trace_id, promoted_at,
    /// turns. For a multi-turn example, `input` is its first turn's message, `components` a list of each
    /// turn's components (when any turn has some), and `turns` how many turns it has (empty for a single-turn example).
    /// JSON values are written as compact JSON, strings as they are. A cell that a spreadsheet would
    /// run as a formula (starting with `=`, `+`, `-`, `@`, tab or carriage return) gets a leading `'`.
    public static func csv(_ examples: [DatasetExample]) -> String {
        var out = "id,status,input,expected,components,trace_id,promoted_at,turns\r\n"
        for e in examples {
            let components = e.turns.map { turns in
                turns.allSatisfy(\.components.isEmpty) ? "" : JSONValue.array(turns.map { DatasetLine.components($0.components) }).canonicalJSON
            } ?? (e.components.isEmpty ? "" : DatasetLine.components(e.components).canonicalJSON)
            let cells = [e.id, e.status.rawValue, e.input.text, e.expected?.text ?? "", components,
                         e.provenance?.traceID ?? "", e.provenance?.promotedAt ?? "", e.turns.map { String($0.count) } ?? ""]
            out += cells.map(cell).joined(separator: ",") + "\r\n"
        }
        return out
    }

    private static func cell(_ text: String) -> String {
        var t = text
        if let first = t.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { t = "'" + t }
        if t.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) || t != text {
            return "\"" + t.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return t
    }
}
