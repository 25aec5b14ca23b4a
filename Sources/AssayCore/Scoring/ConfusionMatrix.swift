/// Counts of (expected, observed) label pairs over a run, with accuracy and per-label precision,
/// recall and F1. The `label` scorer records both labels in each score's metadata
/// (`expected_label`, `observed_label`) so that the runner can `add` its scores.
public struct ConfusionMatrix: Sendable, Hashable {
    /// Pair counts: `counts[expected][observed]`.
    public private(set) var counts: [String: [String: Int]] = [:]
    /// How many pairs were added.
    public private(set) var total = 0

    /// Creates an empty matrix.
    public init() {}

    /// Counts one pair.
    public mutating func add(expected: String, observed: String) {
        counts[expected, default: [:]][observed, default: 0] += 1
        total += 1
    }

    /// Counts the labels of a `label` score; ignores scores without them (unscored or other kinds).
    public mutating func add(_ score: Score) {
        guard let e = score.metadata["expected_label"], let o = score.metadata["observed_label"] else { return }
        add(expected: e, observed: o)
    }

    /// Every label seen, expected or observed, sorted.
    public var labels: [String] {
        Set(counts.keys).union(counts.values.flatMap(\.keys)).sorted()
    }

    /// How often `expected` was answered with `observed`.
    public func count(expected: String, observed: String) -> Int { counts[expected]?[observed] ?? 0 }

    /// The share of pairs whose labels agree; nil for an empty matrix.
    public var accuracy: Double? {
        guard total > 0 else { return nil }
        return Double(counts.reduce(0) { $0 + ($1.value[$1.key] ?? 0) }) / Double(total)
    }

    /// Of the answers `label`, the share that were right; nil when `label` was never answered.
    public func precision(of label: String) -> Double? {
        let answered = counts.values.reduce(0) { $0 + ($1[label] ?? 0) }
        return answered == 0 ? nil : Double(count(expected: label, observed: label)) / Double(answered)
    }

    /// Of the examples expecting `label`, the share answered `label`; nil when none expected it.
    public func recall(of label: String) -> Double? {
        let expected = counts[label]?.values.reduce(0, +) ?? 0
        return expected == 0 ? nil : Double(count(expected: label, observed: label)) / Double(expected)
    }

    /// The harmonic mean of precision and recall of `label`; nil when either is undefined.
    public func f1(of label: String) -> Double? {
        guard let p = precision(of: label), let r = recall(of: label) else { return nil }
        return p + r == 0 ? 0 : 2 * p * r / (p + r)
    }

    /// The mean F1 over the expected labels (an undefined F1 counts as 0); nil for an empty matrix.
    public var macroF1: Double? {
        let expected = counts.keys.sorted()
        guard !expected.isEmpty else { return nil }
        return expected.reduce(0.0) { $0 + (f1(of: $1) ?? 0) } / Double(expected.count)
    }
}
