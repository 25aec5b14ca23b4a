import Foundation
import Testing

/// `assay demo` as a newcomer runs it: its summary names the findings, the JUnit file validates against
/// both schemas, the run report and the trace browser open in headless Chromium.
@Suite("assay demo", .serialized)
struct DemoCLITests {
    static let root = AssayProcess.packageRoot
    static var ci: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    @Test("runs the whole loop in a minute and names the bottlenecks (retrieval, the conversations' context), the cheapest good tiers and the gate's verdict")
    func demo() throws {
        let dir = try AssayProcess.workspace()
        let started = Date()
        let r = try AssayProcess.run(["demo", "--dir", dir.path], in: Self.root)
        #expect(r.status == 0, "\(r.stdout)\n\(r.stderr)")
        #expect(Date().timeIntervalSince(started) < 60)
        #expect(r.stdout.contains("retrieval does not improve with a stronger model"), "\(r.stdout)")
        #expect(r.stdout.contains("reply: cheapest good-enough tier is mid"))
        #expect(r.stdout.contains("gate against Reports/baseline.json: passed"), "\(r.stdout)")
        #expect(r.stdout.contains("6. a change: mid's model swapped from sim-mid to sim-low"), "\(r.stdout)")
        #expect(r.stdout.contains("swapping mid's model for the low tier's is caught by the gate: regressed") && r.stdout.contains("triage on mid"),
                "\(r.stdout)")
        #expect(r.stdout.contains("POST /v1/feedback"))
        // The conversations: the thread agent's context grows every turn whatever the model; the other
        // conversation scores move with the model, and none of them is named a bottleneck.
        #expect(r.stdout.contains("7. conversations: 6 email threads × 3 tiers (18 cells)"), "\(r.stdout)")
        #expect(r.stdout.contains("conversations: context_per_turn does not improve with a stronger model (low → mid → frontier: 0.00 → 0.00 → 0.00)"),
                "\(r.stdout)")
        #expect(r.stdout.contains("the agent re-sends the whole conversation, every earlier tool result included"), "\(r.stdout)")
        for component in ["draft", "goal", "turns_used", "memory", "restart_state"] {
            #expect(!r.stdout.contains("conversations: \(component) does not improve"), "\(r.stdout)")
        }
        #expect(r.stdout.contains("conversations, low → mid → frontier: draft "), "\(r.stdout)")
        for file in ["assay-junit.xml", "assay-report.html", "assay-summary.md", "traces.html", "assay-threads-report.html"] {
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("Reports/\(file)").path), "\(file)")
        }
        let validate = try AssayProcess.run(["datasets", "validate", "Datasets/demo-flagged.jsonl"], in: dir)
        #expect(validate.status == 0, "\(validate.stderr)")
        try checkJUnit(dir.appendingPathComponent("Reports/assay-junit.xml"))
        try checkReport(dir.appendingPathComponent("Reports/assay-report.html"))
        try checkBrowser(dir.appendingPathComponent("Reports/traces.html"))
        let again = try AssayProcess.run(["demo", "--dir", dir.path], in: Self.root)
        #expect(again.stdout.components(separatedBy: "\n").filter { $0.hasPrefix("  - ") } == r.stdout.components(separatedBy: "\n").filter { $0.hasPrefix("  - ") },
                "the findings are deterministic")
    }

    func tool(_ path: String) -> String? { FileManager.default.isExecutableFile(atPath: path) ? path : nil }

    func checkJUnit(_ file: URL) throws {
        guard let xmllint = tool("/usr/bin/xmllint") else {
            if Self.ci { Issue.record("CI needs xmllint (apt-get install libxml2-utils)") }
            return
        }
        for schema in ["ant-junit.xsd", "jenkins-junit-10.xsd"] {
            let xsd = Self.root.appendingPathComponent("Tests/AssayReportsTests/Schemas/\(schema)").path
            let r = try run(xmllint, ["--noout", "--schema", xsd, file.path])
            #expect(r.status == 0, "\(schema): \(r.stderr.suffix(2000))")
        }
    }

    func checkReport(_ file: URL) throws {
        guard let chromium = tool("/usr/bin/chromium") else {
            if Self.ci { Issue.record("CI needs Chromium (apt-get install chromium)") }
            return
        }
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("assay-chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        let r = try run(chromium, ["--headless=new", "--disable-gpu", "--no-sandbox", "--no-first-run", "--disable-extensions",
                                   "--user-data-dir=\(profile.path)", "--enable-logging=stderr", "--v=0", "--virtual-time-budget=2000",
                                   "--dump-dom", file.absoluteString])
        #expect(r.status == 0)
        #expect(r.stdout.contains("<table class=\"matrix\">") && r.stdout.contains("<svg"))
        #expect(r.stdout.contains("retrieval"))
        let console = r.stderr.split(separator: "\n").filter { $0.contains("CONSOLE") || $0.contains("Uncaught") || $0.contains("Refused to") }
        #expect(console.isEmpty, "\(console)")
    }

    func checkBrowser(_ file: URL) throws {
        guard tool("/usr/bin/chromium") != nil else { return }
        let checker = Self.root.appendingPathComponent("Tests/AssayBrowseTests/Page/check.py").path
        let r = try run("/usr/bin/env", ["python3", "-B", checker, "--page", file.path])
        #expect(r.status == 0, "the trace browser checker failed:\n\(r.stdout.suffix(3000))\(r.stderr.suffix(2000))")
    }

    func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }
}
