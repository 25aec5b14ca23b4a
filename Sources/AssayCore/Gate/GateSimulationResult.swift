/// How often a regression rule fires in simulated comparisons.
package struct GateRates: Hashable, Sendable {
    /// The share of A/A comparisons (no real change) of one cell flagged as a regression.
    package var falseAlarm: Double
    /// The share of comparisons of one cell with a true drop flagged as a regression.
    package var power: Double
    /// The share of A/A comparisons of a family of cells in which any cell was flagged.
    package var familyFalseAlarm: Double
    /// The share of family comparisons, one cell of which has a true drop, in which that cell was flagged.
    package var familyPower: Double

    /// Creates rates.
    package init(falseAlarm: Double, power: Double, familyFalseAlarm: Double, familyPower: Double) {
        self.falseAlarm = falseAlarm
        self.power = power
        self.familyFalseAlarm = familyFalseAlarm
        self.familyPower = familyPower
    }
}

/// The gate and the fixed-threshold practice on the same simulated runs, for one kind of score.
package struct GateSimulationFigures: Hashable, Sendable {
    /// The gate: regressed verdicts (Holm across the family's cells).
    package var gate: GateRates
    /// The common practice: flag a cell when its mean dropped by more than the minimum effect.
    package var fixedThreshold: GateRates
    /// The mean standard deviation of the paired differences in the A/A comparisons, for context.
    package var spread: Double

    /// Creates figures.
    package init(gate: GateRates, fixedThreshold: GateRates, spread: Double) {
        self.gate = gate
        self.fixedThreshold = fixedThreshold
        self.spread = spread
    }
}

/// The soundness figures of the gate: continuous scores and pass/fail outcomes.
package struct GateSimulationResult: Hashable, Sendable {
    /// The simulation that produced these figures.
    package var simulation: GateSimulation
    /// Continuous scores, decided by the paired bootstrap.
    package var continuous: GateSimulationFigures
    /// Pass/fail outcomes, decided by the exact McNemar test.
    package var passFail: GateSimulationFigures

    /// Creates a result.
    package init(simulation: GateSimulation, continuous: GateSimulationFigures, passFail: GateSimulationFigures) {
        self.simulation = simulation
        self.continuous = continuous
        self.passFail = passFail
    }
}
