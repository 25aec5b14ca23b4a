/// One cell of the gate: a component (a scorer, a metric) measured on one tier of the dataset.
///
/// The gate tests each cell separately and corrects for the number of cells with Holm's method.
public struct GateCell: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The component, e.g. a scorer name such as `exact_match`.
    public var component: String
    /// The tier, e.g. `easy` or `smoke`; any label that splits the examples.
    public var tier: String

    /// Creates a cell key.
    public init(component: String, tier: String) {
        self.component = component
        self.tier = tier
    }

    /// `component × tier`.
    public var description: String { "\(component) × \(tier)" }

    /// Orders by component, then tier, so that reports list cells in a stable order.
    public static func < (lhs: GateCell, rhs: GateCell) -> Bool {
        (lhs.component, lhs.tier) < (rhs.component, rhs.tier)
    }
}
