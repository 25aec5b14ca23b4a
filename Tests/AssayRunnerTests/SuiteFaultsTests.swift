import Foundation
import Testing
@testable import AssayCore
import AssayEval
@testable import AssayRunner

@Suite("The suite's fault plans, tools and resilience scorers")
struct SuiteFaultsTests {
    static func load(_ text: String) throws(EvalError) -> Suite {
        try SuiteLoader(scorers: ScorerFileLoader()).parse(text, source: "assay.yaml")
    }

    static let head = """
        agent: {command: [agent]}
        tiers: {low: {model: sim-low}, mid: {model: sim-mid}}
        datasets: [d.jsonl]
        end_to_end: {scorers: [{kind: token_f1}]}

        """

    @Test("plans, tools and scorers are read; recovered comes first; a run plans every example on every tier under each condition")
    func read() throws {
        let suite = try Self.load(Self.head + """
            tools:
              crm: {url: "http://127.0.0.1:9/api", env: CRM_URL, side_effects: ["GET /send"], read_only: ["POST /search"]}
            faults:
              rate_limited:
                - {on: model, call: 1, status: 429, retry_after: 2}
              flaky:
                seed: 9
                inject:
                  - {on: tool, tool: crm, probability: 0.25, reset: true}
              crash:
                - {on: crash, after: tool, call: 2}
            resilience:
              - no_duplicate_side_effects
              - {kind: bounded_effort, max_calls: 10}
            """)
        #expect(suite.faults.plans.map(\.name) == ["rate_limited", "flaky", "crash"])
        #expect(suite.faults.plans[0].injections == [FaultInjection(target: .model, when: .call(1), action: .status(429, retryAfterSeconds: 2))])
        #expect(suite.faults.plans[1].seed == 9 && suite.faults.plans[1].injections[0] == FaultInjection(target: .tool, name: "crm", when: .probability(0.25), action: .reset))
        #expect(suite.faults.plans[2].crash == CrashPoint(after: .tool, call: 2) && suite.faults.plans[2].injections.isEmpty)
        #expect(suite.faults.tools == [SuiteFaults.Tool(name: "crm", url: "http://127.0.0.1:9/api", environmentVariable: "CRM_URL", recordBodies: false,
                                                        sideEffects: ["GET /send"], readOnly: ["POST /search"])])
        #expect(suite.faults.scorers.map(\.name) == ["recovered", "no_duplicate_side_effects", "bounded_effort"])
        #expect(try suite.faults.select(["crash"], suitePath: "assay.yaml").map(\.name) == ["crash"])
        #expect(try suite.faults.select(["none"], suitePath: "assay.yaml").isEmpty)
        #expect(throws: RunnerError.self) { try suite.faults.select(["nope"], suitePath: "assay.yaml") }
    }

    @Test("bad plans are reported at their lines, each with what is expected")
    func problems() {
        var messages: [String] = []
        do {
            _ = try Self.load(Self.head + """
                faults:
                  clean:
                    - {on: model, call: 1, status: 429}
                  a:
                    - {on: model, status: 429}
                  b:
                    - {on: model, every: true, status: 200}
                  c:
                    - {on: tool, call: 1, reset: true}
                  d:
                    - {on: model, call: 1, status: 503, empty: true}
                  e:
                    - {on: crash, call: 2}
                resilience: [bounded_effort, sparkle]
                """)
        } catch { messages = error.problems.map(\.description) }
        #expect(messages.contains("assay.yaml:6: faults.clean: clean is the condition without faults; name the plan otherwise"), "\(messages)")
        #expect(messages.contains { $0.hasPrefix("assay.yaml:9: faults.a[0]: say which calls") }, "\(messages)")
        #expect(messages.contains { $0.hasPrefix("assay.yaml:11: faults.b[0].status: expected an HTTP error status") }, "\(messages)")
        #expect(messages.contains { $0.hasPrefix("assay.yaml:13: faults.c[0].on: no tools") }, "\(messages)")
        #expect(messages.contains { $0.hasPrefix("assay.yaml:15: faults.d[0]: give one fault per injection") }, "\(messages)")
        #expect(messages.contains { $0.hasPrefix("assay.yaml:17: faults.e[0].after: required") }, "\(messages)")
        #expect(messages.contains { $0.contains("resilience[0]: bounded_effort needs max_calls") }, "\(messages)")
        #expect(messages.contains { $0.contains("resilience[1]: expected one of recovered") }, "\(messages)")
    }

    @Test("the cells of a run: example × tier × (clean + plans) × repeat, clean first; keys name the condition")
    func plannedCells() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("assay-faults-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "{\"id\":\"e1\",\"input\":\"x\"}\n{\"id\":\"e2\",\"input\":\"y\"}\n".write(to: folder.appendingPathComponent("d.jsonl"), atomically: true, encoding: .utf8)
        var suite = try Self.load(Self.head + "faults:\n  p: [{on: model, call: 1, status: 500}]\n")
        suite.datasets = [folder.appendingPathComponent("d.jsonl").path]
        let plan = try RunPlan.make(suite, conditions: ["p"])
        #expect(plan.cells.count == 2 * 2 * 2)
        #expect(plan.cells.prefix(2).map(\.description) == ["e1/low/0", "e1/low@p/0"])
        #expect(try RunPlan.make(suite).cells.count == 4)
    }
}
