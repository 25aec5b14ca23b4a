import Testing
@testable import AssayCore

@Suite("Prices")
struct PriceTableTests {
    /// A small table with distinct prices, so that each part of a cost is visible in the sum.
    static let table = """
        {
          "sample_spec": {"input_cost_per_token": "dollars per token", "litellm_provider": "one of the providers"},
          "gpt-4o-mini": {"input_cost_per_token": 1.5e-07, "output_cost_per_token": 6e-07, "cache_read_input_token_cost": 7.5e-08,
                          "litellm_provider": "openai", "mode": "chat", "max_tokens": "ignored", "supports_vision": true},
          "thinker": {"input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06, "output_cost_per_reasoning_token": 5e-06,
                      "litellm_provider": "openai", "mode": "chat"},
          "image-only": {"output_cost_per_image": 0.04, "litellm_provider": "openai", "mode": "image_generation"}
        }
        """

    static func parsed() throws -> PriceTable { try PriceTable.parse(table, source: "prices.json") }

    static func close(_ a: Double?, _ b: Double) -> Bool { a.map { abs($0 - b) < 1e-12 } ?? false }

    @Test("parses LiteLLM's format: per-token prices, provider and mode; sample_spec and unknown fields skipped")
    func parses() throws {
        let t = try Self.parsed()
        #expect(t.count == 3)
        #expect(t.entry("sample_spec") == nil)
        let mini = try #require(t.entry("gpt-4o-mini"))
        #expect(mini.inputPerToken == 1.5e-07 && mini.outputPerToken == 6e-07 && mini.cacheReadPerToken == 7.5e-08)
        #expect(mini.cacheWritePerToken == nil && mini.reasoningPerToken == nil)
        #expect(mini.provider == "openai" && mini.mode == "chat" && mini.source == "prices.json")
        #expect(t.entry("GPT-4O-MINI")?.key == "gpt-4o-mini")
        #expect(t.entry("image-only")?.pricesTokens == false)
    }

    @Test("refuses bad values with the file, the line and the JSON path of each")
    func badValues() {
        let text = """
            {
              "gpt-x": {"input_cost_per_token": "0.1"},
              "gpt-y": 5,
              "gpt-z": {"output_cost_per_token": -1,
                        "litellm_provider": 3}
            }
            """
        let error = #expect(throws: AssayError.self) { try PriceTable.parse(text, source: "prices.json") }
        let lines = (error?.inputProblems ?? []).map(\.description)
        #expect(lines == [
            #"prices.json:2: ["gpt-x"].input_cost_per_token: expected US dollars per token, a number 0 or more, got a string"#,
            #"prices.json:3: ["gpt-y"]: expected an object of prices, got 5"#,
            #"prices.json:4: ["gpt-z"].output_cost_per_token: expected US dollars per token, a number 0 or more, got -1"#,
            #"prices.json:5: ["gpt-z"].litellm_provider: expected a string, got 3"#,
        ])
    }

    @Test("refuses a file that is not a JSON object of prices, naming the file", arguments: [
        ("[1, 2]", "prices.json:1: expected a JSON object of model names to prices"),
        ("{\"gpt-x\": {\"input_cost_per_token\": 1e-06,", "prices.json:2: unexpected end of input"),
    ])
    func notATable(text: String, start: String) {
        let error = #expect(throws: AssayError.self) { try PriceTable.parse(text, source: "prices.json") }
        #expect(error?.description.hasPrefix(start) == true, "\(error?.description ?? "")")
    }

    @Test("a missing price file is a sentence naming it")
    func missingFile() {
        let error = #expect(throws: AssayError.self) { try PriceTable.load(file: "/nonexistent/prices.json") }
        #expect(error?.description.contains("/nonexistent/prices.json") == true)
    }

    @Test("the pinned table parses and has the common providers' models")
    func pinned() throws {
        let t = PriceTable.pinned
        // All 874 pinned entries, from the four provider groups (a group that failed to parse would be missing here).
        #expect(t.count == 874)
        #expect(t.sources == [PriceTable.pinnedDescription])
        for key in ["gpt-4o-mini", "gpt-4o", "gpt-4.1", "o3", "gpt-5", "text-embedding-3-small", "claude-sonnet-4-5", "claude-haiku-4-5",
                    "gemini/gemini-2.5-pro", "gemini-2.5-flash", "mistral/mistral-large-latest", "deepseek-chat", "xai/grok-4.3",
                    "groq/openai/gpt-oss-120b"] {
            #expect(t.entry(key)?.pricesTokens == true, "\(key)")
        }
        #expect(t.entries.values.allSatisfy { $0.pricesTokens && $0.source == "pinned" })
        // The figures LiteLLM gives for gpt-4o-mini: $0.15 and $0.60 per million, cache reads $0.075.
        let mini = try #require(t.entry("gpt-4o-mini"))
        #expect(mini.inputPerToken == 1.5e-07 && mini.outputPerToken == 6e-07 && mini.cacheReadPerToken == 7.5e-08)
    }

    @Test("a dated name matches its base entry, and says so")
    func datedName() throws {
        let m = try #require(try Self.parsed().match(model: "gpt-4o-mini-2024-07-18", provider: "openai"))
        #expect(m.key == "gpt-4o-mini" && m.rule == .exact && m.removedSuffix == "-2024-07-18")
        #expect(m.explanation.contains("without its snapshot suffix -2024-07-18"))
    }

    @Test("an exact dated entry wins over the base entry")
    func exactDatedWins() throws {
        let m = try #require(PriceTable.pinned.match(model: "gpt-4o-mini-2024-07-18", provider: "openai"))
        #expect(m.key == "gpt-4o-mini-2024-07-18" && m.removedSuffix == nil)
    }

    @Test("removes the snapshot suffixes providers use", arguments: [
        ("gpt-4o-mini-2024-07-18", "gpt-4o-mini", "-2024-07-18"), ("claude-3-5-sonnet-20241022", "claude-3-5-sonnet", "-20241022"),
        ("claude-3-5-sonnet@20240620", "claude-3-5-sonnet", "@20240620"), ("claude-3-5-sonnet-latest", "claude-3-5-sonnet", "-latest"),
    ])
    func suffixes(name: String, base: String, suffix: String) {
        #expect(DatedModelName.split(name)?.base == base && DatedModelName.split(name)?.suffix == suffix)
    }

    @Test("keeps suffixes that are versions, not dates", arguments: ["gpt-4-0613", "gpt-4o", "model-99999999", "x-2024-13-01", "-latest"])
    func notDated(name: String) {
        #expect(DatedModelName.split(name) == nil)
    }

    @Test("maps the span's provider to LiteLLM's prefix, and a provider already in the model name", arguments: [
        ("gemini-2.5-flash", "gcp.gemini", "gemini/gemini-2.5-flash", PriceMatch.Rule.providerPrefix),
        ("mistral-large-latest", "mistral_ai", "mistral/mistral-large-latest", .providerPrefix),
        ("claude-3-5-haiku@20241022", "gcp.vertex_ai", "vertex_ai/claude-3-5-haiku@20241022", .providerPrefix),
        ("openai/gpt-4o", nil, "gpt-4o", .modelPrefix),
        ("mistral_ai/mistral-large-latest", nil, "mistral/mistral-large-latest", .modelPrefix),
        ("models/gemini-2.5-pro", "gcp.gemini", "gemini/gemini-2.5-pro", .providerPrefix),
        ("claude-haiku-4-5-20251001", "anthropic", "claude-haiku-4-5-20251001", .exact),
    ] as [(String, String?, String, PriceMatch.Rule)])
    func providers(model: String, provider: String?, key: String, rule: PriceMatch.Rule) throws {
        let m = try #require(PriceTable.pinned.match(model: model, provider: provider))
        #expect(m.key == key && m.rule == rule, "\(m.key) \(m.rule)")
    }

    @Test("an override file replaces pinned entries (ignoring case) and adds new ones")
    func override() throws {
        let overrides = try PriceTable.parse("""
            {"GPT-4o-mini": {"input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06},
             "house-model": {"input_cost_per_token": 3e-06, "output_cost_per_token": 4e-06}}
            """, source: "mine.json")
        let t = PriceTable.pinned.merging(overrides)
        #expect(t.count == PriceTable.pinned.count + 1)
        let mini = try #require(t.match(model: "gpt-4o-mini"))
        #expect(mini.key == "GPT-4o-mini" && mini.price.inputPerToken == 1e-06 && mini.price.cacheReadPerToken == nil && mini.price.source == "mine.json")
        #expect(t.match(model: "house-model-2026-01-02")?.key == "house-model")
        #expect(t.sources == [PriceTable.pinnedDescription, "mine.json"])
    }

    @Test("prices cache reads and writes apart from uncached input (hand-computed: $0.0303)")
    func cacheTokens() throws {
        // claude-sonnet-4-5: input $3, output $15, cache read $0.30, cache write $3.75 per million; no reasoning price.
        let price = try #require(PriceTable.pinned.entry("claude-sonnet-4-5"))
        let usage = ModelUsage(provider: "anthropic", model: "claude-sonnet-4-5", calls: 1, inputTokens: 10_000, outputTokens: 1_000,
                               cacheReadTokens: 6_000, cacheWriteTokens: 2_000, reasoningTokens: 400)
        let cost = UsageCost(usage: usage, price: price)
        // 2,000 uncached × 3e-6 = 0.006; 6,000 reads × 3e-7 = 0.0018; 2,000 writes × 3.75e-6 = 0.0075;
        // 600 output × 1.5e-5 = 0.009; 400 reasoning at the output price × 1.5e-5 = 0.006.
        #expect(cost.parts.map(\.tokens) == [2_000, 6_000, 2_000, 600, 400])
        #expect(Self.close(cost.parts[0].usd, 0.006) && Self.close(cost.parts[1].usd, 0.0018) && Self.close(cost.parts[2].usd, 0.0075))
        #expect(Self.close(cost.parts[3].usd, 0.009) && Self.close(cost.parts[4].usd, 0.006))
        #expect(Self.close(cost.usd, 0.0303))
        #expect(cost.missingFields.isEmpty)
        #expect(cost.fallbackNotes == ["reasoning at the output price (the entry has no output_cost_per_reasoning_token)"])
        #expect(TraceCost(usage: [usage], prices: .pinned).text == "$0.0303")
    }

    @Test("prices reasoning tokens at their own price, and cache reads at the input price when the entry has none (hand-computed: $0.0026)")
    func reasoningTokens() throws {
        let price = try #require(try Self.parsed().entry("thinker"))
        // 600 uncached × 1e-6 + 400 cache reads at the input price × 1e-6 = 0.001; 300 output × 2e-6 = 0.0006; 200 reasoning × 5e-6 = 0.001.
        let usage = ModelUsage(model: "thinker", calls: 1, inputTokens: 1_000, outputTokens: 500, cacheReadTokens: 400, reasoningTokens: 200)
        let cost = UsageCost(usage: usage, price: price)
        #expect(Self.close(cost.usd, 0.0026))
        #expect(cost.fallbackNotes == ["cache read at the input price (the entry has no cache_read_input_token_cost)"])
    }

    @Test("more cached tokens than input tokens never make the uncached part negative")
    func neverNegative() throws {
        let price = try #require(try Self.parsed().entry("gpt-4o-mini"))
        let cost = UsageCost(usage: ModelUsage(model: "gpt-4o-mini", calls: 1, inputTokens: 100, outputTokens: 0, cacheReadTokens: 300), price: price)
        #expect(cost.parts.map(\.kind) == [.cacheRead])
        #expect(Self.close(cost.usd, 300 * 7.5e-08))
    }

    @Test("an unknown model costs unknown, never $0, and says why")
    func unknownModel() {
        let sim = ModelUsage(provider: "sim", model: "sim-low", calls: 2, inputTokens: 1_000, outputTokens: 100)
        let cost = TraceCost(usage: [sim], prices: .pinned)
        #expect(cost.usd == nil && cost.text == "unknown")
        #expect(cost.detail == "unknown (sim-low: no entry for sim-low in the price table)")
        // With a priced model beside it, the known part is a lower bound, still not a cost.
        let mini = ModelUsage(provider: "openai", model: "gpt-4o-mini", calls: 1, inputTokens: 10_000, outputTokens: 1_000)
        let mixed = TraceCost(usage: [mini, sim], prices: .pinned)
        #expect(mixed.text == "unknown" && mixed.usd == nil && Self.close(mixed.knownUSD, 0.0021))
        #expect(mixed.detail == "unknown (≥ $0.0021; sim-low: no entry for sim-low in the price table)")
        #expect(!mixed.text.contains("$0"))
    }

    @Test("a model call with no model name, or with no token counts, costs unknown")
    func unknownOtherwise() {
        #expect(TraceCost(usage: [ModelUsage(calls: 1, inputTokens: 10, outputTokens: 1)], prices: .pinned).detail == "unknown (the span names no model)")
        let silent = ModelUsage(model: "gpt-4o", calls: 1, callsWithoutUsage: 1)
        #expect(TraceCost(usage: [silent], prices: .pinned).detail == "unknown (the call reported no token counts)")
        let partial = ModelUsage(model: "gpt-4o", calls: 2, inputTokens: 1_000, outputTokens: 100, callsWithoutUsage: 1)
        #expect(TraceCost(usage: [partial], prices: .pinned).detail == "$0.0035 (1 of 2 calls reported no token counts, not counted)")
        let outputOnly = PriceTable(entries: [ModelPrice(key: "half", outputPerToken: 1e-06)])
        let half = TraceCost(usage: [ModelUsage(model: "half", calls: 1, inputTokens: 10, outputTokens: 10)], prices: outputOnly)
        #expect(half.detail == "unknown (half: entry half has no input_cost_per_token)")
    }

    @Test("a trace with no model calls has no cost: -")
    func noModelCalls() {
        var summary = TraceSummary(traceID: TraceID(hex: "0af7651916cd43dd8448eb211c80319c")!, operations: [.agent, .tool])
        #expect(TraceCost(summary: summary, prices: .pinned).text == "-")
        #expect(TraceCost(usage: [], prices: .pinned).usd == nil)
        // A chat trace whose store kept no usage is unknown, not free.
        summary.operations = [.agent, .chat]
        #expect(TraceCost(summary: summary, prices: .pinned).text == "unknown")
    }

    @Test("formats dollars as the browser does", arguments: [
        (0.0303, "$0.0303"), (0.00004, "<$0.0001"), (0, "$0"), (12.5, "$12.50"), (1234.4, "$1234"),
    ])
    func dollars(usd: Double, text: String) {
        #expect(Dollars.text(usd) == text)
    }

    @Test("shows per-token prices per million tokens", arguments: [
        (1.5e-07, "$0.15"), (7.5e-08, "$0.075"), (3.75e-06, "$3.75"), (2.5e-06, "$2.50"), (2.8e-08, "$0.028"),
    ])
    func perMillion(perToken: Double, text: String) {
        #expect(Dollars.perMillion(perToken) == text)
    }

    @Test("names close keys for a model with no entry")
    func closeKeys() {
        #expect(PriceTable.pinned.match(model: "gpt-4o-minii") == nil)
        #expect(PriceTable.pinned.closeKeys(to: "gpt-4o-minii").contains("gpt-4o-mini"))
    }
}
