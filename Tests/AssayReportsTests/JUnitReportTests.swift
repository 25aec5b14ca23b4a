import Foundation
import Testing
@testable import AssayCore
@testable import AssayReports

@Suite("JUnit report")
struct JUnitReportTests {
    static func report(_ run: RunRecord = .hostile(), gate: GateReport? = nil) -> String {
        JUnitReport.write(run: run, summary: RunSummary(run), gate: gate, options: .init(hostname: "ci host\u{1B}"))
    }

    /// A gate report with one regressed and one inconclusive decision for the hostile fixture.
    static func gate() -> GateReport {
        let regressed = GateDecision(cell: GateCell(component: "draft", tier: "mid"), method: .pairedBootstrap, verdict: .regressed, shared: 100,
                                     dropped: 0, meanDifference: -0.2, low: -0.25, high: -0.15, pValue: 0.0001, adjustedPValue: 0.001,
                                     discordant: nil, examplesNeeded: 20, explanation: "Mean score -0.200 dropped <b>clearly</b>.")
        var inconclusive = regressed
        inconclusive.cell = GateCell(component: "triage", tier: "low")
        inconclusive.verdict = .inconclusive(needed: 40)
        inconclusive.explanation = "too few examples"
        return GateReport(configuration: GateConfiguration(), decisions: [inconclusive, regressed])
    }

    static func attributes(_ xml: String, _ name: String) -> [String] {
        let regex = try! Regex("\\s\(name)=\"([^\"]*)\"")
        return xml.matches(of: regex).map { String($0.output[1].substring!) }
    }

    @Test("writes one suite per component × tier with counts that agree with its cases")
    func structure() {
        let xml = Self.report(gate: Self.gate())
        let suites = xml.components(separatedBy: "<testsuite ").dropFirst()
        #expect(suites.count == 9)
        for suite in suites {
            let body = String(suite)
            let head = String(body.prefix { $0 != ">" })
            let count = { (attribute: String) in Int(Self.attributes(" " + head, attribute).first ?? "") ?? -1 }
            #expect(count("tests") == body.components(separatedBy: "<testcase ").count - 1)
            #expect(count("failures") == body.components(separatedBy: "<failure ").count - 1)
            #expect(count("errors") == body.components(separatedBy: "<error ").count - 1)
            #expect(count("skipped") == body.components(separatedBy: "<skipped ").count - 1)
        }
        #expect(xml.contains("name=\"assay.draft.mid\" package=\"assay.draft\" id=\"4\" timestamp=\"2026-11-21T16:45:00\" hostname=\"ci host\""))
        #expect(xml.contains("<testcase name=\"[gate] draft on mid\" classname=\"assay.draft.mid\" time=\"0.000\">\n      <failure message=\"regressed: Mean score -0.200 dropped &lt;b&gt;clearly&lt;/b&gt;.\" type=\"assay.gate.regressed\">"))
        #expect(xml.contains("<testcase name=\"[gate] triage on low\" classname=\"assay.triage.low\" time=\"0.000\">\n      <skipped message=\"inconclusive (needs 40 examples): too few examples\">"))
        #expect(xml.contains("<testcase name=\"[gate] end_to_end on frontier\" classname=\"assay.end_to_end.frontier\" time=\"0.000\">\n      <skipped message=\"the gate made no decision for this cell\">"))
    }

    @Test("marks failures, crashes and unscored cells, with score, threshold and explanation in the message")
    func outcomes() {
        let xml = Self.report()
        #expect(xml.contains("<testcase name=\"q1\" classname=\"assay.triage.low\" time=\"0.800\">\n      <failure message=\"score 0.400 below threshold 0.700: triage_match: expected &lt;b&gt;x&lt;/b&gt; got &lt;img"))
        #expect(xml.contains("<testcase name=\"crash\" classname=\"assay.draft.low\" time=\"1.234\">\n      <error message=\"the cell failed after 3 attempts: agent exited with status 1: bell esc[31mred[0m"))
        #expect(xml.contains("<testcase name=\"slow\" classname=\"assay.triage.frontier\" time=\"1.234\">\n      <error message=\"the cell timed out after 3 attempts: killed after 60 s\" type=\"assay.timeout\">"))
        #expect(xml.contains("<testcase name=\"unscored\" classname=\"assay.triage.mid\" time=\"1.234\">\n      <skipped message=\"unscored: the spans did not record the output text\">"))
        #expect(xml.contains("<testcase name=\"unscored\" classname=\"assay.draft.mid\" time=\"1.234\"/>"))
        #expect(xml.contains("trace: abababababababababababababababab (traces.html#trace=abababababababababababababababab)"))
        #expect(xml.contains("<property name=\"model\" value=\"medium-2\"/>"))
        #expect(xml.contains("<property name=\"threshold\" value=\"0.700\"/>"))
        #expect(xml.contains("<property name=\"case.q1#r2.trace_id\" value=\"abababababababababababababababab\"/>"))
    }

    @Test("keeps classname and name unique across repeats, duplicate cells and whitespace variants")
    func uniqueNames() {
        let xml = Self.report()
        var seen = Set<String>()
        let cases = xml.matches(of: try! Regex("<testcase name=\"([^\"]*)\" classname=\"([^\"]*)\""))
        for match in cases {
            let key = "\(match.output[2].substring!)|\(match.output[1].substring!)"
            #expect(seen.insert(key).inserted, "duplicate \(key)")
        }
        #expect(xml.contains("name=\"q1#r2\" classname=\"assay.triage.mid\""))
        #expect(xml.contains("name=\"q1#dup2\" classname=\"assay.triage.low\""))
        #expect(xml.contains("name=\"q2 with spaces\""))
    }

    @Test("writes times with a point and at most three decimals, and no XML-illegal character")
    func timesAndCharacters() {
        let xml = Self.report(gate: Self.gate())
        for time in Self.attributes(xml, "time") { #expect(time.wholeMatch(of: /[0-9]+\.[0-9]{3}/) != nil, "time \(time)") }
        #expect(xml.unicodeScalars.allSatisfy(MarkupText.isLegal))
        #expect(!xml.contains("]]>"))
        #expect(!xml.contains("<img") && !xml.contains("<script"))
    }

    @Test("truncates a 1 MB output and stops quoting outputs once the report's budget is spent")
    func truncation() {
        let xml = Self.report()
        #expect(xml.utf8.count < 600_000)
        #expect(xml.contains("… [truncated: 1,080,000 bytes, 1,07"))
        let run = RunRecord.scored(examples: 50, components: ["a"], output: { _ in Hostile.huge }) { _, _, _ in 0.1 }
        let capped = JUnitReport.write(run: run, summary: RunSummary(run), gate: nil,
                                       options: .init(hostname: "h", outputLimit: 1000, totalOutputLimit: 10_000, caseProperties: false))
        #expect(capped.components(separatedBy: "output: omitted, the report's output budget (10,000 bytes) is spent").count - 1 == 140)
    }

    @Test("turns a start time into the Ant schema's timestamp: UTC, no zone, no fraction",
          arguments: [(UInt64(1_795_286_700) * 1_000_000_000, "2026-11-21T18:45:00"), (UInt64(1_795_286_700_250_000_000), "2026-11-21T18:45:00"),
                      (UInt64(0), "1970-01-01T00:00:00")])
    func timestamp(nanos: UInt64, expected: String) {
        #expect(JUnitTimestamp.format(nanos: nanos) == expected)
    }

    @Test("validates against the strict Ant schema and Jenkins' junit-10 schema with hostile strings", arguments: [false, true])
    func schemas(withGate: Bool) throws {
        guard let xmllint = ExternalTool.find(["/usr/bin/xmllint"]) ?? ExternalTool.onPath("xmllint") else {
            ExternalTool.missing("xmllint (Debian package libxml2-utils)")
            return
        }
        let file = try ExternalTool.temporaryFile(Self.report(gate: withGate ? Self.gate() : nil), ext: "xml")
        defer { try? FileManager.default.removeItem(at: file) }
        for schema in ["ant-junit.xsd", "jenkins-junit-10.xsd"] {
            let path = ExternalTool.testsFolder.appendingPathComponent("Schemas/\(schema)").path
            let result = try ExternalTool.run(xmllint, ["--noout", "--huge", "--schema", path, file.path])
            #expect(result.status == 0, "\(schema): \(result.stderr.prefix(2000))")
        }
    }

    @Test("reads back in junitparser with the counts the suites declare")
    func junitparser() throws {
        guard let python = try ExternalTool.junitPython() else {
            ExternalTool.missing("a Python with junitparser (.venv/bin/python at the package root, or $ASSAY_PYTHON)")
            return
        }
        let run = RunRecord.hostile()
        let file = try ExternalTool.temporaryFile(Self.report(run, gate: Self.gate()), ext: "xml")
        defer { try? FileManager.default.removeItem(at: file) }
        let script = """
        import sys, json
        from junitparser import JUnitXml, Failure, Error, Skipped
        xml = JUnitXml.fromfile(sys.argv[1])
        out = {"suites": 0, "tests": 0, "failures": 0, "errors": 0, "skipped": 0, "declared": [0, 0, 0, 0], "times": []}
        for suite in xml:
            out["suites"] += 1
            out["declared"] = [a + int(b or 0) for a, b in zip(out["declared"], [suite.tests, suite.failures, suite.errors, suite.skipped])]
            for case in suite:
                out["tests"] += 1
                out["times"].append(case.time)
                for r in case.result:
                    if isinstance(r, Failure): out["failures"] += 1
                    elif isinstance(r, Error): out["errors"] += 1
                    elif isinstance(r, Skipped): out["skipped"] += 1
        print(json.dumps(out))
        """
        let result = try ExternalTool.run(python, ["-c", script, file.path])
        try #require(result.status == 0, "\(result.stderr)")
        struct Counts: Decodable { var suites, tests, failures, errors, skipped: Int; var declared: [Int]; var times: [Double] }
        let counts = try JSONDecoder().decode(Counts.self, from: Data(result.stdout.utf8))
        #expect(counts.suites == 9)
        #expect(counts.tests == run.cells.count * 3 + 9)
        #expect(counts.declared == [counts.tests, counts.failures, counts.errors, counts.skipped])
        #expect(counts.errors == 6)
        #expect(counts.failures > 0 && counts.skipped > 0)
        #expect(counts.times.contains(1.234))
    }
}
