import ArgumentParser
import AssayCore
import AssayReports
import Foundation

/// `assay demo`: the whole loop on the example agent, in a minute, with no network and no keys.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the whole loop on the example agent: traffic, feedback, eval set, three tiers, gate, reports.",
        discussion: """
            From the Assay repository (it uses assay.yaml, Scorers/ and Reports/baseline.json): the \
            example agent answers production emails through the collector's HTTP endpoint; a simulated \
            reviewer rates, flags and corrects them over POST /v1/feedback; the flagged traces are promoted \
            into Datasets/demo-flagged.jsonl; the suite runs the agent over it on the low, mid and frontier \
            tiers; the gate compares the run with the committed baseline; JUnit XML, the HTML run report \
            and the trace browser land in Reports/. Then the conversation suite (assay-threads.yaml) plays \
            the email threads of Datasets/email-threads.jsonl turn by turn on the three tiers, approving, \
            rejecting and editing the agent's drafts, and the conversation scorers judge them. Its store \
            is .assay/demo.sqlite, made anew each time. \
            With --dir, the suite files are copied there and the demo runs there instead.

            Example:
              swift build && swift run assay demo
            """
    )

    @Option(help: ArgumentHelp("Run in this folder (the suite files are copied there).", valueName: "dir"))
    var dir: String?

    func run() async throws {
        let fm = FileManager.default
        let agent = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("assay-example-agent").path
        guard fm.isExecutableFile(atPath: agent) else {
            printError("the example agent is not built next to assay (\(agent)): run swift build first")
            throw ExitCode(1)
        }
        guard fm.fileExists(atPath: "assay.yaml"), fm.fileExists(atPath: "Scorers") else {
            printError("run assay demo from the Assay repository: it needs assay.yaml and Scorers/ (found none in \(fm.currentDirectoryPath))")
            throw ExitCode(1)
        }
        if let dir {
            try fm.createDirectory(atPath: dir + "/Reports", withIntermediateDirectories: true)
            try fm.createDirectory(atPath: dir + "/Datasets", withIntermediateDirectories: true)
            for item in ["assay.yaml", "Scorers", "Reports/baseline.json", "Datasets/email-assistant.jsonl", DemoThreads.suitePath, DemoThreads.datasetPath]
            where fm.fileExists(atPath: item) {
                try? fm.removeItem(atPath: dir + "/" + item)
                try fm.copyItem(atPath: item, toPath: dir + "/" + item)
            }
            guard fm.changeCurrentDirectoryPath(dir) else { throw ValidationError("--dir: cannot enter \(DisplayFormat.safe(dir)).") }
        }
        let started = Date()
        let findings: DemoLoop.Findings
        do { findings = try await DemoLoop(agent: agent, say: { print($0) }).run() } catch {
            printLines("demo: \(error)")
            throw ExitCode(1)
        }
        print("")
        print(DemoSummary.text(findings, seconds: Date().timeIntervalSince(started)), terminator: "")
        // The demo's own run is gated against the committed baseline; the model swap is meant to fail.
        if findings.gate?.failed == true { throw ExitCode(1) }
    }
}
