import ArgumentParser
import AssayCore
import AssayOTLP
import AssaySQLite
import AssayEval
import Foundation

/// Writing the static trace browser for many traces: time, file size and memory of `assay browse`,
/// and first paint in headless Chromium through the page checker when Chromium is installed.
struct BrowseBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "browse",
        abstract: "assay browse over 10,000 traces (60,000 spans): write time, file size, first paint.")

    @Option(help: "Traces to generate (6 spans each).")
    var traces = 10_000

    func run() throws {
        let bin = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let assay = bin.appendingPathComponent("assay").path
        guard FileManager.default.isExecutableFile(atPath: assay) else { throw BenchError("build assay first: \(assay) is missing") }
        let folder = NSTemporaryDirectory() + "assay-bench-browse"
        try? FileManager.default.removeItem(atPath: folder)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)

        var generator = AgentTraceGenerator(seed: 21)
        var lines: [UInt8] = []
        for _ in 0..<(traces / 8) { lines += generator.line(traces: 8).bytes }
        let store = try SQLiteTraceStore(path: folder + "/db.sqlite")
        let ingested = try Ingestor(store: store).ingest(.bytes(name: "generated", lines))
        print("store: \(ingested.counts.tracesNew) traces, \(ingested.counts.spansNew) spans")

        let page = folder + "/traces.html"
        let run = try ChildProcess.measure(assay, ["browse", "--db", folder + "/db.sqlite", "--out", page, "--limit", String(traces)])
        guard run.shellStatus == 0 else { throw BenchError("assay browse exited with \(run.shellStatus)") }
        let size = (try FileManager.default.attributesOfItem(atPath: page)[.size] as? Int) ?? 0
        print(String(format: "assay browse: %.2f s, %.1f MB file, peak RSS %.0f MB", run.seconds, Double(size) / 1e6, Double(run.peakRSSBytes) / 1e6))

        let checker = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Tests/AssayBrowseTests/Page/check.py").path
        let paint = Process()
        paint.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        paint.arguments = ["python3", checker, "--page", page, "--measure", "--screens", folder]
        let out = Pipe()
        paint.standardOutput = out
        paint.standardError = out
        try paint.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        paint.waitUntilExit()
        for line in text.split(separator: "\n") where line.lowercased().contains("first paint") || line.contains("passed,") { print("chromium: \(line)") }
        print("targets (issue 8): written in < 5 s, a file of reasonable size, first paint < 1.5 s in headless Chromium")
    }
}
