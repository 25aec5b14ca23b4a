import Foundation
import Testing
import AssayTestSupport
@testable import AssayCore
@testable import AssayEval

@Suite("Scorer files")
struct ScorerFileTests {
    @Test("reads a component with its selector, weighted scorers, parameters and threshold")
    func reads() throws {
        let file = try ScorerFileLoader().parse("""
            component: triage
            description: The triage step labels each email.
            selector: op=chat first
            threshold: 0.75
            scorers:
              - kind: json_path_equals
                name: label
                path: $.label
                weight: 2
              - kind: valid_json
            """, source: "Scorers/triage.yaml")
        #expect(file.component.name == "triage")
        #expect(file.component.selector.description == "op=chat first")
        #expect(file.component.threshold == 0.75)
        #expect(file.component.scorers.map(\.scorer.name) == ["label", "valid_json"])
        #expect(file.component.scorers.map(\.weight) == [2, 1])
        #expect(file.component.scorers[0].scorer.parametersJSON.contains("$.label"))
    }

    @Test("reports every problem as file:line: path: problem", arguments: [
        ("selector: op=banana\nscorers:\n  - kind: valid_json\n", "s.yaml:1: selector: selector column 1: unknown operation"),
        ("selector: op=chat\n", "s.yaml:1: scorers: required"),
        ("selector: op=chat\nscorers:\n  - kind: nope\n", "s.yaml:3: scorers[0].kind: unknown kind 'nope'"),
        ("selector: op=chat\nscorers:\n  - kind: retrieval\n    metric: recall\n    k: 0\n", "s.yaml:5: scorers[0].k:"),
        ("selector: op=chat\nscorers:\n  - kind: exact_match\n    colour: red\n", "s.yaml:4: scorers[0].colour:"),
        ("selector: op=chat\nscorers:\n  - kind: valid_json\n    weight: -1\n", "s.yaml:4: scorers[0].weight: expected a number above 0"),
        ("selector: op=chat\nthreshold: 2\nscorers:\n  - kind: valid_json\n", "s.yaml:2: threshold: expected a number from 0 to 1"),
        ("selector: op=chat\nscorers:\n  - kind: valid_json\n  - kind: valid_json\n", "s.yaml:4: scorers[1].name: another scorer"),
        ("selectr: op=chat\n", "s.yaml:1: selectr: unknown key"),
        ("selector: [unclosed\n", "s.yaml:2: YAML:"),
        ("selector: op=chat\nscorers:\n  - kind: command\n", "s.yaml:3: scorers[0]: command: parameter command: required"),
        ("selector: op=chat\nscorers:\n  - kind: command\n    command: [x]\n    timeout_seconds: 1e12\n",
         "s.yaml:5: scorers[0].timeout_seconds: command: parameter timeout_seconds: expected at most 86400 seconds"),
    ])
    func problems(yaml: String, expected: String) {
        do {
            _ = try ScorerFileLoader().parse(yaml, source: "s.yaml")
            Issue.record("accepted: \(yaml)")
        } catch {
            #expect(error.problems.contains { $0.description.hasPrefix(expected) }, "\(error.description)")
        }
    }

    @Test("refuses a scorer file whose aliases expand past the limit, naming the file and line, at once")
    func billionLaughs() {
        let started = ContinuousClock.now
        do {
            _ = try ScorerFileLoader().parse("component: x\nselector: op=chat\nscorers:\n  - kind: valid_json\nlaughs:" + YAMLBomb.text, source: "s.yaml")
            Issue.record("accepted")
        } catch {
            #expect(error.problems.contains { $0.description.hasPrefix("s.yaml:6: laughs[4][") && $0.message.contains("expands to more than \(YAMLDocument.maxNodes) values") },
                    "\(error.description)")
        }
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test("refuses in time an alias of a large anchor used as a mapping key (the fuzzers' finding, Fuzz/Findings)")
    func aliasAsMappingKey() throws {
        let started = ContinuousClock.now
        let error = #expect(throws: EvalError.self) { try ScorerFileLoader().parse("component: x\nselector: op=chat\nscorers:\n  - kind: valid_json\nlaughs:" + YAMLBomb.text + "\n  - [*a8 k: v]", source: "s.yaml") }
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(error?.problems.first?.message.contains("a mapping key expands to more than \(YAMLDocument.maxNodes) values") == true, "\(String(describing: error))")
    }

    @Test("ships example scorer files that load")
    func shipped() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Scorers").path
        let files = try ScorerFileLoader(extraKinds: ["llm_judge": { _, _, _ throws(AssayError) in try BuiltinScorers.make(kind: "valid_json", parameters: .null) },
                                                      "embedding_similarity": { _, _, _ throws(AssayError) in try BuiltinScorers.make(kind: "valid_json", parameters: .null) }])
            .load(folder)
        #expect(files.count >= 4)
    }
}
