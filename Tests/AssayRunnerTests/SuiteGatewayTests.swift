import Foundation
import Testing
@testable import AssayCore
import AssayEval
import AssayGateway
@testable import AssayRunner

@Suite("The suite's model gateway settings")
struct SuiteGatewayTests {
    static func load(_ text: String) throws(EvalError) -> Suite {
        try SuiteLoader(scorers: ScorerFileLoader()).parse(text, source: "assay.yaml")
    }

    @Test("tiers name upstreams by name or inline; sim-* models are simulated; the gateway section is read")
    func upstreamsAndSection() throws {
        let suite = try Self.load("""
            agent: {command: [agent]}
            upstreams:
              local: {kind: openai, base_url: "http://127.0.0.1:8000/v1", api_key_env: null}
            tiers:
              low: {model: sim-low}
              mid: {model: llama, upstream: local, embedding_model: nomic}
              high: {model: claude-x, upstream: {kind: anthropic}}
              none: {model: gpt-x}
            datasets: [d.jsonl]
            end_to_end: {scorers: [{kind: token_f1}]}
            gateway:
              llm_cache: off
              max_calls_per_cell: 20
              max_cost_per_cell_usd: 0.5
            """)
        #expect(suite.tiers.map(\.upstream) == [.simulated, Upstream(kind: .openai, baseURL: "http://127.0.0.1:8000/v1", keyVariable: nil),
                                                Upstream(kind: .anthropic, baseURL: "https://api.anthropic.com", keyVariable: "ANTHROPIC_API_KEY"), nil])
        #expect(suite.tiers[1].embeddingModel == "nomic")
        #expect(suite.gateway.cacheMode == .off && suite.gateway.maxCallsPerCell == 20 && suite.gateway.maxCostPerCellUSD == 0.5)
        #expect(suite.gateway.enabled == nil)
    }

    @Test("every bad gateway setting is reported at its line")
    func problemsAtLines() {
        let text = """
            agent: {command: [agent]}
            tiers:
              low: {model: m, upstream: nowhere}
              mid: {model: m, upstream: {kind: azure}}
            datasets: [d.jsonl]
            end_to_end: {scorers: [{kind: token_f1}]}
            gateway:
              llm_cache: sometimes
              max_calls_per_cell: 0
              cache: x
            """
        var problems: [String] = []
        do { _ = try Self.load(text) } catch { problems = error.problems.map(\.description) }
        #expect(problems.contains { $0.hasPrefix("assay.yaml:3: tiers.low.upstream: no upstream nowhere") })
        #expect(problems.contains("assay.yaml:4: tiers.mid.upstream.kind: expected openai, anthropic or simulated, got azure"))
        #expect(problems.contains("assay.yaml:8: gateway.llm_cache: expected one of off, record, replay, replay-or-record"))
        #expect(problems.contains("assay.yaml:9: gateway.max_calls_per_cell: expected a whole number from 1 to 1000000"))
        #expect(problems.contains { $0.hasPrefix("assay.yaml:10: gateway.cache: unknown key") })
    }

    @Test("a missing key variable stops the run before it starts, naming the suite, the tier and the variable")
    func missingKeyBeforeStart() throws {
        let suite = try Self.load("""
            agent: {command: [agent]}
            tiers:
              mid: {model: gpt-x, upstream: {kind: openai, api_key_env: ASSAY_TEST_UNSET_KEY}}
            datasets: [d.jsonl]
            end_to_end: {scorers: [{kind: token_f1}]}
            """)
        #expect(throws: (any Error).self) { try RunGateway.make(suite, cacheMode: nil, spentUSD: 0, environment: [:]) }
        do { _ = try RunGateway.make(suite, cacheMode: nil, spentUSD: 0, environment: [:]) } catch {
            #expect("\(error)" == "assay.yaml: tier mid: its upstream's key variable ASSAY_TEST_UNSET_KEY is not set (export it, or use a sim-* model to run with no provider)")
        }
        #expect(try RunGateway.make(suite, cacheMode: .replay, spentUSD: 0, environment: [:]) != nil, "replaying needs no key")
        let plain = try Self.load("agent: {command: [agent]}\ntiers:\n  mid: {model: gpt-x}\ndatasets: [d.jsonl]\nend_to_end: {scorers: [{kind: token_f1}]}\n")
        #expect(try RunGateway.make(plain, cacheMode: nil, spentUSD: 0, environment: [:]) == nil, "no upstream, no sim model: no gateway")
    }
}
