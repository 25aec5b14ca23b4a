/// Counts of flagged comparisons during a simulation, for the gate and the fixed threshold.
struct GateSimulationTally {
    /// Counts for one rule.
    struct Counts {
        var falseAlarms = 0
        var detections = 0
        var familyFalseAlarms = 0
        var familyDetections = 0

        func rates(_ trials: Int) -> GateRates {
            let total = Double(trials)
            return GateRates(
                falseAlarm: Double(falseAlarms) / total, power: Double(detections) / total,
                familyFalseAlarm: Double(familyFalseAlarms) / total, familyPower: Double(familyDetections) / total
            )
        }
    }

    var gate = Counts()
    var threshold = Counts()
    /// The sum of the A/A paired differences' standard deviations.
    var spread = 0.0

    /// Adds one cell, with or without a true drop.
    mutating func add(_ samples: PairedSamples, drop: Bool, _ simulation: GateSimulation, _ rng: inout SplitMix64) throws(AssayError) {
        let gateFlag = try simulation.gateFlags([samples], &rng)[0] ? 1 : 0
        let thresholdFlag = simulation.thresholdFlags(samples) ? 1 : 0
        if drop {
            gate.detections += gateFlag
            threshold.detections += thresholdFlag
        } else {
            gate.falseAlarms += gateFlag
            threshold.falseAlarms += thresholdFlag
        }
    }

    /// Adds a family of cells; `dropped` is the index of the cell with a true drop, nil for A/A.
    mutating func add(_ family: [PairedSamples], dropped: Int?, _ simulation: GateSimulation, _ rng: inout SplitMix64) throws(AssayError) {
        let gateFlags = try simulation.gateFlags(family, &rng)
        let thresholdFlags = family.map(simulation.thresholdFlags)
        if let dropped {
            gate.familyDetections += gateFlags[dropped] ? 1 : 0
            threshold.familyDetections += thresholdFlags[dropped] ? 1 : 0
        } else {
            gate.familyFalseAlarms += gateFlags.contains(true) ? 1 : 0
            threshold.familyFalseAlarms += thresholdFlags.contains(true) ? 1 : 0
        }
    }

    func figures(_ trials: Int) -> GateSimulationFigures {
        GateSimulationFigures(gate: gate.rates(trials), fixedThreshold: threshold.rates(trials), spread: spread / Double(trials))
    }
}
