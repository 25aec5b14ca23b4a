import Foundation
import Testing

/// Runs the built `assay` in a folder; returns exit status, standard output and standard error.
func assay(_ arguments: [String], in folder: URL) throws -> (status: Int32, out: String, err: String) {
    let process = Process()
    process.executableURL = Paths.assay
    process.arguments = arguments
    process.currentDirectoryURL = folder
    var env = ProcessInfo.processInfo.environment
    env.removeValue(forKey: "ASSAY_DB")
    env["ASSAY_AUTHOR"] = "tester"
    process.environment = env
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
}

/// The whole feedback-to-dataset path as a user runs it: the example traces, feedback from the CLI and
/// over HTTP, promotion, validation, re-promotion, a new correction, and every bad input on the way.
@Suite("Feedback to datasets, end to end", .serialized)
struct FeedbackLoopTests {
    static let traces = Paths.packageRoot.appendingPathComponent("examples/traces/email-assistant.jsonl").path
    static let outage = "0fa030a07210d3dbe88f40a23bd43e94", newsletter = "b7c039842be38ecc1f07a223563ebc38"
    static let invoice = "27e47ffc284a2d4f781b9a43d04ce50b", calendar = "6754614c64ffc6049b70e7695b05816f"
    static let renewal = "21bade026a6ae768f2ed66ffdcc99396"
    static let components = ["--component", "triage=op=chat first", "--component", "kb=op=retrieval", "--component", "tools=op=tool"]

    func workspace() throws -> URL {
        let folder = try Paths.temporaryFolder()
        let ingest = try assay(["ingest", Self.traces], in: folder)
        #expect(ingest.status == 0, "\(ingest.err)")
        return folder
    }

    func post(_ port: Int, _ body: String, type: String = "application/json") throws -> RawHTTP.Reply {
        try RawHTTP.post(port, path: "/v1/feedback", headers: ["Content-Type": type], body: Array(body.utf8))
    }

    @Test("CLI and HTTP feedback, promote, validate, promote again (no change), correct one, promote (one line changes)")
    func wholePath() throws {
        let w = try workspace()
        #expect(try assay(["feedback", Self.outage, "--down", "--flag", "--correction", "We opened P1 incident INC-1; on-call is paged."], in: w).status == 0)
        #expect(try assay(["feedback", Self.newsletter, "--up"], in: w).status == 0)

        let server = try ServerProcess(database: w.appendingPathComponent(".assay/assay.sqlite"))
        let ok = try post(server.port, """
            [{"traceId":"\(Self.invoice)","rating":"down","flagged":true,"author":"ana"},
             {"traceId":"\(Self.calendar)","rating":"down","correction":{"action":"offer_slots","days":["Mon","Tue"]},"author":"ana"}]
            """)
        #expect(ok.status == 200, "\(String(decoding: ok.body, as: UTF8.self))")
        #expect(String(decoding: ok.body, as: UTF8.self).contains(#""accepted":2"#))
        let unknown = try post(server.port, #"{"traceId":"00000000000000000000000000000abc","rating":"up"}"#)
        #expect(unknown.status == 422)
        #expect(String(decoding: unknown.body, as: UTF8.self).contains("no trace 00000000000000000000000000000abc"))
        let malformed = try post(server.port, "{\"traceId\":\"\(Self.renewal)\",\"rating\":\"up\"}\n{\"traceId\":\"\(Self.renewal)\",\"rating\":7}\n", type: "application/x-ndjson")
        #expect(malformed.status == 400)
        #expect(String(decoding: malformed.body, as: UTF8.self).contains("body:2: rating: expected"))
        #expect(try post(server.port, "rating=up", type: "text/plain").status == 415)
        #expect(server.stop() == 0)
        let renewal = try assay(["feedback", "list", Self.renewal], in: w)
        #expect(renewal.out.contains("no feedback"), "a refused request stores nothing")

        let promote = ["promote", "--to", "Datasets/support.jsonl", "--has-feedback"] + Self.components
        let first = try assay(promote, in: w)
        #expect(first.status == 0, "\(first.err)")
        #expect(first.out.contains("4 added, 0 updated, 0 unchanged"))
        #expect(first.out.contains("1 example needs an expected value"))
        let file = w.appendingPathComponent("Datasets/support.jsonl")
        let v1 = try String(contentsOf: file, encoding: .utf8)
        let lines1 = v1.split(separator: "\n")
        #expect(lines1.count == 4)
        #expect(lines1.map { $0.prefix(27) } == lines1.map { $0.prefix(27) }.sorted(), "lines are in id order")
        #expect(v1.contains(#""expected":{"action":"offer_slots","days":["Mon","Tue"]}"#))
        #expect(v1.contains(#""expected":"We opened P1 incident INC-1; on-call is paged.""#))
        #expect(v1.contains(#""expected":null,"status":"needs_expected""#))

        let validate = try assay(["datasets", "validate", "Datasets/support.jsonl"], in: w)
        #expect(validate.status == 0 && validate.out.contains("4 examples, valid"), "\(validate.err)")

        let again = try assay(promote, in: w)
        #expect(again.out.contains("0 added, 0 updated, 4 unchanged"))
        #expect(try String(contentsOf: file, encoding: .utf8) == v1, "promoting again changes no byte")

        #expect(try assay(["feedback", Self.outage, "--down", "--correction", "We opened P1 incident INC-2."], in: w).status == 0)
        let third = try assay(promote, in: w)
        #expect(third.out.contains("0 added, 1 updated, 3 unchanged"), "\(third.out)")
        let lines3 = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
        #expect(zip(lines1, lines3).filter { $0 != $1 }.count == 1 && lines3.count == 4, "exactly one line changes")
        #expect(lines3.contains { $0.contains("INC-2") && $0.contains(#""updatedAt":"#) })

        let diff = try assay(["datasets", "diff", "Datasets/support.jsonl", "Datasets/support.jsonl"], in: w)
        #expect(diff.out.contains("0 added, 0 removed, 0 changed, 4 the same"))
        let list = try assay(["traces", "list", "--flagged"], in: w)
        #expect(list.out.contains(Self.outage) == false && list.out.contains(Self.invoice), "the newer review of the outage trace has no flag")
    }

    @Test("bad input: unknown trace, malformed feedback file, broken dataset, names outside Datasets/")
    func badInput() throws {
        let w = try workspace()
        let unknown = try assay(["feedback", "00000000000000000000000000000abc", "--up"], in: w)
        #expect(unknown.status == 1 && unknown.err.contains("no trace 00000000000000000000000000000abc in the store"))

        let bad = w.appendingPathComponent("reviews.jsonl")
        try """
            {"traceId":"\(Self.outage)","rating":"up"}
            {"traceId":"\(Self.outage)","rating":"up",
            {"traceId":"\(Self.outage)","scores":{"acc":"high"}}

            """.write(to: bad, atomically: true, encoding: .utf8)
        let imported = try assay(["feedback", "import", "reviews.jsonl"], in: w)
        #expect(imported.status == 1)
        #expect(imported.err.contains("reviews.jsonl:2:"))
        #expect(imported.err.contains("reviews.jsonl:3: scores.acc: expected a finite number"))
        #expect(imported.err.contains("nothing was imported"))
        #expect(try assay(["feedback", "list", Self.outage], in: w).out.contains("no feedback"))

        let unknownInFile = w.appendingPathComponent("other.jsonl")
        try "{\"traceId\":\"\(Self.outage)\",\"rating\":\"up\"}\n{\"traceId\":\"0000000000000000000000000000dead\",\"rating\":\"up\"}\n"
            .write(to: unknownInFile, atomically: true, encoding: .utf8)
        let refused = try assay(["feedback", "import", "other.jsonl"], in: w)
        #expect(refused.status == 1 && refused.err.contains("other.jsonl: item 2: no trace 0000000000000000000000000000dead"))
        #expect(try assay(["feedback", "list", Self.outage], in: w).out.contains("no feedback"))

        #expect(try assay(["feedback", Self.outage, "--up"], in: w).status == 0)
        let datasets = w.appendingPathComponent("Datasets")
        try FileManager.default.createDirectory(at: datasets, withIntermediateDirectories: true)
        let broken = "{\"id\":\"a\",\"input\":\"x\",\"expected\":\"y\"}\n{\"id\":\"a\",\"input\":\n"
        try broken.write(to: datasets.appendingPathComponent("broken.jsonl"), atomically: true, encoding: .utf8)
        let refusedPromotion = try assay(["promote", "--to", "broken", "--rated-up"], in: w)
        #expect(refusedPromotion.status == 1)
        #expect(refusedPromotion.err.contains("Datasets/broken.jsonl:2:"))
        #expect(refusedPromotion.err.contains("the file was left as it is"))
        #expect(try String(contentsOf: datasets.appendingPathComponent("broken.jsonl"), encoding: .utf8) == broken)
        #expect(try assay(["datasets", "validate", "broken"], in: w).status == 1)

        for name in ["../escape", "Datasets/../../x.jsonl", "/tmp/x.jsonl", "a/b"] {
            let r = try assay(["promote", "--to", name, "--rated-up"], in: w)
            #expect(r.status == 2, "\(name): \(r.err)")
        }
        #expect(!FileManager.default.fileExists(atPath: w.deletingLastPathComponent().appendingPathComponent("escape.jsonl").path))
        #expect(try assay(["promote", "--to", "x"], in: w).status == 2, "no filter and no --all")
    }

    @Test("concurrent promotions into one dataset take turns and keep every example")
    func concurrent() throws {
        let w = try workspace()
        for t in [Self.outage, Self.newsletter, Self.invoice, Self.calendar, Self.renewal] {
            #expect(try assay(["feedback", t, "--up"], in: w).status == 0)
        }
        let traces = [Self.outage, Self.newsletter, Self.invoice, Self.calendar, Self.renewal]
        let results = ThreadSafeList<Int32>()
        let group = DispatchGroup()
        for t in traces {
            group.enter()
            Thread.detachNewThread {
                let r = try? assay(["promote", "--to", "Datasets/shared.jsonl", "--trace", t] + Self.components, in: w)
                results.append(r?.status ?? -1)
                group.leave()
            }
        }
        group.wait()
        #expect(results.values == [0, 0, 0, 0, 0])
        let text = try String(contentsOf: w.appendingPathComponent("Datasets/shared.jsonl"), encoding: .utf8)
        #expect(text.split(separator: "\n").count == 5)
        #expect(try assay(["datasets", "validate", "shared"], in: w).status == 0)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: w.appendingPathComponent("Datasets").path).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
    }
}

/// A list appended to from several threads.
final class ThreadSafeList<T: Sendable>: @unchecked Sendable {
    private var items: [T] = []
    private let lock = NSLock()
    func append(_ item: T) { lock.withLock { items.append(item) } }
    var values: [T] { lock.withLock { items } }
}
