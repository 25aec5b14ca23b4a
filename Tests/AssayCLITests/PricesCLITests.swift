import Foundation
import Testing

/// Prices from the command line: `assay prices show`, costs in `traces list`, `traces show` and the
/// browser, `--prices` overrides, and tiers priced from the table in `assay run` (docs/prices.md).
@Suite("Prices on the command line", .serialized)
struct PricesCLITests {
    static let priced = "11111111111111111111111111111111"
    static let unpriced = "22222222222222222222222222222222"
    static let noCalls = "33333333333333333333333333333333"

    /// One chat span as OTLP/JSON, with its model, provider and tokens.
    static func chat(trace: String, span: String, model: String, input: Int, output: Int, cacheRead: Int = 0) -> String {
        #"{"traceId":"\#(trace)","spanId":"\#(span)","parentSpanId":"\#(String(trace.prefix(16)))","name":"chat \#(model)","kind":3,"#
            + #""startTimeUnixNano":"1700000000100000000","endTimeUnixNano":"1700000000900000000","attributes":["#
            + #"{"key":"gen_ai.operation.name","value":{"stringValue":"chat"}},{"key":"gen_ai.provider.name","value":{"stringValue":"openai"}},"#
            + #"{"key":"gen_ai.response.model","value":{"stringValue":"\#(model)"}},"#
            + #"{"key":"gen_ai.usage.input_tokens","value":{"intValue":"\#(input)"}},{"key":"gen_ai.usage.output_tokens","value":{"intValue":"\#(output)"}},"#
            + #"{"key":"gen_ai.usage.cache_read.input_tokens","value":{"intValue":"\#(cacheRead)"}}]}"#
    }

    /// A root span.
    static func root(trace: String, start: Int) -> String {
        #"{"traceId":"\#(trace)","spanId":"\#(String(trace.prefix(16)))","name":"invoke_agent a","kind":1,"#
            + #""startTimeUnixNano":"17000000\#(start)0000000000","endTimeUnixNano":"17000000\#(start)1000000000","#
            + #""attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"invoke_agent"}}]}"#
    }

    /// A store with three traces: gpt-4o-mini (priced), house-model beside gpt-4o-mini (unpriced), no model call.
    func workspace() throws -> URL {
        let w = try AssayProcess.workspace()
        let spans = [
            Self.root(trace: Self.priced, start: 3),
            // 6,000 uncached × $0.15/M + 4,000 cache reads × $0.075/M + 1,000 output × $0.60/M = $0.0018
            Self.chat(trace: Self.priced, span: "1111111111111112", model: "gpt-4o-mini-2024-07-18", input: 10_000, output: 1_000, cacheRead: 4_000),
            Self.root(trace: Self.unpriced, start: 2),
            Self.chat(trace: Self.unpriced, span: "2222222222222223", model: "gpt-4o-mini-2024-07-18", input: 10_000, output: 1_000, cacheRead: 4_000),
            Self.chat(trace: Self.unpriced, span: "2222222222222224", model: "house-model", input: 1_000, output: 100),
            Self.root(trace: Self.noCalls, start: 1),
        ]
        let file = #"{"resourceSpans":[{"resource":{"attributes":[]},"scopeSpans":[{"scope":{"name":"t"},"spans":["#
            + spans.joined(separator: ",") + "]}]}]}\n"
        try file.write(to: w.appendingPathComponent("traces.json"), atomically: true, encoding: .utf8)
        let ingest = try AssayProcess.run(["ingest", "traces.json"], in: w)
        #expect(ingest.status == 0, "\(ingest.stderr)")
        try #"{"house-model": {"input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06, "litellm_provider": "openai", "mode": "chat"}}"#
            .write(to: w.appendingPathComponent("prices.json"), atomically: true, encoding: .utf8)
        return w
    }

    /// The table line of a trace.
    static func line(_ text: String, _ trace: String) -> String {
        text.split(separator: "\n").first { $0.hasPrefix(trace) }.map(String.init) ?? ""
    }

    @Test("prices show explains a dated name's match and its prices per million tokens")
    func showDated() throws {
        let w = try AssayProcess.workspace()
        // LiteLLM keeps Claude 3.5 Sonnet only under Vertex AI (and Bedrock): the dated name finds the base entry.
        let r = try AssayProcess.run(["prices", "show", "claude-3-5-sonnet-20241022", "--provider", "gcp.vertex_ai"], in: w)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("claude-3-5-sonnet-20241022 → vertex_ai/claude-3-5-sonnet\n"), "\(r.stdout)")
        #expect(r.stdout.contains("without its snapshot suffix -20241022"))
        // A dated entry wins over the base one.
        let direct = try AssayProcess.run(["prices", "show", "claude-sonnet-4-5-20250929", "--provider", "anthropic"], in: w)
        #expect(direct.stdout.hasPrefix("claude-sonnet-4-5-20250929 → claude-sonnet-4-5-20250929\n"), "\(direct.stdout)")
        let mini = try AssayProcess.run(["prices", "show", "gpt-4o-mini"], in: w)
        #expect(mini.stdout.contains("input        $0.15      input_cost_per_token"), "\(mini.stdout)")
        #expect(mini.stdout.contains("cache read   $0.075     cache_read_input_token_cost"))
        #expect(mini.stdout.contains("output       $0.60      output_cost_per_token"))
    }

    @Test("prices show exits 1 for an unknown model, naming close names")
    func showUnknown() throws {
        let w = try AssayProcess.workspace()
        let r = try AssayProcess.run(["prices", "show", "gpt-4o-minii"], in: w)
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.hasPrefix("gpt-4o-minii: no price: no entry in the price table matches it"), "\(r.stderr)")
        #expect(r.stderr.contains("close names: gpt-4o-mini,"))
    }

    @Test("traces list shows each trace's cost: dollars, unknown for an unpriced model, - without model calls")
    func listCosts() throws {
        let w = try workspace()
        let r = try AssayProcess.run(["traces", "list"], in: w)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("TRACE ID                          START                     DURATION  SPANS  ERRORS  TOKENS      COST  MODELS"))
        #expect(Self.line(r.stdout, Self.priced).contains("  $0.0018  "), "\(r.stdout)")
        #expect(Self.line(r.stdout, Self.unpriced).contains("  unknown  "))
        #expect(Self.line(r.stdout, Self.noCalls).contains("        -  "))
        #expect(!Self.line(r.stdout, Self.unpriced).contains("$0"))
        let json = try AssayProcess.run(["traces", "list", "--json"], in: w)
        let traces = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        let byID = Dictionary(uniqueKeysWithValues: traces.map { ($0["traceId"] as? String ?? "", $0) })
        #expect(abs((byID[Self.priced]?["costUSD"] as? Double ?? 0) - 0.0018) < 1e-12)
        #expect(byID[Self.unpriced]?["costUSD"] is NSNull && byID[Self.unpriced]?["cost"] as? String == "unknown")
        #expect(byID[Self.unpriced]?["costDetail"] as? String == "unknown (≥ $0.0018; house-model: no entry for house-model in the price table)")
        #expect(byID[Self.noCalls]?["cost"] as? String == "-")
    }

    @Test("--prices gives an unpriced model its price")
    func listOverride() throws {
        let w = try workspace()
        // + 1,000 × $1/M + 100 × $2/M = $0.0012, so $0.0030 in all.
        let r = try AssayProcess.run(["traces", "list", "--prices", "prices.json"], in: w)
        #expect(Self.line(r.stdout, Self.unpriced).contains("  $0.0030  "), "\(r.stdout)")
        let bad = try AssayProcess.run(["traces", "list", "--prices", "traces.json"], in: w)
        #expect(bad.status == 1)
        #expect(bad.stderr.hasPrefix("traces.json:1: [\"resourceSpans\"]: expected an object of prices, got an array"), "\(bad.stderr)")
        let missing = try AssayProcess.run(["traces", "list", "--prices", "none.json"], in: w)
        #expect(missing.status == 2 && missing.stderr.contains("--prices: no such file none.json"), "\(missing.stderr)")
    }

    @Test("traces show gives each model call its cost and explains the trace's unknown cost")
    func showTrace() throws {
        let w = try workspace()
        let r = try AssayProcess.run(["traces", "show", Self.unpriced], in: w)
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains("  cost unknown (≥ $0.0018; house-model: no entry for house-model in the price table)"), "\(r.stdout)")
        #expect(lines.contains { $0.contains("chat gpt-4o-mini-2024-07-18") && $0.hasSuffix("tokens 10000→1000  $0.0018") })
        #expect(lines.contains { $0.contains("chat house-model") && $0.hasSuffix("cost unknown (house-model: no entry for house-model in the price table)") })
        let priced = try AssayProcess.run(["traces", "show", Self.unpriced, "--prices", "prices.json"], in: w)
        #expect(priced.stdout.contains("\n  cost $0.0030\n"), "\(priced.stdout)")
    }

    @Test("the browser's data carries trace costs, unknown ones as unknown")
    func browse() throws {
        let w = try workspace()
        let r = try AssayProcess.run(["browse", "--out", "b.html"], in: w)
        #expect(r.status == 0, "\(r.stderr)")
        let page = try String(contentsOf: w.appendingPathComponent("b.html"), encoding: .utf8)
        #expect(page.contains(#""costUSD":null,"cost":"unknown","costDetail":"unknown (≥ $0.0018; house-model: no entry for house-model in the price table)""#))
        #expect(page.contains(#""costUSD":0.0018"#))
    }

    /// A workspace for `assay run`: one example, a shell agent that writes one chat span of 1,000 input
    /// and 100 output tokens on the tier's model and echoes its input, and tiers low (gpt-4o-mini, no
    /// prices), mid (house-model, no prices) and frontier (suite prices).
    func runWorkspace(extra: String = "") throws -> URL {
        let w = try AssayProcess.workspace()
        try FileManager.default.createDirectory(at: w.appendingPathComponent("Datasets"), withIntermediateDirectories: true)
        try #"{"id":"ex01","input":"q1","expected":"q1","status":"ready"}"#.appending("\n")
            .write(to: w.appendingPathComponent("Datasets/d.jsonl"), atomically: true, encoding: .utf8)
        let agent = #"""
            read -r input; tp=$TRACEPARENT; trace=$(echo $tp | cut -d- -f2); parent=$(echo $tp | cut -d- -f3)
            printf '{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"%s","spanId":"00000000000000aa","parentSpanId":"%s","name":"chat","startTimeUnixNano":"1","endTimeUnixNano":"2","attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"chat"}},{"key":"gen_ai.request.model","value":{"stringValue":"%s"}},{"key":"gen_ai.usage.input_tokens","value":{"intValue":"1000"}},{"key":"gen_ai.usage.output_tokens","value":{"intValue":"100"}}]}]}]}]}\n' $trace $parent $ASSAY_MODEL >> $ASSAY_TRACE_FILE
            echo "$input"
            """#
        let suite = """
            agent:
              command:
                - /bin/sh
                - -c
                - |
            \(agent.split(separator: "\n").map { "          " + $0 }.joined(separator: "\n"))
              timeout_seconds: 10
            tiers:
              low: {model: gpt-4o-mini}
              mid: {model: house-model}
              frontier: {model: large, input_price: 10, output_price: 30}
            datasets: [Datasets/d.jsonl]
            end_to_end:
              threshold: 1
              scorers: [{kind: exact_match}]
            \(extra)
            """
        try suite.write(to: w.appendingPathComponent("assay.yaml"), atomically: true, encoding: .utf8)
        try #"{"house-model": {"input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06}}"#
            .write(to: w.appendingPathComponent("prices.json"), atomically: true, encoding: .utf8)
        return w
    }

    /// The run file of the only run in the workspace.
    func runFile(_ w: URL) throws -> [String: Any] {
        let runs = try FileManager.default.contentsOfDirectory(atPath: w.appendingPathComponent("Reports/runs").path)
        let file = try #require(runs.first { $0.hasSuffix(".json") })
        return try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: w.appendingPathComponent("Reports/runs/" + file))) as? [String: Any])
    }

    @Test("a run's tier without prices takes the table's; one whose model has none costs unknown in the reports")
    func runTiers() throws {
        let w = try runWorkspace()
        let r = try AssayProcess.run(["run", "--quiet"], in: w)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        let run = try runFile(w)
        let tiers = try #require(run["tiers"] as? [[String: Any]])
        let low = try #require(tiers.first { $0["name"] as? String == "low" })
        #expect(low["priceEntry"] as? String == "gpt-4o-mini" && abs((low["inputPricePerMillion"] as? Double ?? 0) - 0.15) < 1e-9)
        #expect(tiers.first { $0["name"] as? String == "mid" }?["unpriced"] as? Bool == true)
        #expect(tiers.first { $0["name"] as? String == "frontier" }?["priceEntry"] == nil)
        let cells = try #require(run["cells"] as? [[String: Any]])
        func cost(_ tier: String) -> Double? { cells.first { ($0["key"] as? [String: Any])?["tier"] as? String == tier }?["costUSD"] as? Double }
        // low: 1,000 × $0.15/M + 100 × $0.60/M = $0.00021; frontier: 1,000 × $10/M + 100 × $30/M = $0.013.
        #expect(abs((cost("low") ?? 0) - 0.00021) < 1e-12 && abs((cost("frontier") ?? 0) - 0.013) < 1e-12)
        let markdown = try String(contentsOf: w.appendingPathComponent("Reports/assay-summary.md"), encoding: .utf8)
        #expect(markdown.contains("total cost unknown (≥ $0.0132; no price for tier mid's model house-model)"), "\(markdown)")
        #expect(markdown.contains(" · unknown · "))
        // The routing advice calls no tier cheaper than one whose cost is unknown.
        #expect(markdown.contains("the cost of mid is unknown (no price for its model), so no tier is called cheaper"), "\(markdown)")
        let junit = try String(contentsOf: w.appendingPathComponent("Reports/assay-junit.xml"), encoding: .utf8)
        #expect(junit.contains(#"<property name="cost_per_cell_usd" value="unknown"/>"#) && junit.contains("cost per cell unknown"))
        #expect(junit.contains(#"<property name="cost_per_cell_usd" value="0.000210"/>"#))
        let html = try String(contentsOf: w.appendingPathComponent("Reports/assay-report.html"), encoding: .utf8)
        #expect(html.contains("unknown/cell") && html.contains("total cost unknown (≥ $0.0132"))
    }

    @Test("a suite's prices: file and --prices price a tier's model; a bad price file is refused with its place")
    func runPriceFiles() throws {
        let w = try runWorkspace(extra: "prices: prices.json")
        let r = try AssayProcess.run(["run", "--quiet"], in: w)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        let tiers = try #require(try runFile(w)["tiers"] as? [[String: Any]])
        #expect(tiers.first { $0["name"] as? String == "mid" }?["priceEntry"] as? String == "house-model")
        // 0.00021 + (1,000 × $1/M + 100 × $2/M = 0.0012) + 0.013
        let markdown = try String(contentsOf: w.appendingPathComponent("Reports/assay-summary.md"), encoding: .utf8)
        #expect(markdown.contains("total cost $0.0144."), "\(markdown)")
        let override = try runWorkspace()
        try #"{"house-model": {"input_cost_per_token": 2e-06, "output_cost_per_token": 4e-06}}"#
            .write(to: override.appendingPathComponent("mine.json"), atomically: true, encoding: .utf8)
        let o = try AssayProcess.run(["run", "--quiet", "--prices", "mine.json"], in: override)
        #expect(o.status == 0, "\(o.stderr)")
        let mid = try #require(try runFile(override)["tiers"] as? [[String: Any]]).first { $0["name"] as? String == "mid" }
        #expect(abs((mid?["inputPricePerMillion"] as? Double ?? 0) - 2) < 1e-9)
        let bad = try runWorkspace(extra: "prices: Datasets/d.jsonl")
        let b = try AssayProcess.run(["run", "--quiet"], in: bad)
        #expect(b.status == 1)
        #expect((b.stdout + b.stderr).contains(#"Datasets/d.jsonl:1: ["id"]: expected an object of prices, got a string"#), "\(b.stdout)\(b.stderr)")
    }
}
