import Foundation
import Testing

@Suite("The assay command, run as a user runs it")
struct CLITests {
    static let sample = AssayProcess.packageRoot.appendingPathComponent("examples/traces/email-assistant.jsonl").path
    static let invalid = AssayProcess.packageRoot.appendingPathComponent("Tests/AssayTestSupport/Fixtures/otlp/invalid").path
    static let errorTrace = "6754614c64ffc6049b70e7695b05816f"

    /// Compares with `Golden/NAME`; `ASSAY_UPDATE_GOLDEN=1` rewrites the file instead.
    func golden(_ text: String, _ name: String) throws {
        let url = AssayProcess.packageRoot.appendingPathComponent("Tests/AssayCLITests/Golden/\(name)")
        if ProcessInfo.processInfo.environment["ASSAY_UPDATE_GOLDEN"] == "1" {
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        #expect(text == (try String(contentsOf: url, encoding: .utf8)), "differs from Golden/\(name)")
    }

    @Test("ingests the sample into the default store, lists and shows it (golden output)")
    func mainJob() throws {
        let dir = try AssayProcess.workspace()
        let ingest = try AssayProcess.run(["ingest", Self.sample], in: dir)
        #expect(ingest.status == 0, "\(ingest.stderr)")
        try golden(ingest.stdout.replacingOccurrences(of: Self.sample, with: "SAMPLE"), "ingest.txt")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(".assay/assay.sqlite").path))
        let again = try AssayProcess.run(["ingest", Self.sample], in: dir)
        #expect(again.stdout.contains("5 traces (0 new, 5 already present); 21 spans (0 new, 21 already present, 0 rejected)"))
        let list = try AssayProcess.run(["traces", "list"], in: dir)
        #expect(list.status == 0)
        try golden(list.stdout, "traces-list.txt")
        let show = try AssayProcess.run(["traces", "show", Self.errorTrace], in: dir)
        #expect(show.status == 0)
        try golden(show.stdout, "traces-show.txt")
    }

    @Test("honours --db and ASSAY_DB")
    func storeLocation() throws {
        let dir = try AssayProcess.workspace()
        _ = try AssayProcess.run(["ingest", "--db", "a.sqlite", Self.sample], in: dir)
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("a.sqlite").path))
        _ = try AssayProcess.run(["ingest", Self.sample], in: dir, environment: ["ASSAY_DB": "b.sqlite"])
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("b.sqlite").path))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent(".assay").path))
    }

    @Test("reads standard input")
    func standardInput() throws {
        let dir = try AssayProcess.workspace()
        let out = try AssayProcess.run(["ingest", "-"], in: dir, input: try Data(contentsOf: URL(fileURLWithPath: Self.sample)))
        #expect(out.status == 0)
        #expect(out.stdout.hasPrefix("<stdin>: 5 traces (5 new"))
    }

    @Test("filters the list and prints JSON")
    func listFilters() throws {
        let dir = try AssayProcess.workspace()
        _ = try AssayProcess.run(["ingest", Self.sample], in: dir)
        let errors = try AssayProcess.run(["traces", "list", "--status", "error", "--json"], in: dir)
        let traces = try #require(try JSONSerialization.jsonObject(with: Data(errors.stdout.utf8)) as? [[String: Any]])
        #expect(traces.map { $0["traceId"] as? String } == [Self.errorTrace])
        let limited = try AssayProcess.run(["traces", "list", "--limit", "2", "--operation", "chat", "--since", "2025-06-10"], in: dir)
        #expect(limited.stdout.split(separator: "\n").count == 3)
        let none = try AssayProcess.run(["traces", "list", "--model", "no-such-model"], in: dir)
        #expect(none.stdout == "No traces match.\n")
    }

    @Test("shows a trace as JSON and as OTLP/JSON that ingests again to the same trace")
    func showFormats() throws {
        let dir = try AssayProcess.workspace()
        _ = try AssayProcess.run(["ingest", Self.sample], in: dir)
        let json = try AssayProcess.run(["traces", "show", Self.errorTrace, "--json"], in: dir)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((object["spans"] as? [Any])?.count == 3)
        let otlp = try AssayProcess.run(["traces", "show", Self.errorTrace, "--otlp"], in: dir)
        try otlp.stdout.write(to: dir.appendingPathComponent("export.json"), atomically: true, encoding: .utf8)
        let reingest = try AssayProcess.run(["ingest", "--db", "copy.sqlite", "export.json"], in: dir)
        #expect(reingest.stdout.contains("1 traces (1 new, 0 already present); 3 spans (3 new"))
        let copy = try AssayProcess.run(["traces", "show", Self.errorTrace, "--otlp", "--db", "copy.sqlite"], in: dir)
        #expect(copy.stdout == otlp.stdout)
    }

    @Test("exits 1 on rejected input, with file:line: path: problem on stderr, and writes nothing")
    func rejectedInput() throws {
        let dir = try AssayProcess.workspace()
        let bad = "\(Self.invalid)/trace-id-wrong-length.json"
        let out = try AssayProcess.run(["ingest", bad], in: dir)
        #expect(out.status == 1)
        #expect(out.stderr.contains("\(bad):"))
        #expect(out.stderr.contains("resourceSpans[0].scopeSpans[0].spans[0].traceId: expected 32 hex characters, got 24"))
        #expect(out.stderr.contains("nothing from this file was written"))
        #expect(try AssayProcess.run(["traces", "list"], in: dir).stdout == "No traces match.\n")
        let skip = try AssayProcess.run(["ingest", "--skip-invalid", "\(Self.invalid)/jsonl-one-bad-line.jsonl"], in: dir)
        #expect(skip.status == 1)
        #expect(skip.stdout.contains("1 rejected"))
        let missing = try AssayProcess.run(["ingest", "no-such-file.json"], in: dir)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no-such-file.json: cannot read: no such file"))
        let unknown = try AssayProcess.run(["traces", "show", "0123456789abcdef0123456789abcdef"], in: dir)
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("is not in the store"))
    }

    @Test("exits 2 on usage errors", arguments: [
        ["ingest"], ["traces", "list", "--status", "nope"], ["traces", "list", "--since", "yesterday"],
        ["traces", "list", "--operation", "dance"], ["traces", "show", "xyz"], ["traces", "show", "0123456789abcdef0123456789abcdef", "--json", "--otlp"],
        ["no-such-command"], ["traces", "list", "--limit", "-1"], ["traces", "list", "--until", "3000-01-01"],
        ["serve", "--host", "0.0.0.0"], ["serve", "--port", "70000"], ["serve", "--read-timeout", "1e300"], ["serve", "--read-timeout", "inf"], ["browse", "--status", "maybe"],
    ])
    func usageErrors(arguments: [String]) throws {
        let out = try AssayProcess.run(arguments, in: try AssayProcess.workspace())
        #expect(out.status == 2, "\(arguments): \(out.stderr)")
        #expect(!out.stderr.isEmpty)
    }

    @Test("every command's help says what it does and gives an example", arguments: [
        ["--help"], ["ingest", "--help"], ["traces", "--help"], ["traces", "list", "--help"], ["traces", "show", "--help"],
        ["serve", "--help"], ["browse", "--help"],
    ])
    func help(arguments: [String]) throws {
        let out = try AssayProcess.run(arguments, in: try AssayProcess.workspace())
        #expect(out.status == 0)
        #expect(out.stdout.contains("OVERVIEW:") || out.stdout.contains("USAGE:"))
        #expect(out.stdout.lowercased().contains("example"))
    }
}
