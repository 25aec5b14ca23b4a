import Foundation
import Testing

/// The example suite run by `assay run` with the shipped agents: the Swift one (what the demo runs) and
/// the Python one, instrumented with the unmodified OpenTelemetry SDK from PyPI.
@Suite("The example agents under assay run", .serialized)
struct AgentRunCLITests {
    static let root = AssayProcess.packageRoot

    /// A workspace with the example suite, scorers and dataset, the agent command replaced.
    func workspace(command: [String], examples: Int? = nil) throws -> URL {
        let w = try AssayProcess.workspace()
        let fm = FileManager.default
        try fm.copyItem(at: Self.root.appendingPathComponent("Scorers"), to: w.appendingPathComponent("Scorers"))
        try fm.createDirectory(at: w.appendingPathComponent("Datasets"), withIntermediateDirectories: true)
        var lines = try String(contentsOf: Self.root.appendingPathComponent("Datasets/email-assistant.jsonl"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        if let examples { lines = Array(lines.prefix(examples)) }
        try (lines.joined(separator: "\n") + "\n").write(to: w.appendingPathComponent("Datasets/email-assistant.jsonl"), atomically: true, encoding: .utf8)
        var suite = try String(contentsOf: Self.root.appendingPathComponent("assay.yaml"), encoding: .utf8)
        suite = suite.replacingOccurrences(of: "command: [examples/agents/assay-example-agent, --gateway]",
                                           with: "command: [" + command.map { "\"\($0)\"" }.joined(separator: ", ") + "]")
        try suite.write(to: w.appendingPathComponent("assay.yaml"), atomically: true, encoding: .utf8)
        return w
    }

    @Test("the Swift example agent: every cell scored, retrieval found to be the bottleneck, mid advised for the reply")
    func swiftAgent() throws {
        let agent = AssayProcess.executable.deletingLastPathComponent().appendingPathComponent("assay-example-agent").path
        let w = try workspace(command: [agent])
        let r = try AssayProcess.run(["run", "--quiet", "--faults", "none"], in: w)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("180 of 180 cells"))
        #expect(r.stdout.contains("scaling check: retrieval does not improve"), "\(r.stdout)")
        #expect(!r.stdout.contains("scaling check: triage"))
        #expect(r.stdout.contains("routing: reply: use mid"))
        for file in ["assay-junit.xml", "assay-report.html", "assay-summary.md", "assay-run.json", "traces.html"] {
            #expect(FileManager.default.fileExists(atPath: w.appendingPathComponent("Reports/\(file)").path), "\(file)")
        }
        // The gate of the shipped suite: mid is gated. The unchanged suite passes against its baseline;
        // a change that swaps mid's model for the low tier's is caught, naming triage on mid.
        #expect(try AssayProcess.run(["baseline", "save", "latest"], in: w).status == 0)
        let same = try AssayProcess.run(["run", "--quiet", "--no-reports", "--faults", "none", "--tier", "mid"], in: w)
        #expect(same.status == 0 && same.stdout.contains("gate against Reports/baseline.json: passed"), "\(same.stdout)")
        let suite = try String(contentsOf: w.appendingPathComponent("assay.yaml"), encoding: .utf8)
        try suite.replacingOccurrences(of: "mid:      {model: sim-mid", with: "mid:      {model: sim-low")
            .write(to: w.appendingPathComponent("swapped.yaml"), atomically: true, encoding: .utf8)
        let swapped = try AssayProcess.run(["run", "swapped.yaml", "--quiet", "--no-reports", "--faults", "none", "--tier", "mid"], in: w)
        #expect(swapped.status == 1, "\(swapped.stdout)\(swapped.stderr)")
        #expect(swapped.stdout.contains("FAILED: ") && swapped.stdout.contains("triage on mid regressed"), "\(swapped.stdout)")
        #expect(!swapped.stdout.contains("retrieval on mid regressed"), "retrieval does not depend on the model")
    }

    @Test("the Python agent with the real OpenTelemetry SDK needs no Assay code: its spans land under the cell's root")
    func pythonAgent() throws {
        let python = Self.root.appendingPathComponent(".venv/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: python) else {
            if ProcessInfo.processInfo.environment["CI"] == "true" { Issue.record("CI needs .venv with the OpenTelemetry SDK (.ci/run installs it)") }
            return
        }
        let w = try workspace(command: [python, Self.root.appendingPathComponent("examples/agents/email_assistant.py").path], examples: 3)
        let r = try AssayProcess.run(["run", "--quiet", "--no-reports", "--faults", "none"], in: w)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("9 of 9 cells"), "\(r.stdout)")
        let runs = try AssayProcess.run(["runs"], in: w)
        let id = try #require(runs.stdout.split(separator: "\n").dropFirst().first?.split(separator: " ").first.map(String.init))
        let data = try Data(contentsOf: w.appendingPathComponent("Reports/runs/\(id).json"))
        let run = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let cells = try #require(run["cells"] as? [[String: Any]])
        #expect(cells.allSatisfy { $0["status"] as? String == "ok" })
        #expect(cells.allSatisfy { ($0["inputTokens"] as? Int ?? 0) > 0 }, "token usage came from the SDK's spans")
        let triage = cells.compactMap { ($0["components"] as? [[String: Any]])?.first { $0["component"] as? String == "triage" }?["value"] as? Double }
        #expect(triage.count == 9, "the triage component was found and scored in every cell")
        let trace = try #require(cells.first?["traceID"] as? String)
        let otlp = try AssayProcess.run(["traces", "show", trace, "--otlp"], in: w)
        #expect(otlp.stdout.contains("\"telemetry.sdk.language\"") && otlp.stdout.contains("python"))
        #expect(otlp.stdout.contains("assay.cell"), "the runner's root span is in the same trace")
    }

    @Test("the Python agent on the real openai client calls the tiers' models through the gateway, which records its model calls")
    func pythonAgentThroughGateway() throws {
        guard let python = GatewayStub.clients() else { return }
        let plain = try workspace(command: [AssayProcess.executable.deletingLastPathComponent().appendingPathComponent("assay-example-agent").path], examples: 3)
        let w = try workspace(command: [python, Self.root.appendingPathComponent("examples/agents/email_assistant.py").path, "--openai"], examples: 3)
        // Python with the openai client starts slowly on a loaded CI machine: allow it more than the suite's 30 s.
        let suiteFile = w.appendingPathComponent("assay.yaml")
        try (try String(contentsOf: suiteFile, encoding: .utf8)).replacingOccurrences(of: "timeout_seconds: 30", with: "timeout_seconds: 120")
            .write(to: suiteFile, atomically: true, encoding: .utf8)
        let r = try AssayProcess.run(["run", "--quiet", "--no-reports", "--faults", "none"], in: w)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("9 of 9 cells") && r.stdout.contains("model calls through the gateway: 18"), "\(r.stdout)")
        // The same decisions as the Swift agent in process: the matrix is the same.
        let reference = try AssayProcess.run(["run", "--quiet", "--no-reports", "--faults", "none"], in: plain)
        func matrix(_ text: String) -> [Substring] { text.split(separator: "\n").filter { ["triage", "reply", "tools", "retrieval"].contains($0.split(separator: " ").first ?? "") } }
        #expect(matrix(r.stdout) == matrix(reference.stdout), "\(r.stdout)\n\(reference.stdout)")
        let runs = try AssayProcess.run(["runs"], in: w)
        let id = try #require(runs.stdout.split(separator: "\n").dropFirst().first?.split(separator: " ").first.map(String.init))
        let run = try #require(try JSONSerialization.jsonObject(with: try Data(contentsOf: w.appendingPathComponent("Reports/runs/\(id).json"))) as? [String: Any])
        let cells = try #require(run["cells"] as? [[String: Any]])
        #expect(cells.allSatisfy { $0["status"] as? String == "ok" && $0["modelCalls"] as? Int == 2 })
        // The gateway's chat spans hang under the agent's own span (its traceparent header).
        let trace = try #require(cells.first?["traceID"] as? String)
        let tree = try AssayProcess.run(["traces", "show", trace], in: w)
        #expect(tree.stdout.contains("invoke_agent email_assistant") && tree.stdout.contains("chat sim-"), "\(tree.stdout)")
    }
}
