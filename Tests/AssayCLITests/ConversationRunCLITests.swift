import Foundation
import Testing

/// `assay run` on multi-turn examples with a Python agent traced by the real OpenTelemetry SDK
/// (Agents/thread_agent.py): approvals, rejections and edits answered from the script, in both agent
/// modes, with and without a restart between turns (docs/conversations.md).
@Suite("Conversations under assay run", .serialized)
struct ConversationRunCLITests {
    static let root = AssayProcess.packageRoot

    /// Three conversations: a draft approved, one rejected, one edited; each followed by a question
    /// that needs the day given in turn 1.
    static let dataset = [
        #"{"id":"c-approve","turns":[{"user":"From: Ana. Can we meet Thursday? Draft a reply.","decisions":[{"decision":"approve"}],"expected":"Sent to Ana: Hi Ana, Thursday works for me."},{"user":"Which day did we agree with Ana?"}],"expected":"We agreed on Thursday.","status":"ready","memory":[{"fact":"Thursday","given_in":1,"used_in":2}],"metadata":{}}"#,
        #"{"id":"c-edit","turns":[{"user":"From: Cleo. Can we meet Friday? Draft a reply.","decisions":[{"decision":"edit","text":"Hi Cleo, Friday at 10 works."}],"expected":"Sent to Cleo: Hi Cleo, Friday at 10 works."},{"user":"Which day did we agree with Cleo?"}],"expected":"We agreed on Friday.","status":"ready","memory":[{"fact":"Friday","given_in":1,"used_in":2}],"metadata":{}}"#,
        #"{"id":"c-reject","turns":[{"user":"From: Ben. Can we meet Monday? Draft a reply.","decisions":[{"decision":"reject","text":"I am away that week"}],"expected":"Not sent: I am away that week"},{"user":"Which day did we agree with Ben?"}],"expected":"We agreed on Monday.","status":"ready","memory":[{"fact":"Monday","given_in":1,"used_in":2}],"metadata":{}}"#,
    ]

    /// A workspace with the dataset and a suite running the thread agent (or `agent`) with `flags`.
    func workspace(python: String, mode: String, flags: [String], agent: String = "Tests/AssayCLITests/Agents/thread_agent.py",
                   tier: String = "{model: thread-small, input_price: 1, output_price: 2}", maxRatio: String = "50") throws -> URL {
        let w = try AssayProcess.workspace()
        try FileManager.default.createDirectory(at: w.appendingPathComponent("Datasets"), withIntermediateDirectories: true)
        try (Self.dataset.joined(separator: "\n") + "\n").write(to: w.appendingPathComponent("Datasets/threads.jsonl"), atomically: true, encoding: .utf8)
        let agent = Self.root.appendingPathComponent(agent).path
        let command = ([python, agent] + flags).map { "\"\($0)\"" }.joined(separator: ", ")
        let suite = """
        agent:
          command: [\(command)]
          mode: \(mode)
          timeout_seconds: 30
        tiers:
          small: \(tier)
        datasets: [Datasets/threads.jsonl]
        end_to_end:
          scorers: [{kind: normalized_match}]
        concurrency: 2
        retries: 0
        conversation:
          scorers: [goal, turns_used, memory, restart_state, {kind: context_per_turn, max_ratio: \(maxRatio)}]
        """
        try suite.write(to: w.appendingPathComponent("assay.yaml"), atomically: true, encoding: .utf8)
        return w
    }

    /// The run's cells from Reports/assay-run.json: example → component → passed (nil: unscored).
    func outcomes(_ w: URL) throws -> (cells: [String: [String: Bool?]], raw: [[String: Any]]) {
        let data = try Data(contentsOf: w.appendingPathComponent("Reports/assay-run.json"))
        let doc = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let run = try #require(doc["run"] as? [String: Any])
        let cells = try #require(run["cells"] as? [[String: Any]])
        var out: [String: [String: Bool?]] = [:]
        for cell in cells {
            let example = try #require((cell["key"] as? [String: Any])?["example"] as? String)
            var components: [String: Bool?] = [:]
            for c in cell["components"] as? [[String: Any]] ?? [] {
                let scores = c["scores"] as? [[String: Any]] ?? []
                let verdicts = scores.compactMap { $0["passed"] as? Bool }
                components[c["component"] as? String ?? "?"] = verdicts.isEmpty ? nil : verdicts.allSatisfy { $0 }
            }
            out[example] = components
        }
        return (out, cells)
    }

    func python() -> String? {
        let python = Self.root.appendingPathComponent(".venv/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: python) else {
            if ProcessInfo.processInfo.environment["CI"] == "true" { Issue.record("CI needs .venv with the OpenTelemetry SDK (.ci/run installs it)") }
            return nil
        }
        return python
    }

    @Test("an agent that checkpoints by conversation id carries every conversation in process mode: approve, reject and edit")
    func processModeWithCheckpoints() throws {
        guard let python = python() else { return }
        let w = try workspace(python: python, mode: "process", flags: ["--checkpoint", "state"])
        let r = try AssayProcess.run(["run", "--quiet"], in: w)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        let (cells, raw) = try outcomes(w)
        #expect(cells.count == 3)
        for (example, components) in cells {
            for name in ["goal", "turns_used", "memory", "restart_state", "end_to_end"] {
                #expect(components[name] == .some(true), "\(example) \(name): \(components)")
            }
        }
        // Every exchange is a trace of the cell's conversation; the rejected draft sent nothing.
        let reject = try #require(raw.first { ($0["key"] as? [String: Any])?["example"] as? String == "c-reject" })
        let turns = try #require(reject["turns"] as? [[String: Any]])
        #expect(turns.count == 2)
        let first = try #require(turns.first?["exchanges"] as? [[String: Any]])
        #expect(first.map { $0["outcome"] as? String } == ["interrupted", "answered"])
        #expect(first.last?["decision"] as? String == "reject")
        let conversation = try #require(reject["conversationID"] as? String)
        let sessions = try AssayProcess.run(["traces", "list", "--runs", "--session", conversation, "--limit", "20"], in: w)
        #expect(sessions.stdout.split(separator: "\n").filter { $0.contains("assay.cell") }.count == 3, "\(sessions.stdout)")
    }

    @Test("an agent that keeps its state only in memory cannot take a decision in a new process: goal and restart_state fail")
    func processModeWithoutState() throws {
        guard let python = python() else { return }
        let w = try workspace(python: python, mode: "process", flags: [])
        let r = try AssayProcess.run(["run", "--quiet"], in: w)
        let (cells, _) = try outcomes(w)
        #expect(cells.count == 3)
        for (example, components) in cells {
            #expect(components["goal"] == .some(false), "\(example): \(components)")
            #expect(components["restart_state"] == .some(false), "\(example): \(components)")
        }
        // The failure says its cause in the terminal: the turn, and the agent's last stderr line.
        #expect(r.stdout.contains("turn 1 decision: the agent exited with status 1: no pending draft draft-1"), "\(r.stdout)")
    }

    @Test("a persistent agent keeps a conversation in memory, and loses it when the runner restarts it at the interrupt")
    func persistentModeWithAndWithoutRestart() throws {
        guard let python = python() else { return }
        let w = try workspace(python: python, mode: "persistent", flags: ["--persistent"])
        let r = try AssayProcess.run(["run", "--quiet"], in: w)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        for (example, components) in try outcomes(w).cells {
            #expect(components["goal"] == .some(true), "\(example): \(components)")
            #expect(components["memory"] == .some(true), "\(example): \(components)")
            #expect(components["restart_state"] == .some(nil), "no restart, nothing to judge: \(example): \(components)")
        }
        _ = try AssayProcess.run(["run", "--quiet", "--restart-between-turns"], in: w)
        for (example, components) in try outcomes(w).cells {
            #expect(components["goal"] == .some(false), "\(example): \(components)")
            #expect(components["restart_state"] == .some(false), "\(example): \(components)")
        }
    }

    @Test("a persistent agent that checkpoints passes the restart case")
    func persistentModeRestartWithCheckpoints() throws {
        guard let python = python() else { return }
        let w = try workspace(python: python, mode: "persistent", flags: ["--persistent", "--checkpoint", "state"])
        let r = try AssayProcess.run(["run", "--quiet", "--restart-between-turns"], in: w)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        for (example, components) in try outcomes(w).cells {
            for name in ["goal", "memory", "restart_state", "turns_used"] {
                #expect(components[name] == .some(true), "\(example) \(name): \(components)")
            }
        }
    }

    @Test("a LangGraph agent on the openai client: interrupt() and Command(resume=) carry a conversation; InMemorySaver loses it at a restart, SqliteSaver keeps it")
    func langGraphAgent() throws {
        guard let python = GatewayStub.clients() else { return }
        let tier = "{model: sim-low, input_price: 0.15, output_price: 0.6}"
        let memory = try workspace(python: python, mode: "persistent", flags: ["--persistent"], agent: "examples/agents/langgraph_thread.py",
                                   tier: tier, maxRatio: "1.5")
        let r = try AssayProcess.run(["run", "--quiet"], in: memory)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        let (cells, raw) = try outcomes(memory)
        for (example, components) in cells {
            #expect(components["goal"] == .some(true) && components["memory"] == .some(true), "\(example): \(components)")
            // The graph sends the whole thread on every call: turn 2 sends about twice what turn 1 did.
            #expect(components["context_per_turn"] == .some(false), "\(example): \(components)")
        }
        #expect(raw.allSatisfy { ($0["modelCalls"] as? Int ?? 0) >= 2 }, "the model calls went through the gateway")
        let restarted = try AssayProcess.run(["run", "--quiet", "--restart-between-turns"], in: memory)
        #expect(restarted.stdout.contains("no interrupted run in thread"), "\(restarted.stdout)")
        for (example, components) in try outcomes(memory).cells {
            #expect(components["goal"] == .some(false) && components["restart_state"] == .some(false), "\(example): \(components)")
        }
        let sqlite = try workspace(python: python, mode: "persistent", flags: ["--persistent", "--checkpoint", "threads.sqlite"],
                                   agent: "examples/agents/langgraph_thread.py", tier: tier, maxRatio: "1.5")
        let kept = try AssayProcess.run(["run", "--quiet", "--restart-between-turns"], in: sqlite)
        #expect(kept.status == 0, "\(kept.stdout)\(kept.stderr)")
        for (example, components) in try outcomes(sqlite).cells {
            #expect(components["goal"] == .some(true) && components["restart_state"] == .some(true), "\(example): \(components)")
        }
    }
}
