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
    @Flag(help: "The table of docs/gate.md: n × repeats × drop, the gate against the earlier two-sided gate and a fixed threshold.")
    var table = false

    func run() throws {
        if table { return try printTable() }
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

    /// For n ∈ {12, 30, 60, 200} examples × repeats ∈ {1, 3} × true drop ∈ {0, 10, 20} points, pass/fail
    /// and continuous: the false-alarm rate (drop 0) or the power, for one cell and for one dropped cell
    /// among 6 gated cells, by the gate (one-sided, Holm over the family), the earlier gate (two-sided)
    /// and "the mean dropped by more than 2 points". min-effect 0.05, alpha 0.05.
    func printTable() throws {
        let started = DispatchTime.now().uptimeNanoseconds
        print("gate table: seed \(seed), \(trials) trials per row, alpha 0.05, min-effect 0.05, families of 6 cells")
        print("| scores | n | repeats | drop | gate: 1 cell | gate: 1 of 6 | earlier gate: 1 cell | earlier gate: 1 of 6 | mean dropped > 2 pts: 1 cell | 1 of 6 |")
        print("|---|---|---|---|---|---|---|---|---|---|")
        for n in [12, 30, 60, 200] {
            for repeats in [1, 3] {
                for drop in [0.0, 0.10, 0.20] {
                    var rows: [String: [String]] = [:]
                    for legacy in [false, true] {
                        var c = GateConfiguration(alpha: 0.05, minEffect: 0.05)
                        c.legacyTwoSided = legacy
                        var sim = GateSimulation(seed: seed, trials: trials, examples: n, drop: drop == 0 ? 0.05 : drop, configuration: c)
                        sim.repeats = repeats
                        let r = try sim.run()
                        for (name, f) in [("pass/fail", r.passFail), ("continuous", r.continuous)] {
                            // With no drop the "power" columns are A/A rates too: report the false alarms.
                            let one = drop == 0 ? f.gate.falseAlarm : f.gate.power
                            let family = drop == 0 ? f.gate.familyFalseAlarm : f.gate.familyPower
                            rows[name, default: []] += [String(format: "%.3f", one), String(format: "%.3f", family)]
                            if legacy {
                                let t1 = drop == 0 ? f.fixedThreshold.falseAlarm : f.fixedThreshold.power
                                let t6 = drop == 0 ? f.fixedThreshold.familyFalseAlarm : f.fixedThreshold.familyPower
                                rows[name]! += [String(format: "%.3f", t1), String(format: "%.3f", t6)]
                            }
                        }
                    }
                    for name in ["pass/fail", "continuous"] {
                        let label = drop == 0 ? "0 (A/A: false alarms)" : "\(Int(drop * 100)) points"
                        print("| \(name) | \(n) | \(repeats) | \(label) | " + rows[name]!.joined(separator: " | ") + " |")
                    }
                }
            }
        }
        print("(\(String(format: "%.1f", Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)) s)")
    }
}
