import ArgumentParser
import AssayCore
import Foundation

/// `assay-bench gate`: is the gate sound? A/A false alarms and power on a true drop, over simulated
/// paired runs with a fixed seed, next to a fixed threshold on the mean (docs/gate.md).
struct GateBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gate", abstract: "The gate's false-alarm rate and power on simulated runs, against a fixed threshold.")

    @Option(help: "The seed of the simulation.") var seed: UInt64 = 1
    @Option(help: "Simulated comparisons.") var trials = 1000
    @Option(help: "Paired examples per comparison.") var examples = 200
    @Option(help: "The true drop, in score points (0.05 = 5 points).") var drop = 0.05

    func run() throws {
        let started = DispatchTime.now().uptimeNanoseconds
        let r = try GateSimulation.run(seed: seed, trials: trials, examples: examples, drop: drop, alpha: 0.05, minEffect: 0.02)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        print("gate soundness: seed \(seed), \(trials) trials, \(examples) paired examples, true drop \(drop), alpha 0.05, min-effect 0.02, families of \(r.simulation.cells) cells (\(String(format: "%.1f", seconds)) s)")
        print("scores      rule             A/A false alarm  power  family false alarm  family power")
        for (name, figures) in [("continuous", r.continuous), ("pass/fail", r.passFail)] {
            for (rule, rates) in [("gate", figures.gate), ("fixed 2 points", figures.fixedThreshold)] {
                let label = name.padding(toLength: 12, withPad: " ", startingAt: 0) + rule.padding(toLength: 17, withPad: " ", startingAt: 0)
                print(label + String(format: "%15.3f  %5.3f  %18.3f  %12.3f", rates.falseAlarm, rates.power, rates.familyFalseAlarm, rates.familyPower))
            }
        }
    }
}
