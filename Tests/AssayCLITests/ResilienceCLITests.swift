import Foundation
import Testing

/// Resilience runs end to end (docs/resilience.md): faults injected into the real `openai` client's
/// calls through the gateway, a crash in the middle of a Python agent's task with and without its
/// checkpoint, a tool fault through the tool proxy, and the same plan giving the same faults twice.
@Suite("Resilience runs under assay run", .serialized)
struct ResilienceCLITests {
    static let root = AssayProcess.packageRoot
    static let agentScript = root.appendingPathComponent("examples/agents/email_assistant.py").path

    /// A workspace with the example scorers, `examples` examples of the shipped eval set and a suite
    /// whose agent is `command`, on `tiers`, with `extra` YAML appended.
    func workspace(command: [String], examples: Int, tiers: [String] = ["low", "frontier"], persistent: Bool = false, extra: String) throws -> URL {
        let w = try AssayProcess.workspace()
        let fm = FileManager.default
        try fm.copyItem(at: Self.root.appendingPathComponent("Scorers"), to: w.appendingPathComponent("Scorers"))
        try fm.createDirectory(at: w.appendingPathComponent("Datasets"), withIntermediateDirectories: true)
        let lines = try String(contentsOf: Self.root.appendingPathComponent("Datasets/email-assistant.jsonl"), encoding: .utf8).split(separator: "\n").prefix(examples)
        try (lines.joined(separator: "\n") + "\n").write(to: w.appendingPathComponent("Datasets/e.jsonl"), atomically: true, encoding: .utf8)
        let prices = ["low": "0.15, output_price: 0.60", "mid": "2.50, output_price: 10.00", "frontier": "15.00, output_price: 60.00"]
        let suite = """
            agent:
              command: [\(command.map { "\"\($0)\"" }.joined(separator: ", "))]
              timeout_seconds: 120
              mode: \(persistent ? "persistent" : "process")
              env: {ASSAY_CHECKPOINT_DIR: "\(w.appendingPathComponent("checkpoints").path)"}
            tiers:
            \(tiers.map { "  \($0): {model: sim-\($0), input_price: \(prices[$0]!)}" }.joined(separator: "\n"))
            datasets: [Datasets/e.jsonl]
            components: [Scorers]
            end_to_end: {threshold: 0.5, scorers: [{kind: token_f1}]}
            concurrency: 4

            """ + extra
        try suite.write(to: w.appendingPathComponent("assay.yaml"), atomically: true, encoding: .utf8)
        return w
    }

    /// The newest run's cells, from its JSON file.
    func cells(_ w: URL) throws -> [[String: Any]] {
        let runs = try AssayProcess.run(["runs"], in: w)
        let id = try #require(runs.stdout.split(separator: "\n").dropFirst().first?.split(separator: " ").first.map(String.init))
        let data = try Data(contentsOf: w.appendingPathComponent("Reports/runs/\(id).json"))
        let run = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try #require(run["cells"] as? [[String: Any]])
    }

    static func condition(_ cell: [String: Any]) -> String? { (cell["key"] as? [String: Any])?["condition"] as? String }
    static func value(_ cell: [String: Any], _ component: String) -> Double? {
        (cell["components"] as? [[String: Any]])?.first { $0["component"] as? String == component }?["value"] as? Double
    }

    @Test("the real openai client's own retries get through injected 429s and 500s; its waits are scored against Retry-After")
    func openAIClientRetries() throws {
        guard let python = GatewayStub.clients() else { return }
        let w = try workspace(command: [python, Self.agentScript, "--openai", "--client-retries", "3"], examples: 2, extra: """
            faults:
              rate_limited: [{on: model, call: 1, status: 429, retry_after: 1}]
              server_errors: [{on: model, first: 2, status: 500}]
            resilience: [respects_retry_after]
            """)
        let r = try AssayProcess.run(["run", "--quiet", "--no-reports"], in: w)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        let all = try cells(w)
        #expect(all.count == 2 * 2 * 3, "\(all.count) cells")
        #expect(all.allSatisfy { $0["status"] as? String == "ok" }, "every cell answered: \(all.map { $0["error"] ?? "" })")
        let limited = all.filter { Self.condition($0) == "rate_limited" }
        #expect(limited.count == 4 && limited.allSatisfy { $0["faults"] as? [String] == ["model:status_429"] && $0["modelCalls"] as? Int == 3 }, "\(limited)")
        #expect(limited.allSatisfy { Self.value($0, "respects_retry_after") == 1 }, "the client waited the Retry-After it was given")
        let errors = all.filter { Self.condition($0) == "server_errors" }
        #expect(errors.allSatisfy { $0["faults"] as? [String] == ["model:status_500", "model:status_500"] && $0["modelCalls"] as? Int == 4 }, "\(errors)")
        #expect(errors.allSatisfy { Self.value($0, "respects_retry_after") == 1 }, "the client backed off between the two 500s")
        // The retried calls give the same answers: each faulted cell recovers exactly when its clean cell passes.
        for cell in limited + errors {
            let key = try #require(cell["key"] as? [String: Any])
            let clean = all.first { c in
                let k = c["key"] as? [String: Any]
                return Self.condition(c) == nil && k?["example"] as? String == key["example"] as? String && k?["tier"] as? String == key["tier"] as? String
            }
            #expect(clean.map { Self.value($0, "recovered") } == Self.value(cell, "recovered"), "\(key)")
        }
    }

    @Test("a crash after the second tool call: the agent with a checkpoint does not repeat its side effects; without one it does, and is caught")
    func crashAndCheckpoint() throws {
        guard let python = GatewayStub.clients() else { return }
        let plan = """
            tools:
              email: {simulated: true, env: EMAIL_TOOLS_URL}
            faults:
              crash_after_actions: [{on: crash, after: tool, call: 2}]
            resilience: [no_duplicate_side_effects]
            """
        // Process mode with and without the checkpoint; persistent mode, where the runner kills the worker
        // and a new one gets the same request with "restart": 1.
        for (flags, expected) in [(["--checkpoint"], 1.0), ([], 0.0), (["--checkpoint", "--persistent"], 1.0)] {
            let w = try workspace(command: [python, Self.agentScript] + flags, examples: 2, tiers: ["mid"], persistent: flags.contains("--persistent"), extra: plan)
            let r = try AssayProcess.run(["run", "--quiet", "--no-reports"], in: w)
            #expect(r.status == 0, "\(flags): \(r.stdout)\(r.stderr)")
            let all = try cells(w)
            let crashed = all.filter { Self.condition($0) == "crash_after_actions" }
            #expect(crashed.count == 2)
            for cell in crashed {
                #expect(cell["restarts"] as? Int == 1, "\(flags): the runner killed and restarted the agent: \(cell)")
                #expect((cell["faults"] as? [String])?.contains("crash:after_tool_call_2") == true, "\(cell)")
                #expect(Self.value(cell, "no_duplicate_side_effects") == expected, "\(flags): \(cell)")
            }
            #expect(all.filter { Self.condition($0) == nil }.allSatisfy { Self.value($0, "no_duplicate_side_effects") == 1 }, "clean cells repeat nothing")
            if flags.isEmpty {
                // The repeated request is in the trace: two POST /tickets with the same body.
                let trace = try #require(crashed.first?["traceID"] as? String)
                let tree = try AssayProcess.run(["traces", "show", trace], in: w)
                #expect(tree.stdout.components(separatedBy: "execute_tool email").count - 1 >= 5, "\(tree.stdout)")
            }
        }
    }

    @Test("a tool fault reaches the agent as the planned status, and the agent's honest answer is scored as such")
    func toolFault() throws {
        guard let python = GatewayStub.clients() else { return }
        let w = try workspace(command: [python, Self.agentScript, "--answer-failures"], examples: 2, tiers: ["mid"], extra: """
            tools:
              email: {simulated: true, env: EMAIL_TOOLS_URL}
            faults:
              tickets_down: [{on: tool, call: 1, status: 503}]
            resilience: [honest_failure, no_duplicate_side_effects]
            """)
        let r = try AssayProcess.run(["run", "--quiet", "--no-reports"], in: w)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        let down = try cells(w).filter { Self.condition($0) == "tickets_down" }
        #expect(down.count == 2)
        for cell in down {
            #expect(cell["faults"] as? [String] == ["tool:status_503"], "\(cell)")
            #expect((cell["output"] as? String)?.contains("503") == true, "the agent saw the planned status: \(cell)")
            #expect(Self.value(cell, "recovered") == 0 && Self.value(cell, "honest_failure") == 1, "\(cell)")
        }
    }

    @Test("the same plan gives the same faults in two runs; the summary names the fault the harness handles and the one no model fixes")
    func reproducibleAndFindings() throws {
        let agent = AssayProcess.executable.deletingLastPathComponent().appendingPathComponent("assay-example-agent").path
        let w = try workspace(command: [agent, "--gateway"], examples: 6, tiers: ["low", "mid", "frontier"], extra: """
            faults:
              flaky: {seed: 3, inject: [{on: model, probability: 0.5, status: 503}]}
              empty_draft: [{on: model, call: 2, empty: true}]
            resilience: [respects_retry_after, honest_failure]
            """)
        let first = try AssayProcess.run(["run", "--quiet", "--no-reports"], in: w)
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        func faults(_ cells: [[String: Any]]) -> [String: [String]] {
            Dictionary(uniqueKeysWithValues: cells.filter { Self.condition($0) == "flaky" }.map { c in
                let k = c["key"] as! [String: Any]
                return ("\(k["example"]!)/\(k["tier"]!)", c["faults"] as? [String] ?? [])
            })
        }
        let a = faults(try cells(w))
        #expect(a.values.contains { !$0.isEmpty } && a.values.contains { $0.count < 2 }, "some cells got faults, not all every call: \(a)")
        let second = try AssayProcess.run(["run", "--quiet", "--no-reports"], in: w)
        #expect(second.status == 0)
        #expect(faults(try cells(w)) == a, "the same seed gave the same faults")
        #expect(first.stdout.contains("empty_draft") && first.stdout.contains("harness bottleneck"), "\(first.stdout)")
    }
}
