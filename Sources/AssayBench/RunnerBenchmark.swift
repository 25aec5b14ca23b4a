import ArgumentParser
import AssayCore
import AssayEval
import AssayRunner
import AssaySQLite
import Foundation

/// `assay-bench run`: the runner's overhead per cell beyond the agent's own time, and cells per
/// second, with the trivial example agent (`assay-example-agent --trivial`), in process and persistent mode.
struct RunnerBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Runner overhead per cell and cells/s, process and persistent mode (trivial agent).")

    @Option(help: "Examples in the dataset (× 3 tiers = cells).") var examples = 200
    @Option(help: "Concurrency for the throughput figure (the default of a suite is 4).") var concurrency = 4

    func run() async throws {
        let agent = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("assay-example-agent").path
        guard FileManager.default.isExecutableFile(atPath: agent) else { throw ValidationError("build assay-example-agent first: \(agent)") }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("assay-bench-run-\(getpid())")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("Datasets"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let lines = (0..<examples).map { #"{"id":"e\#(String(format: "%05d", $0))","input":"x\#($0)","expected":"ok","status":"ready"}"# }
        try (lines.joined(separator: "\n") + "\n").write(to: folder.appendingPathComponent("Datasets/d.jsonl"), atomically: true, encoding: .utf8)
        print("runner benchmark: \(examples) examples × 3 tiers = \(examples * 3) cells, trivial agent, end-to-end exact match")
        print("mode           concurrency  cells/s   wall/cell  agent/cell  overhead/cell")
        // The third mode answers without exporting spans: the runner's own cost, without the agent's export.
        for (persistent, spans) in [(false, true), (true, true), (true, false)] {
            for c in [1, concurrency] {
                let suiteText = """
                    agent:
                      command: [\(agent), --trivial\(persistent ? ", --persistent" : "")\(spans ? "" : ", --fail-mode, nospans")]
                      mode: \(persistent ? "persistent" : "process")
                    tiers:
                      low: {model: a}
                      mid: {model: b}
                      frontier: {model: c}
                    datasets: [Datasets/d.jsonl]
                    end_to_end:
                      scorers: [{kind: exact_match}]
                    concurrency: \(c)
                    """
                let suitePath = folder.appendingPathComponent("assay.yaml").path
                try suiteText.write(toFile: suitePath, atomically: true, encoding: .utf8)
                let suite = try SuiteLoader(scorers: ScorerFileLoader()).load(suitePath)
                let store = try SQLiteTraceStore(path: folder.appendingPathComponent("bench-\(persistent)-\(spans)-\(c).sqlite").path)
                var options = Runner.Options()
                options.quiet = true
                let started = DispatchTime.now().uptimeNanoseconds
                let run = try await Runner(suite: suite, store: store).start(options: options)
                let wall = Double(DispatchTime.now().uptimeNanoseconds - started)
                let cells = Double(run.cells.count)
                let agentTime = Double(run.cells.map(\.latencyNanos).reduce(0, +)) / cells
                let wallPerCell = wall * Double(c) / cells
                print((persistent ? spans ? "persistent" : "pers. no spans" : "process").padding(toLength: 15, withPad: " ", startingAt: 0) + String(format: "%11d  %7.0f  %7.2f ms  %7.2f ms  %9.2f ms", c,
                             cells / (wall / 1e9), wallPerCell / 1e6, agentTime / 1e6, (wallPerCell - agentTime) / 1e6))
                guard run.cells.allSatisfy({ $0.status == .ok }) else { throw ValidationError("some cells failed") }
            }
        }
        print("overhead/cell = wall time × concurrency / cells − the agent's own time per cell (start to answer).")
    }
}
