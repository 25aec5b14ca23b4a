import Foundation
import Testing

/// The example agent's email threads, driven through the turn protocol by hand (docs/conversations.md):
/// the approval interrupt, decisions carried out by a new process from the conversation's checkpoint,
/// both agent modes, and the harness weakness the conversation scorers find.
@Suite("The example agent's email threads")
struct ExampleThreadsCLITests {
    static let agent = AssayProcess.executable.deletingLastPathComponent().appendingPathComponent("assay-example-agent").path

    /// The conversations of `Datasets/email-threads.jsonl`, by id.
    static func conversation(_ id: String) throws -> [String: Any] {
        let text = try String(contentsOf: AssayProcess.packageRoot.appendingPathComponent("Datasets/email-threads.jsonl"), encoding: .utf8)
        let examples = text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        return try #require(examples.first { $0["id"] as? String == id }, "no conversation \(id) in Datasets/email-threads.jsonl")
    }

    /// A span the agent wrote: its name and attributes (as text).
    struct SpanRecord {
        var name: String
        var attributes: [String: String]
    }

    /// One exchange: the agent's answer and spans.
    struct Exchange {
        var answer: Any
        var spans: [SpanRecord]
        var interrupt: [String: Any]? { (answer as? [String: Any])?["interrupt"] as? [String: Any] }
    }

    /// A conversation in process mode: every exchange a new process, state only in the checkpoint folder.
    struct ProcessConversation {
        var id = "run-t/thread/\(UUID().uuidString)/0#1"
        var example: String
        var tier: String
        var checkpoints: URL
        var flags: [String] = []

        func send(turn: Int, _ payload: [String: Any]) throws -> Exchange {
            let traceFile = FileManager.default.temporaryDirectory.appendingPathComponent("assay-threads-\(UUID().uuidString).jsonl")
            defer { try? FileManager.default.removeItem(at: traceFile) }
            var envelope: [String: Any] = ["conversation_id": id, "turn": turn]
            envelope.merge(payload) { $1 }
            let input = try JSONSerialization.data(withJSONObject: envelope) + Data("\n".utf8)
            let out = try ExampleThreadsCLITests.run(flags, input: input, environment: [
                "ASSAY_TIER": tier, "ASSAY_MODEL": "sim-" + tier, "ASSAY_EXAMPLE_ID": example, "ASSAY_CHECKPOINT_DIR": checkpoints.path,
                "ASSAY_CONVERSATION_ID": id, "ASSAY_TURN": String(turn), "ASSAY_EXCHANGE": payload["resume"] == nil ? "message" : "resume",
                "ASSAY_TRACE_FILE": traceFile.path, "TRACEPARENT": "00-\(String(repeating: "ab", count: 16))-\(String(repeating: "cd", count: 8))-01",
            ])
            #expect(out.status == 0, "\(out.stderr)")
            let answer = try JSONSerialization.jsonObject(with: Data(out.stdout.utf8), options: .fragmentsAllowed)
            return Exchange(answer: answer, spans: try ExampleThreadsCLITests.spans(traceFile))
        }

        /// Plays the example's turns, answering each interrupt with the script's next decision; the
        /// exchanges per turn (a turn stops on an interrupt the script has no decision for).
        func play(_ conversation: [String: Any]) throws -> [[Exchange]] {
            var turns: [[Exchange]] = []
            for (i, turn) in (conversation["turns"] as? [[String: Any]] ?? []).enumerated() {
                var decisions = turn["decisions"] as? [[String: Any]] ?? []
                var exchanges = [try send(turn: i + 1, ["input": turn["user"] ?? ""])]
                while let interrupt = exchanges.last?.interrupt, !decisions.isEmpty {
                    var resume = decisions.removeFirst()
                    resume["interrupt_id"] = interrupt["id"]
                    exchanges.append(try send(turn: i + 1, ["resume": resume]))
                }
                turns.append(exchanges)
            }
            return turns
        }
    }

    static func run(_ flags: [String], input: Data, environment: [String: String]) throws -> AssayProcess.Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: agent)
        process.arguments = flags
        var env = ProcessInfo.processInfo.environment
        for key in ["OTEL_EXPORTER_OTLP_ENDPOINT", "OPENAI_BASE_URL", "ASSAY_SEED", "ASSAY_COMPONENT"] { env.removeValue(forKey: key) }
        env.merge(environment) { $1 }
        process.environment = env
        let out = Pipe(), err = Pipe(), inp = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = inp
        try process.run()
        inp.fileHandleForWriting.write(input)
        try inp.fileHandleForWriting.close()
        let stdout = out.fileHandleForReading.readDataToEndOfFile(), stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return AssayProcess.Output(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                                   stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// The spans of an OTLP/JSON trace file.
    static func spans(_ file: URL) throws -> [SpanRecord] {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return [] }
        var out: [SpanRecord] = []
        for line in text.split(separator: "\n") {
            let doc = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            for rs in doc["resourceSpans"] as? [[String: Any]] ?? [] {
                for ss in rs["scopeSpans"] as? [[String: Any]] ?? [] {
                    for span in ss["spans"] as? [[String: Any]] ?? [] {
                        var attributes: [String: String] = [:]
                        for a in span["attributes"] as? [[String: Any]] ?? [] {
                            let value = (a["value"] as? [String: Any])?.values.first
                            attributes[a["key"] as? String ?? ""] = value.map { "\($0)" }
                        }
                        out.append(SpanRecord(name: span["name"] as? String ?? "", attributes: attributes))
                    }
                }
            }
        }
        return out
    }

    /// The largest model-call input of each turn, tokens.
    static func contextPerTurn(_ turns: [[Exchange]]) -> [Int] {
        turns.map { exchanges in
            exchanges.flatMap(\.spans).filter { $0.name.hasPrefix("chat ") }.compactMap { $0.attributes["gen_ai.usage.input_tokens"].flatMap { Int($0) } }.max() ?? 0
        }
    }

    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("assay-threads-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test("turn 1 asks for approval with the draft; a new process sends it from the checkpoint kept under the conversation id")
    func approvalAcrossProcesses() throws {
        let checkpoints = try Self.folder()
        defer { try? FileManager.default.removeItem(at: checkpoints) }
        let kickoff = try Self.conversation("thread-kickoff")
        let c = ProcessConversation(example: "thread-kickoff", tier: "frontier", checkpoints: checkpoints)
        let turn = try #require((kickoff["turns"] as? [[String: Any]])?.first)
        let first = try c.send(turn: 1, ["input": turn["user"] ?? ""])
        let interrupt = try #require(first.interrupt, "\(first.answer)")
        #expect(interrupt["id"] as? String == "draft-1" && interrupt["kind"] as? String == "approval")
        #expect((interrupt["draft"] as? String)?.contains("Thursday at 10:00") == true)
        #expect(interrupt["to"] as? [String] == ["ana.souza@lumen-health.example"])
        #expect(first.spans.map(\.name).contains("execute_tool fetch_thread"))
        #expect(!first.spans.map(\.name).contains("execute_tool send_email"), "nothing is sent before approval")
        let files = try FileManager.default.contentsOfDirectory(atPath: checkpoints.path)
        #expect(files.count == 1 && files[0].hasPrefix("conversation-") && files[0].hasSuffix(".json"), "\(files)")

        let second = try c.send(turn: 1, ["resume": ["interrupt_id": "draft-1", "decision": "approve"]])
        let answer = try #require(second.answer as? String)
        #expect(answer.hasPrefix("Sent to Ana Souza <ana.souza@lumen-health.example>:\n\n") && answer.contains(interrupt["draft"] as? String ?? "?"))
        let send = try #require(second.spans.first { $0.name == "execute_tool send_email" })
        #expect(send.attributes["gen_ai.tool.call.arguments"]?.contains("Thursday at 10:00") == true)
        #expect(second.spans.first { $0.name.hasPrefix("invoke_agent") }?.attributes["gen_ai.conversation.id"] == c.id)
    }

    @Test("a decision the agent has no checkpoint for is answered as such, not guessed")
    func decisionWithoutCheckpoint() throws {
        let checkpoints = try Self.folder()
        defer { try? FileManager.default.removeItem(at: checkpoints) }
        let c = ProcessConversation(example: "thread-kickoff", tier: "mid", checkpoints: checkpoints)
        let r = try c.send(turn: 1, ["resume": ["interrupt_id": "draft-1", "decision": "approve"]])
        #expect(r.answer as? String == "There is nothing waiting for a decision in this conversation.")
        #expect(!r.spans.map(\.name).contains("execute_tool send_email"))
    }

    @Test("an edit is sent as edited and a rejection sends nothing; a later turn finds the person and the edited time")
    func editAndReject() throws {
        let checkpoints = try Self.folder()
        defer { try? FileManager.default.removeItem(at: checkpoints) }
        let renewal = try ProcessConversation(example: "thread-renewal", tier: "frontier", checkpoints: checkpoints).play(Self.conversation("thread-renewal"))
        let edited = try #require(renewal[0].last?.answer as? String)
        #expect(edited.contains("Friday at 10:30 suits me better"), "\(edited)")
        let followUp = try #require(renewal[1].last?.answer as? String)
        #expect(followUp.contains("Friday at 10:30") && !followUp.contains("Thursday"), "\(followUp)")

        let addendum = try ProcessConversation(example: "thread-addendum", tier: "low", checkpoints: checkpoints).play(Self.conversation("thread-addendum"))
        #expect(addendum[0].last?.answer as? String == "I did not send the reply to Priya Raman <priya.raman@brightfield.example>.")
        #expect(!addendum[0].flatMap(\.spans).map(\.name).contains("execute_tool send_email"))
        let second = try #require(addendum[1].last?.answer as? String)
        #expect(second.hasPrefix("Sent to Priya Raman <priya.raman@brightfield.example>:\n\nHello Priya,"), "\(second)")
    }

    @Test("persistent mode: an agent killed at the interrupt is replaced, and the new one carries the conversation on")
    func persistentRestart() throws {
        let checkpoints = try Self.folder()
        defer { try? FileManager.default.removeItem(at: checkpoints) }
        let onboarding = try Self.conversation("thread-onboarding")
        let turns = try #require(onboarding["turns"] as? [[String: Any]])
        let id = "run-t/thread-onboarding/frontier/0#1"
        func request(_ turn: Int, _ members: [String: Any]) throws -> Data {
            var r: [String: Any] = ["id": "thread-onboarding", "tier": "frontier", "model": "sim-frontier", "repeat": 0, "conversation_id": id,
                                    "turn": turn, "input": NSNull(), "resume": NSNull()]
            r.merge(members) { $1 }
            return try JSONSerialization.data(withJSONObject: r) + Data("\n".utf8)
        }
        let env = ["ASSAY_CHECKPOINT_DIR": checkpoints.path]
        // The first process answers turn 1's message and ends (the runner kills it at the interrupt).
        let a = try Self.run(["--persistent"], input: request(1, ["exchange": "message", "input": turns[0]["user"] ?? ""]), environment: env)
        let asked = try #require(try JSONSerialization.jsonObject(with: Data(a.stdout.utf8)) as? [String: Any])
        #expect(((asked["output"] as? [String: Any])?["interrupt"] as? [String: Any])?["id"] as? String == "draft-1", "\(a.stdout)\(a.stderr)")
        // A new process takes the decision and turn 2, which needs the time from turn 1.
        let b = try Self.run(["--persistent"], input: request(1, ["exchange": "resume", "resume": ["interrupt_id": "draft-1", "decision": "approve"]])
                                 + request(2, ["exchange": "message", "input": turns[1]["user"] ?? ""])
                                 + request(2, ["exchange": "resume", "resume": ["interrupt_id": "invite-2", "decision": "approve"]]), environment: env)
        let lines = b.stdout.split(separator: "\n").map { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(lines.count == 3, "\(b.stdout)\(b.stderr)")
        #expect((lines[0]?["output"] as? String)?.hasPrefix("Sent to Tom Becker") == true)
        let invite = ((lines[1]?["output"] as? [String: Any])?["interrupt"] as? [String: Any])?["invite"] as? [String: Any]
        #expect(invite?["day"] as? String == "Tuesday" && invite?["time"] as? String == "16:00", "\(lines[1] ?? [:])")
        #expect(lines[2]?["output"] as? String == "Invite sent to tom.becker@harbor-foods.example: Onboarding: reporting workspace, Tuesday at 16:00.")
    }

    @Test("the harness re-sends the whole conversation: the largest model input grows every turn on every tier; --compact-context keeps it flat",
          arguments: ["low", "mid", "frontier"])
    func contextGrowth(tier: String) throws {
        let checkpoints = try Self.folder()
        defer { try? FileManager.default.removeItem(at: checkpoints) }
        let kickoff = try Self.conversation("thread-kickoff")
        let whole = Self.contextPerTurn(try ProcessConversation(example: "thread-kickoff", tier: tier, checkpoints: checkpoints).play(kickoff))
        #expect(whole.count == 3 && zip(whole, whole.dropFirst()).allSatisfy { $0 < $1 }, "\(whole)")
        #expect(Double(whole[2]) > 4 * Double(whole[0]), "\(whole)")
        let compact = Self.contextPerTurn(try ProcessConversation(example: "thread-kickoff", tier: tier, checkpoints: checkpoints,
                                                                  flags: ["--compact-context"]).play(kickoff))
        #expect(compact.count == 3 && Double(compact.max()!) < 1.2 * Double(compact[0]), "\(compact)")
    }

    @Test("assay run assay-threads.yaml, in both agent modes: context_per_turn fails on every tier and is the one bottleneck; memory and the drafts rise with the model",
          arguments: ["persistent", "process"])
    func suite(mode: String) throws {
        let w = try AssayProcess.workspace()
        defer { try? FileManager.default.removeItem(at: w) }
        let fm = FileManager.default
        try fm.createDirectory(at: w.appendingPathComponent("Datasets"), withIntermediateDirectories: true)
        try fm.copyItem(at: AssayProcess.packageRoot.appendingPathComponent("Datasets/email-threads.jsonl"), to: w.appendingPathComponent("Datasets/email-threads.jsonl"))
        var suite = try String(contentsOf: AssayProcess.packageRoot.appendingPathComponent("assay-threads.yaml"), encoding: .utf8)
        let command = "command: [examples/agents/assay-example-agent, --gateway, --persistent]"
        #expect(suite.contains(command) && suite.contains("mode: persistent"))
        suite = suite.replacingOccurrences(of: command, with: "command: [\"\(Self.agent)\", --gateway\(mode == "persistent" ? ", --persistent" : "")]")
            .replacingOccurrences(of: "mode: persistent", with: "mode: \(mode)")
        try suite.write(to: w.appendingPathComponent("assay-threads.yaml"), atomically: true, encoding: .utf8)
        let checkpoints = try Self.folder()
        defer { try? fm.removeItem(at: checkpoints) }

        let validate = try AssayProcess.run(["datasets", "validate", "Datasets/email-threads.jsonl"], in: w)
        #expect(validate.status == 0, "\(validate.stdout)\(validate.stderr)")
        let r = try AssayProcess.run(["run", "assay-threads.yaml", "--quiet", "--no-reports"], in: w, environment: ["ASSAY_CHECKPOINT_DIR": checkpoints.path])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("18 of 18 cells"), "\(r.stdout)")
        #expect(r.stdout.contains("scaling check: context_per_turn does not improve from low to frontier beyond noise"), "\(r.stdout)")
        let row = { (component: String) in r.stdout.split(separator: "\n").first { $0.hasPrefix(component + " ") }.map(String.init) ?? "" }
        #expect(row("context_per_turn").components(separatedBy: "0.00 ±0.00  pass 0%").count == 4, "\(r.stdout)")
        #expect(row("memory").hasPrefix("memory             0.67") && row("memory").contains("1.00 ±0.00  pass 100%"), "\(r.stdout)")
        for component in ["draft", "goal", "turns_used", "memory", "restart_state"] {
            #expect(!r.stdout.contains("scaling check: \(component) "), "\(r.stdout)")
        }
    }
}
