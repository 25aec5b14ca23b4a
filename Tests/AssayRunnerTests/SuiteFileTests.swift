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
