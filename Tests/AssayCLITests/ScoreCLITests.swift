import Foundation
import Testing

@Suite("assay score")
struct ScoreCLITests {
    static let traces = AssayProcess.packageRoot.appendingPathComponent("examples/traces/email-assistant.jsonl").path
    static let scorers = AssayProcess.packageRoot.appendingPathComponent("Scorers").path

    @Test("scores stored traces with the shipped scorer files and stores the results as feedback the filters see")
    func scoresAndStores() throws {
        let w = try AssayProcess.workspace()
        #expect(try AssayProcess.run(["ingest", Self.traces], in: w).status == 0)
        let dry = try AssayProcess.run(["score", "--scorers", Self.scorers, "--dry-run"], in: w)
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("triage: 5 of 5 traces scored, mean 0.80, 4 passed"), "\(dry.stdout)")
        #expect(dry.stdout.contains("not stored"))
        #expect(try AssayProcess.run(["traces", "list", "--label", "triage=fail"], in: w).stdout.contains("No traces match"))
        let stored = try AssayProcess.run(["score", "--scorers", Self.scorers, "--flag-failures"], in: w)
        #expect(stored.status == 0 && stored.stdout.contains("stored"))
        let failing = try AssayProcess.run(["traces", "list", "--label", "triage=fail", "--json"], in: w)
        #expect(failing.stdout.contains("6754614c64ffc6049b70e7695b05816f"))
        let flagged = try AssayProcess.run(["traces", "list", "--flagged", "--score-below", "budgets=1"], in: w)
        #expect(flagged.stdout.contains("6754614c64ffc6049b70e7695b05816f"), "the failed tool call breaks the error budget")
        let again = try AssayProcess.run(["score", "--scorers", Self.scorers], in: w)
        #expect(again.status == 0)
        let list = try AssayProcess.run(["feedback", "list", "6754614c64ffc6049b70e7695b05816f", "--json"], in: w)
        let current = list.stdout.split(separator: "\n").filter { $0.contains(#""author":"score:triage""#) && $0.contains(#""current":true"#) }
        #expect(current.count == 1, "scoring again replaces the earlier result")
        let json = try AssayProcess.run(["score", "--scorers", Self.scorers, "--dry-run", "--json", "--trace", "0fa030a07210d3dbe88f40a23bd43e94"], in: w)
        #expect(json.stdout.split(separator: "\n").count == 5)
        #expect(json.stdout.contains(#""kind":"json_schema""#))
    }

    @Test("a component whose selector matches nothing is unscored for that reason, as code and sentence alike in the JSON")
    func unscoredShape() throws {
        let w = try AssayProcess.workspace()
        #expect(try AssayProcess.run(["ingest", Self.traces], in: w).status == 0)
        try FileManager.default.createDirectory(at: w.appendingPathComponent("S"), withIntermediateDirectories: true)
        try "component: ghost\nselector: name=no-such-span\nscorers:\n  - kind: exact_match\n"
            .write(to: w.appendingPathComponent("S/ghost.yaml"), atomically: true, encoding: .utf8)
        let dry = try AssayProcess.run(["score", "--scorers", "S", "--dry-run"], in: w)
        #expect(dry.stdout.contains("no span matched the component's selector"), "\(dry.stdout)")
        #expect(!dry.stdout.contains("expected value"), "production traces are not examples: \(dry.stdout)")
        let json = try AssayProcess.run(["score", "--scorers", "S", "--dry-run", "--json"], in: w)
        let line = try #require(json.stdout.split(separator: "\n").first)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let score = try #require((object["scores"] as? [[String: Any]])?.first)
        #expect(score["unscored"] as? String == "no_span_matched")
        #expect(score["reason"] as? String == "no span matched the component's selector")
    }

    @Test("a broken scorer file is reported as file:line and nothing is scored")
    func brokenFile() throws {
        let w = try AssayProcess.workspace()
        let folder = w.appendingPathComponent("Scorers")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "selector: op=chat\nscorers:\n  - kind: retrieval\n    k: -3\n".write(to: folder.appendingPathComponent("bad.yaml"), atomically: true, encoding: .utf8)
        let r = try AssayProcess.run(["score"], in: w)
        #expect(r.status == 1)
        #expect(r.stderr.contains("Scorers/bad.yaml:4: scorers[0].k:"), "\(r.stderr)")
    }
}
