import ArgumentParser
import AssayCore
import AssayOTLP
import AssaySQLite
import AssayEval
import Foundation
import GRDBSQLite

/// Measures file ingest against the insert ceiling of the same machine, and streaming memory.
///
/// 1. Generates realistic agent traces (1-3 KB spans) as OTLP/JSON Lines.
/// 2. Ingests them with the release `assay ingest` in a child process: spans/s, MB/s, peak RSS.
/// 3. Ceiling: the same rows, already parsed, inserted with the store's own prepared INSERT, same
///    schema and indexes, one transaction. The ratio is (2) over (3).
/// 4. Streams a large file (1 GB by default) through `assay ingest`: peak RSS and throughput.
struct IngestBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "File ingest throughput vs. the SQLite insert ceiling, and peak memory on a large file.")

    @Option(help: "Spans in the throughput file.")
    var spans = 120_000

    @Option(help: "Size of the streaming file in GB (0 to skip).")
    var streamGB = 1.0

    @Option(help: "Working folder (deleted afterwards unless --keep).")
    var workdir = NSTemporaryDirectory() + "assay-bench-ingest"

    @Flag(help: "Keep the generated files.")
    var keep = false

    func run() throws {
        let fm = FileManager.default
        try? fm.removeItem(atPath: workdir)
        try fm.createDirectory(atPath: workdir, withIntermediateDirectories: true)
        defer { if !keep { try? fm.removeItem(atPath: workdir) } }
        let assay = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("assay").path
        guard fm.isExecutableFile(atPath: assay) else { throw BenchError("build assay first: \(assay) is missing") }

        let file = workdir + "/spans.jsonl"
        let generated = try generate(to: file, spans: spans, seed: 1)
        let mb = Double(generated.bytes) / 1e6
        print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores; SQLite \(String(cString: sqlite3_libversion()))")
        print(String(format: "input: %d spans in %d traces, %.1f MB of OTLP/JSON Lines (%.0f bytes/span)",
                     generated.spans, generated.spans / 6, mb, Double(generated.bytes) / Double(generated.spans)))

        try phases(file: file, megabytes: mb)
        let ingest = try ChildProcess.measure(assay, ["ingest", "--db", workdir + "/ingest.sqlite", file])
        guard ingest.shellStatus == 0 else { throw BenchError("assay ingest exited with \(ingest.shellStatus)") }
        let ingestRate = Double(generated.spans) / ingest.seconds
        print(String(format: "assay ingest: %.2f s, %.0f spans/s, %.1f MB/s, peak RSS %.0f MB",
                     ingest.seconds, ingestRate, mb / ingest.seconds, Double(ingest.peakRSSBytes) / 1e6))

        let ceiling = try insertCeiling(file: file, database: workdir + "/ceiling.sqlite")
        print(String(format: "insert ceiling (prepared INSERT of parsed rows, same indexes, one transaction): %.2f s, %.0f rows/s",
                     ceiling.seconds, Double(ceiling.rows) / ceiling.seconds))
        print(String(format: "ratio ingest / ceiling: %.2f", ingestRate / (Double(ceiling.rows) / ceiling.seconds)))
        print("targets (issue 2): >= 100 MB/s of OTLP/JSON Lines, ratio >= 0.5, 1 GB streamed with peak RSS < 200 MB")

        if streamGB > 0 {
            let big = workdir + "/stream.jsonl"
            try? fm.removeItem(atPath: file)
            let target = Int(streamGB * 1e9)
            let streamed = try generate(to: big, bytes: target, seed: 2)
            let run = try ChildProcess.measure(assay, ["ingest", "--db", workdir + "/stream.sqlite", big])
            guard run.shellStatus == 0 else { throw BenchError("assay ingest (stream) exited with \(run.shellStatus)") }
            print(String(format: "stream: %.2f GB, %d spans in %.1f s (%.0f spans/s, %.1f MB/s), peak RSS %.0f MB",
                         Double(streamed.bytes) / 1e9, streamed.spans, run.seconds, Double(streamed.spans) / run.seconds,
                         Double(streamed.bytes) / 1e6 / run.seconds, Double(run.peakRSSBytes) / 1e6))
        }
    }

    private func generate(to path: String, spans: Int = .max, bytes: Int = .max, seed: UInt64) throws -> (spans: Int, bytes: Int) {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: path) else { throw BenchError("cannot write \(path)") }
        defer { try? handle.close() }
        var generator = AgentTraceGenerator(seed: seed)
        var written = 0, count = 0
        var buffer: [UInt8] = []
        while count < spans && written < bytes {
            let line = generator.line(traces: 8)
            buffer += line.bytes
            written += line.bytes.count
            count += line.spans
            if buffer.count > 8 << 20 { handle.write(Data(buffer)); buffer.removeAll(keepingCapacity: true) }
        }
        handle.write(Data(buffer))
        return (count, written)
    }

    /// Times the single-threaded stages of ingest in-process, each over the whole file.
    private func phases(file: String, megabytes mb: Double) throws {
        func time(_ body: () throws -> Void) rethrows -> Double {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
        var skipped = 0
        let parse = try time {
            var reader = JSONRecordReader(handle: FileHandle(forReadingAtPath: file)!)
            while let record = try reader.next({ c throws(FieldError) in try c.skipValue() }) { skipped += record.byteCount }
        }
        var documents: [TracesData] = []
        let decode = try time {
            var reader = JSONRecordReader(handle: FileHandle(forReadingAtPath: file)!)
            while let record = try reader.next(OTLPJSONDecoder.decodeRecord) { documents.append(record.value.data) }
        }
        var summaries = 0
        let summarize = time { for d in documents { for s in d.allSpans { summaries += SpanSummary(span: s).operation.rawValue } } }
        var bytes = 0
        let encode = time {
            for d in documents { for s in d.allSpans { bytes += OTLPProtoEncoder.encode(s).count } }
        }
        print(String(format: "stages, one core: JSON scan %.0f MB/s, read + OTLP decode %.0f MB/s, span summary %.0f MB/s, protobuf payload %.0f MB/s (%.0f bytes/span)",
                     mb / parse, mb / decode, mb / summarize, mb / encode, Double(bytes) / Double(max(1, summaries > -1 ? documents.reduce(0) { $0 + $1.spanCount } : 1))))
    }

    /// Parses the file untimed, then times only the inserts of the parsed rows.
    private func insertCeiling(file: String, database: String) throws -> (rows: Int, seconds: Double) {
        var reader = JSONRecordReader(handle: FileHandle(forReadingAtPath: file)!)
        var builder = IngestBatchBuilder()
        while let record = try reader.next(OTLPJSONDecoder.decodeRecord) { builder.add(record.value.data) }
        let batch = builder.batch
        _ = try SQLiteTraceStore(path: database)  // creates the schema and indexes
        var connection: OpaquePointer?
        guard sqlite3_open_v2(database, &connection, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK, let connection else {
            throw BenchError("cannot open \(database)")
        }
        defer { sqlite3_close_v2(connection) }
        sqlite3_exec(connection, "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -32768", nil, nil, nil)
        sqlite3_exec(connection, "INSERT INTO resources (id, body) VALUES (1, x'00'); INSERT INTO scopes (id, body) VALUES (1, x'00')", nil, nil, nil)
        let start = DispatchTime.now().uptimeNanoseconds
        sqlite3_exec(connection, "BEGIN", nil, nil, nil)
        let insert = try SQLiteStatement(SQLiteTraceWriter.insertSpanSQL, on: connection)
        for prepared in batch.spans { _ = try SQLiteTraceWriter.insertSpanRow(prepared, resource: 1, scope: 1, with: insert) }
        guard sqlite3_exec(connection, "COMMIT", nil, nil, nil) == SQLITE_OK else { throw BenchError("commit failed") }
        return (batch.spans.count, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
}
