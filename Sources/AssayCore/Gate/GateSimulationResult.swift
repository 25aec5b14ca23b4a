/// How often a regression rule fires in simulated comparisons.
public struct GateRates: Hashable, Sendable {
    /// The share of A/A comparisons (no real change) of one cell flagged as a regression.
    public var falseAlarm: Double
    /// The share of comparisons of one cell with a true drop flagged as a regression.
    public var power: Double
    /// The share of A/A comparisons of a family of cells in which any cell was flagged.
    public var familyFalseAlarm: Double
    /// The share of family comparisons, one cell of which has a true drop, in which that cell was flagged.
    public var familyPower: Double

    /// Creates rates.
    public init(falseAlarm: Double, power: Double, familyFalseAlarm: Double, familyPower: Double) {
        self.falseAlarm = falseAlarm
        self.power = power
        self.familyFalseAlarm = familyFalseAlarm
        self.familyPower = familyPower
    }
}

/// The gate and the fixed-threshold practice on the same simulated runs, for one kind of score.
public struct GateSimulationFigures: Hashable, Sendable {
    /// The gate: regressed verdicts (Holm across the family's cells).
    public var gate: GateRates
    /// The common practice: flag a cell when its mean dropped by more than the minimum effect.
    public var fixedThreshold: GateRates
    /// The mean standard deviation of the paired differences in the A/A comparisons, for context.
    public var spread: Double

    /// Creates figures.
    public init(gate: GateRates, fixedThreshold: GateRates, spread: Double) {
        self.gate = gate
        self.fixedThreshold = fixedThreshold
        self.spread = spread
    }
}

/// The soundness figures of the gate: continuous scores and pass/fail outcomes.
public struct GateSimulationResult: Hashable, Sendable {
    /// The simulation that produced these figures.
    public var simulation: GateSimulation
    /// Continuous scores, decided by the paired bootstrap.
    public var continuous: GateSimulationFigures
    /// Pass/fail outcomes, decided by the exact McNemar test.
    public var passFail: GateSimulationFigures

    /// Creates a result.
    public init(simulation: GateSimulation, continuous: GateSimulationFigures, passFail: GateSimulationFigures) {
        self.simulation = simulation
        self.continuous = continuous
        self.passFail = passFail
    }
}
