import Foundation
import Testing
@testable import AssayCore
@testable import AssayReports

@Suite("Baseline file")
struct BaselineTests {
    @Test("round-trips a run's outcomes through a stable, sorted, one-example-per-line file")
    func roundTrip() throws {
        let run = RunRecord.hostile()
        let text = Baseline.encode(run, createdAt: "2026-11-21T18:45:00Z")
        #expect(text == Baseline.encode(run, createdAt: "2026-11-21T18:45:00Z"))
        #expect(text.hasPrefix("{\n  \"cells\": {\n    \"draft|frontier\": {\n"))
        #expect(text.hasSuffix("  \"createdAt\": \"2026-11-21T18:45:00Z\",\n  \"run\": \"run-20261121-184500-3f2a\",\n  \"suiteHash\": \"9f86d081\",\n  \"version\": 1\n}\n"))
        #expect(text.contains("      \"crash\": {\"passed\": false, \"score\": 0.0},\n"), "a crash is recorded as a failure")
        let baseline = try Baseline.decode(text)
        #expect(baseline.gateRun.outcomes == GateInput.run(run).outcomes)
        #expect(baseline.run == run.id && baseline.suiteHash == "9f86d081" && baseline.version == 1)
        #expect(baseline.encoded() == text)
        // Also valid JSON for any other reader.
        #expect(try JSONSerialization.jsonObject(with: Data(text.utf8)) is [String: Any])
    }

    @Test("refuses a newer version with a clear message")
    func newerVersion() {
        #expect(throws: ReportError(place: "baseline: version", message: "the file is version 2, newer than this Assay reads (1); upgrade Assay")) {
            try Baseline.decode("{\"version\": 2, \"cells\": \"a new shape\"}")
        }
    }

    @Test("names the problem in a bad file", arguments: [
        ("not json", "baseline: not valid JSON"),
        ("{\"cells\": {}}", "baseline: version: missing; is this a baseline file written by `assay baseline save`?"),
        ("{\"version\": 1, \"run\": \"r\", \"suiteHash\": \"h\", \"createdAt\": \"t\"}", "baseline: cells: missing"),
        ("{\"version\": 1, \"run\": \"r\", \"suiteHash\": \"h\", \"createdAt\": \"t\", \"cells\": {\"a|low\": {\"q1\": {\"score\": \"high\"}}}}",
         "baseline: cells[\"a|low\"].q1.score: expected a number"),
        ("{\"version\": 1, \"run\": \"r\", \"suiteHash\": \"h\", \"createdAt\": \"t\", \"cells\": {\"nobar\": {}}}",
         "baseline: cells[\"nobar\"]: a cell key must be `component|tier`"),
    ])
    func badFiles(text: String, message: String) {
        do {
            _ = try Baseline.decode(text)
            Issue.record("accepted a bad file")
        } catch {
            #expect(error.description == message)
        }
    }
}

@Suite("Run JSON")
struct RunJSONTests {
    @Test("writes the run, summary and gate with sorted keys")
    func document() throws {
        let run = RunRecord.hostile()
        let text = RunJSON.encode(run, summary: RunSummary(run), gate: JUnitReportTests.gate())
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["gate", "run", "summary"])
        let gate = try #require(object["gate"] as? [String: Any])
        #expect(gate["regressed"] as? Bool == true)
        let decisions = try #require(gate["decisions"] as? [[String: Any]])
        #expect(decisions.map { $0["verdict"] as? String } == ["inconclusive", "regressed"])
        let decoded = try JSONDecoder().decode(Wrapper.self, from: Data(text.utf8))
        #expect(decoded.run.cells.count == run.cells.count)
        #expect(RunJSON.encode(run, summary: RunSummary(run), gate: nil).contains("\"gate\" : null"))
    }

    struct Wrapper: Decodable { var run: RunRecord; var summary: RunSummary }
}
