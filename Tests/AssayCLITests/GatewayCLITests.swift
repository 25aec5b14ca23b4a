import Foundation
import Testing

/// The model gateway under `assay run`, with the real `openai`, `anthropic` and LangGraph clients as
/// agents and a loopback stub as their provider (docs/gateway.md). The agents read only the SDKs'
/// variables; the suite names the stub as the tiers' upstream and holds its key in a variable.
@Suite("The model gateway under assay run, with the real clients", .serialized)
struct GatewayCLITests {
    static let realKey = "sk-real-key-that-must-stay-upstream-7f3a"

    /// A workspace with a suite whose two tiers (low: small-1, frontier: big-1) go to `stub`.
    func workspace(agent: String, python: String, stub: GatewayStub, kind: String = "openai", examples: [String],
                   gateway: String = "llm_cache: record") throws -> URL {
        let w = try AssayProcess.workspace()
        try FileManager.default.createDirectory(at: w.appendingPathComponent("Datasets"), withIntermediateDirectories: true)
        try (examples.joined(separator: "\n") + "\n").write(to: w.appendingPathComponent("Datasets/d.jsonl"), atomically: true, encoding: .utf8)
        let base = kind == "openai" ? stub.openAIBaseURL : stub.anthropicBaseURL
        let suite = """
            agent:
              command: ["\(python)", "\(GatewayStub.folder.appendingPathComponent(agent).path)"]
              timeout_seconds: 90
            upstreams:
              stub: {kind: \(kind), base_url: "\(base)", api_key_env: ASSAY_TEST_STUB_KEY}
            tiers:
              low: {model: small-1, upstream: stub, input_price: 1, output_price: 2}
              frontier: {model: big-1, upstream: stub, input_price: 10, output_price: 20}
            datasets: [Datasets/d.jsonl]
            components:
              - component: first_call
                selector: op=chat first
                scorers: [{kind: regex, pattern: "^answer from (small-1|big-1)"}]
            concurrency: 4
            retries: 0
            gateway:
              \(gateway)

            """
        try suite.write(to: w.appendingPathComponent("assay.yaml"), atomically: true, encoding: .utf8)
        return w
    }

    static func example(_ id: String, _ question: String, _ mode: String) -> String {
        #"{"id":"\#(id)","input":{"question":"\#(question)","mode":"\#(mode)"},"expected":"x"}"#
    }

    func run(_ arguments: [String], in w: URL) throws -> AssayProcess.Output {
        try AssayProcess.run(arguments, in: w, environment: ["ASSAY_TEST_STUB_KEY": Self.realKey])
    }

    /// The cells of the workspace's newest run, from its JSON file.
    func cells(_ w: URL) throws -> [[String: Any]] {
        let runs = try AssayProcess.run(["runs"], in: w)
        let id = try #require(runs.stdout.split(separator: "\n").dropFirst().first?.split(separator: " ").first.map(String.init))
        let data = try Data(contentsOf: w.appendingPathComponent("Reports/runs/\(id).json"))
        let run = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try #require(run["cells"] as? [[String: Any]])
    }

    func output(_ cell: [String: Any]) -> [String: Any] {
        (cell["output"] as? String).flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] } ?? [:]
    }

    /// Every file under `folder` whose bytes hold `text`.
    func files(in folder: URL, holding text: String) -> [String] {
        let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
        var found: [String] = []
        while let url = walker?.nextObject() as? URL {
            if let data = try? Data(contentsOf: url), data.range(of: Data(text.utf8)) != nil { found.append(url.lastPathComponent) }
        }
        return found
    }

    @Test("the openai client: each tier's model answers, streams arrive whole, calls are spans with tokens and cost, the real key stays upstream")
    func openAIClient() throws {
        guard let python = GatewayStub.clients() else { return }
        let stub = try GatewayStub()
        let w = try workspace(agent: "openai_agent.py", python: python, stub: stub, examples: [
            Self.example("tools", "capital of France", "tools"), Self.example("stream", "weather in Oslo", "chat_stream"),
            Self.example("responses", "hello there", "responses"), Self.example("rstream", "good morning", "responses_stream"),
            Self.example("embed", "some text", "embeddings"),
        ])
        let r = try run(["run", "--quiet", "--no-reports"], in: w)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("model calls through the gateway: 12 (llm_cache: record)"), "\(r.stdout)")
        let cells = try cells(w)
        #expect(cells.count == 10 && cells.allSatisfy { $0["status"] as? String == "ok" }, "\(cells.map { $0["error"] ?? "" })")
        for cell in cells {
            let key = try #require(cell["key"] as? [String: Any])
            let model = key["tier"] as? String == "low" ? "small-1" : "big-1"
            let out = output(cell)
            #expect((out["key"] as? String)?.hasPrefix("assay-cell-") == true, "the agent got its cell's key, not the real one")
            let questions = ["tools": "capital of France", "stream": "weather in Oslo", "responses": "hello there", "rstream": "good morning"]
            if let question = questions[key["example"] as? String ?? ""] {
                #expect(out["answer"] as? String == "answer from \(model): \(question)", "the tier's model answered, streams whole: \(out)")
                #expect((out["models"] as? [String])?.allSatisfy { $0 == model } == true, "\(out)")
            }
            #expect((cell["inputTokens"] as? Int ?? 0) > 0 && (cell["costUSD"] as? Double ?? 0) > 0, "tokens and cost from the gateway")
            #expect(cell["modelCalls"] as? Int == (key["example"] as? String == "tools" ? 2 : 1))
        }
        // The stub saw the tiers' models (embeddings keep theirs) and the real key, on every request.
        let requests = try stub.requests()
        #expect(requests.count == 12)
        #expect(requests.allSatisfy { ($0["authorization"] as? String) == "Bearer \(Self.realKey)" })
        #expect(Set(requests.filter { ($0["path"] as? String) != "/v1/embeddings" }.compactMap { $0["model"] as? String }) == ["small-1", "big-1"])
        #expect(requests.filter { ($0["path"] as? String) == "/v1/embeddings" }.allSatisfy { ($0["model"] as? String) == "text-embedding-3-small" })
        // The spans: messages, tool calls, tokens and cost, under the cell's root.
        let tools = try #require(cells.first { ($0["key"] as? [String: Any])?["example"] as? String == "tools" })
        let otlp = try run(["traces", "show", try #require(tools["traceID"] as? String), "--otlp"], in: w)
        for attribute in ["gen_ai.input.messages", "gen_ai.output.messages", "gen_ai.tool.definitions", "\\\"tool_call\\\"",
                          "gen_ai.usage.input_tokens", "assay.cost_usd", "gen_ai.response.finish_reasons", "assay.gateway.cache"] {
            #expect(otlp.stdout.contains(attribute), "\(attribute)")
        }
        // The real key is nowhere: not in the store, the run files, the cache, or what was printed.
        #expect(files(in: w, holding: Self.realKey).isEmpty, "\(files(in: w, holding: Self.realKey))")
        #expect(!r.stdout.contains(Self.realKey) && !r.stderr.contains(Self.realKey))
        #expect(!files(in: w.appendingPathComponent("llm-cache"), holding: "small-1").isEmpty, "the calls were recorded")
    }

    @Test("a recorded run replays with the same scores and no upstream request; a request not recorded fails naming its cell and hash")
    func recordThenReplay() throws {
        guard let python = GatewayStub.clients() else { return }
        let stub = try GatewayStub()
        let examples = [Self.example("a", "first question", "tools"), Self.example("b", "second question", "chat_stream"),
                        Self.example("c", "third question", "responses_stream")]
        let w = try workspace(agent: "openai_agent.py", python: python, stub: stub, examples: examples)
        let recorded = try run(["run", "--quiet", "--no-reports"], in: w)
        #expect(recorded.status == 0, "\(recorded.stdout)\(recorded.stderr)")
        let first = try cells(w)
        try stub.reset()
        // No key is needed to replay.
        let replay = try AssayProcess.run(["run", "--quiet", "--no-reports", "--llm-cache", "replay"], in: w)
        #expect(replay.status == 0, "\(replay.stdout)\(replay.stderr)")
        #expect(replay.stdout.contains("all replayed from the LLM cache (llm_cache: replay): nothing was spent"), "\(replay.stdout)")
        #expect(try stub.requests().isEmpty, "replay never reaches the network")
        let second = try cells(w)
        func scores(_ cells: [[String: Any]]) -> [String: String] {
            Dictionary(uniqueKeysWithValues: cells.map { c in
                let k = c["key"] as! [String: Any]
                return ("\(k["example"]!)/\(k["tier"]!)", "\((c["components"] as? [[String: Any]])?.map { "\($0["value"] ?? "-")" } ?? []) \(output(c)["answer"] ?? "")")
            })
        }
        #expect(scores(second) == scores(first))
        #expect(second.allSatisfy { ($0["replayedCalls"] as? Int) == ($0["modelCalls"] as? Int) })
        // A changed request is not in the cache: the cell fails and says which request.
        try (Self.example("a", "a changed question", "chat") + "\n" + Self.example("b", "another changed one", "chat") + "\n")
            .write(to: w.appendingPathComponent("Datasets/d.jsonl"), atomically: true, encoding: .utf8)
        let miss = try AssayProcess.run(["run", "--quiet", "--no-reports", "--llm-cache", "replay", "--tier", "low"], in: w)
        #expect(miss.status == 1)
        #expect(miss.stdout.contains("2 × replay: the LLM cache has no recording of this request"), "one reason for both cells: \(miss.stdout)")
        #expect(miss.stdout.range(of: #"replay: the LLM cache has no recording of this request \(cell "[ab]/low#0", request "[0-9a-f]{64}"\)"#,
                                  options: .regularExpression) != nil, "\(miss.stdout)")
        #expect(try stub.requests().isEmpty)
    }

    @Test("the guard stops a looping agent at its cap; an upstream 429 with Retry-After reaches the client")
    func guardAndRateLimit() throws {
        guard let python = GatewayStub.clients() else { return }
        let stub = try GatewayStub()
        let w = try workspace(agent: "openai_agent.py", python: python, stub: stub, examples: [Self.example("loop", "again", "loop")],
                              gateway: "max_calls_per_cell: 5")
        let looped = try run(["run", "--quiet", "--no-reports", "--tier", "low"], in: w)
        #expect(looped.status == 1)
        #expect(looped.stdout.contains("stopped by the cost guard: cell \"loop/low#0\" made 5 model calls, its cap (max_calls_per_cell)"), "\(looped.stdout)")
        #expect(try stub.requests().count == 5, "the sixth call never went upstream")

        try (Self.example("limited", "slow down", "rate_limited") + "\n").write(to: w.appendingPathComponent("Datasets/d.jsonl"), atomically: true, encoding: .utf8)
        try stub.fail(status: 429, retryAfter: "2")
        let limited = try run(["run", "--quiet", "--no-reports", "--tier", "low"], in: w)
        #expect(limited.status == 0, "\(limited.stdout)")
        let out = output(try #require(try cells(w).first))
        #expect(out["status"] as? Int == 429 && out["retry_after"] as? String == "2", "\(out)")
    }

    @Test("the anthropic client: messages, streams and tool use through an Anthropic-compatible upstream")
    func anthropicClient() throws {
        guard let python = GatewayStub.clients() else { return }
        let stub = try GatewayStub()
        let w = try workspace(agent: "anthropic_agent.py", python: python, stub: stub, kind: "anthropic", examples: [
            Self.example("m", "first", "messages"), Self.example("s", "streamed answer please", "stream"), Self.example("t", "find it", "tools"),
        ])
        let r = try run(["run", "--quiet", "--no-reports"], in: w)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        let cells = try cells(w)
        #expect(cells.count == 6 && cells.allSatisfy { $0["status"] as? String == "ok" })
        let s = try #require(cells.first { ($0["key"] as? [String: Any])?["example"] as? String == "s" && ($0["key"] as? [String: Any])?["tier"] as? String == "frontier" })
        #expect(output(s)["answer"] as? String == "answer from big-1: streamed answer please", "\(output(s))")
        let requests = try stub.requests()
        #expect(requests.count == 8 && requests.allSatisfy { ($0["x_api_key"] as? String) == Self.realKey })
        #expect(Set(requests.compactMap { $0["model"] as? String }) == ["small-1", "big-1"])
        let t = try #require(cells.first { ($0["key"] as? [String: Any])?["example"] as? String == "t" })
        let otlp = try run(["traces", "show", try #require(t["traceID"] as? String), "--otlp"], in: w)
        #expect(otlp.stdout.contains("\\\"tool_call\\\"") && otlp.stdout.contains("\\\"tool_call_response\\\"") && otlp.stdout.contains("gen_ai.usage.cache_read.input_tokens"))
        #expect(files(in: w, holding: Self.realKey).isEmpty)
    }

    @Test("a LangGraph agent on ChatOpenAI runs through the gateway unchanged")
    func langGraph() throws {
        guard let python = GatewayStub.clients() else { return }
        let stub = try GatewayStub()
        let w = try workspace(agent: "langgraph_agent.py", python: python, stub: stub, examples: [#"{"id":"g","input":{"question":"capital of Peru"},"expected":"x"}"#])
        let r = try run(["run", "--quiet", "--no-reports"], in: w)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        let cells = try cells(w)
        #expect(cells.allSatisfy { $0["status"] as? String == "ok" && $0["modelCalls"] as? Int == 2 }, "\(cells)")
        let low = try #require(cells.first { ($0["key"] as? [String: Any])?["tier"] as? String == "low" })
        #expect(output(low)["answer"] as? String == "answer from small-1: capital of Peru", "\(output(low))")
    }
}
