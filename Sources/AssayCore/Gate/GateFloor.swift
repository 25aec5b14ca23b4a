/// A component's absolute floor on the gated tiers: a minimum mean score, a minimum pass rate, or both.
public struct GateFloor: Hashable, Sendable {
    /// The minimum mean score, 0 to 1.
    public var mean: Double?
    /// The minimum pass rate, 0 to 1.
    public var passRate: Double?

    /// Creates a floor.
    public init(mean: Double? = nil, passRate: Double? = nil) {
        self.mean = mean
        self.passRate = passRate
    }
}
