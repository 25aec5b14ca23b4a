import Foundation
import Testing
import AssayTestSupport
@testable import AssayCore
import AssayEval
import AssayRunner

@Suite("Suite files")
struct SuiteFileTests {
    /// A valid suite whose last lines are `extra`; the first extra line is line 6.
    static func suite(_ extra: String) -> String {
        """
        agent: {command: [agent]}
        tiers:
          low: {model: m}
        datasets: [d.jsonl]
        end_to_end: {scorers: [{kind: token_f1}]}
        \(extra)
        """
    }

    static func problems(_ text: String) -> [String] {
        do {
            _ = try SuiteLoader(scorers: ScorerFileLoader()).parse(text, source: "assay.yaml")
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    @Test("reads the gate section: gated tiers and components, alpha, minimum effect, failed cells, inconclusive policy, floors")
    func gateSection() throws {
        let text = Self.suite("gate:\n  tiers: [low]\n  components: [end_to_end]\n  alpha: 0.01\n  min_effect: 0.05\n  max_error_share: 0.1\n  inconclusive: fail\n  floors:\n    end_to_end: {mean: 0.6, pass_rate: 0.5}\n")
        let gate = try SuiteLoader(scorers: ScorerFileLoader()).parse(text, source: "assay.yaml").gate
        #expect(gate.tiers == ["low"] && gate.components == ["end_to_end"])
        #expect(gate.alpha == 0.01 && gate.minEffect == 0.05 && gate.maxErrorShare == 0.1 && gate.inconclusiveFails)
        #expect(gate.floors["end_to_end"] == GateFloor(mean: 0.6, passRate: 0.5))
        let defaults = try SuiteLoader(scorers: ScorerFileLoader()).parse(Self.suite(""), source: "assay.yaml").gate
        #expect(defaults.tiers == nil && defaults.maxErrorShare == 0 && !defaults.inconclusiveFails && defaults.alpha == 0.05)
    }

    @Test("refuses a bad gate section, naming each problem at its line", arguments: [
        ("gate:\n  tier: [low]\n", "assay.yaml:7: gate.tier: unknown key"),
        ("gate:\n  tiers: [huge]\n", "assay.yaml:6: gate.tiers: no tier huge in the suite"),
        ("gate:\n  components: [triage]\n", "assay.yaml:6: gate: no component triage in the suite"),
        ("gate:\n  alpha: 2\n", "assay.yaml:7: gate.alpha: expected a number between 0 and 1"),
        ("gate:\n  inconclusive: maybe\n", "assay.yaml:7: gate.inconclusive: expected pass or fail"),
        ("gate:\n  floors:\n    end_to_end: {mean: 3}\n", "assay.yaml:8: gate.floors.end_to_end.mean: expected a number from 0 to 1"),
    ])
    func badGate(extra: String, expected: String) {
        let problems = Self.problems(Self.suite(extra))
        #expect(problems.contains { $0.hasPrefix(expected) }, "\(problems)")
    }

    @Test("refuses in time the fuzzers' findings: an alias of a large anchor used as a mapping key", arguments: [
        "suite-yaml-alias-key-timeout.yaml", "alias-key-minimal.yaml",
    ])
    func fuzzFindings(file: String) throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let data = try Data(contentsOf: root.appendingPathComponent("Fuzz/Corpus/suite-yaml/\(file)"))
        let started = ContinuousClock.now
        let problems = Self.problems(String(decoding: data, as: UTF8.self))
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(problems.contains { $0.contains("a mapping key expands to more than \(YAMLDocument.maxNodes) values") }, "\(problems)")
    }

    @Test("reads a minimal suite with its defaults")
    func minimal() throws {
        let suite = try SuiteLoader(scorers: ScorerFileLoader()).parse(Self.suite("repeats: 3"), source: "assay.yaml")
        #expect(suite.repeats == 3 && suite.concurrency == 4 && suite.agent.timeoutSeconds == 60)
    }

    @Test("refuses whole numbers out of range, fractional or too large for an integer, with file:line: key: problem", arguments: [
        ("repeats: 1e19", "assay.yaml:6: repeats: expected a whole number from 1 to 100, got 1e+19"),
        ("repeats: -1e19", "assay.yaml:6: repeats: expected a whole number from 1 to 100, got -1e+19"),
        ("concurrency: 1e19", "assay.yaml:6: concurrency: expected a whole number from 1 to 256, got 1e+19"),
        ("concurrency: 9.3e18", "assay.yaml:6: concurrency: expected a whole number from 1 to 256, got 9.3e+18"),
        ("repeats: 1.5", "assay.yaml:6: repeats: expected a whole number from 1 to 100, got 1.5"),
        ("repeats: many", "assay.yaml:6: repeats: expected a whole number from 1 to 100, got string"),
        // A base 60 integer past Int.max: Yams itself would trap computing it.
        ("repeats: 1:0:0:0:0:0:0:0:0:0:0:0", "assay.yaml:6: repeats: expected a whole number from 1 to 100, got 3.62797056e+19"),
        ("agent: {command: [agent], timeout_seconds: 1e12}", "assay.yaml:1: agent.timeout_seconds: expected a number of seconds above 0 and at most 86400, got 1000000000000.0"),
        ("retries: {base_delay_seconds: 1e300}", "assay.yaml:6: retries.base_delay_seconds: expected seconds from 0 to 3600, got 1e+300"),
    ])
    func badNumbers(line: String, expected: String) {
        // An `agent:` line replaces the suite's own, on line 1.
        let text = line.hasPrefix("agent:") ? Self.suite("").replacingOccurrences(of: "agent: {command: [agent]}", with: line) : Self.suite(line)
        let problems = Self.problems(text)
        #expect(problems.contains(expected), "\(problems)")
    }

    @Test("reads base 60 integers as YAML 1.1 does")
    func sexagesimal() throws {
        let suite = try SuiteLoader(scorers: ScorerFileLoader()).parse(Self.suite("repeats: 1:05"), source: "assay.yaml")
        #expect(suite.repeats == 65)
    }

    @Test("refuses a suite whose aliases expand past the limit, naming the file and line, at once")
    func billionLaughs() throws {
        let text = Self.suite("x: " + YAMLBomb.text)
        let started = ContinuousClock.now
        let problems = Self.problems(text)
        #expect(ContinuousClock.now - started < .seconds(5))
        // The fifth anchor alone expands to 111,111 values.
        #expect(problems.count == 1 && problems[0].hasPrefix("assay.yaml:7: x[4][") && problems[0].contains("expands to more than 100000 values"), "\(problems)")
    }
}
