import Foundation
import Testing
@testable import AssayCore

@Suite("Bad input: a clear located error or a faithful store, never a crash or a hang")
struct BadInputTests {
    /// Ingests one source into a fresh in-memory store.
    func ingest(_ source: IngestSource, skipInvalid: Bool = false) throws -> (Ingestor.Result, InMemoryTraceStore) {
        let store = InMemoryTraceStore()
        let result = try Ingestor(store: store, options: Ingestor.Options(skipInvalid: skipInvalid)).ingest(source)
        return (result, store)
    }

    func problem(_ name: String) throws -> String {
        let (result, store) = try ingest(.file(Fixtures.path("invalid/" + name)))
        #expect(result.rejectedWhole, "\(name) should be rejected")
        #expect(try store.traces(matching: TraceQuery()).isEmpty, "\(name): nothing may be written")
        return try #require(result.problems.first).description
    }

    @Test("names the file, line, JSON path and problem", arguments: [
        ("trace-id-wrong-length.json", "traceId: expected 32 hex characters, got 24"),
        ("trace-id-not-hex.json", "traceId: expected 32 hex characters, got a non-hex character"),
        ("span-id-all-zero.json", "spanId: an all-zero id is invalid"),
        ("missing-name.json", "a span needs a name"),
        ("wrong-type.json", "scopeSpans[0].spans: expected an array, got a string"),
        ("timestamp-wrong-type.json", "startTimeUnixNano: expected an unsigned 64-bit integer, got a boolean"),
        ("int-overflow.json", "intValue: expected a 64-bit integer"),
        ("not-json.txt", "invalid JSON"),
        ("truncated.json", "unexpected end of input"),
        ("invalid-utf8.json", "invalid UTF-8 in a string"),
        ("deep-nesting.json", "nesting deeper than 512 levels"),
    ])
    func locatedErrors(file: String, expected: String) throws {
        let message = try problem(file)
        #expect(message.hasPrefix(Fixtures.path("invalid/" + file) + ":"), "\(message)")
        #expect(message.contains(expected), "\(message)")
    }

    @Test("gives the full path of a bad span field and its line in a pretty-printed file")
    func pathAndLine() throws {
        let message = try problem("trace-id-wrong-length.json")
        #expect(message.contains("resourceSpans[0].scopeSpans[0].spans[0].traceId"), "\(message)")
        let line = try String(contentsOfFile: Fixtures.path("invalid/trace-id-wrong-length.json"), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("\"traceId\"") }.map { $0 + 1 }
        #expect(message.contains(":\(try #require(line)):"), "\(message)")
    }

    @Test("rejects a JSON Lines file with one bad line whole by default, naming line 2")
    func oneBadLineRejectsFile() throws {
        let (result, store) = try ingest(.file(Fixtures.path("invalid/jsonl-one-bad-line.jsonl")))
        #expect(result.rejectedWhole)
        #expect(result.problems.count == 1)
        #expect(result.problems[0].line == 2)
        #expect(result.counts.spansNew == 0)
        #expect(try store.traces(matching: TraceQuery()).isEmpty)
    }

    @Test("with skipInvalid writes the valid lines and lists the rejected span")
    func skipInvalid() throws {
        let (result, store) = try ingest(.file(Fixtures.path("invalid/jsonl-one-bad-line.jsonl")), skipInvalid: true)
        #expect(!result.rejectedWhole)
        #expect(result.counts.spansRejected == 1)
        #expect(result.counts.spansNew == result.counts.spansRead - 1)
        #expect(result.problems.map(\.line) == [2])
        #expect(try !store.traces(matching: TraceQuery()).isEmpty)
    }

    @Test("with skipInvalid carries on after a syntax error at the next line")
    func resynchronizes() throws {
        let good = TracesData.stub([.stub(trace: 1, id: 1)]).jsonLine
        let text = good + "{\"resourceSpans\": [oops\n" + TracesData.stub([.stub(trace: 2, id: 2)]).jsonLine
        let (result, _) = try ingest(.bytes(name: "mixed", Array(text.utf8)), skipInvalid: true)
        #expect(result.counts.spansNew == 2)
        #expect(result.counts.recordsRejected == 1)
        #expect(result.problems.first?.line == 2)
    }

    @Test("stores NUL characters faithfully")
    func nul() throws {
        let (result, store) = try ingest(.file(Fixtures.path("invalid/nul-in-string.json")))
        #expect(result.problems.isEmpty)
        let summary = try #require(try store.traces(matching: TraceQuery()).first)
        let trace = try #require(try store.trace(summary.traceID))
        #expect(trace.spans.contains { $0.span.name.contains("\u{0}") })
    }

    @Test("stores a 10 MB attribute value")
    func hugeAttribute() throws {
        let big = String(repeating: "x", count: 10 << 20)
        let data = TracesData.stub([.stub(attributes: [Attribute("input.value", .string(big))])])
        let (result, store) = try ingest(.bytes(name: "big", OTLPJSONEncoder.encode(data)))
        #expect(result.counts.spansNew == 1)
        let trace = try #require(try store.trace(TraceID(high: 0, low: 1)!))
        #expect(trace.spans[0].span.attributes[key: "input.value"] == .string(big))
    }

    @Test("refuses lone surrogates and raw control characters in strings")
    func badStrings() throws {
        for text in [#"{"resourceSpans":[],"x":"\ud800"}"#, "{\"resourceSpans\":[],\"x\":\"a\u{1}b\"}"] {
            #expect(throws: InputError.self) { try Fixtures.decode(text) }
        }
    }

    @Test("refuses text after the document and an empty input stays empty")
    func trailingText() throws {
        #expect(throws: InputError.self) { try Fixtures.decode("{} {") }
        let (result, _) = try ingest(.bytes(name: "empty", []))
        #expect(result.problems.isEmpty && result.counts.spansRead == 0)
    }

    @Test("survives random bytes and random truncations of a valid document")
    func fuzz() throws {
        var rng = SplitMix64(seed: 7)
        let valid = try Fixtures.bytes("collector-enum-names.json")
        for round in 0..<300 {
            var bytes = Array(valid.prefix(Int(rng.next() % UInt64(valid.count))))
            if round % 3 == 0, !bytes.isEmpty {
                for _ in 0..<3 { bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: rng.next()) }
            }
            let (result, _) = try ingest(.bytes(name: "fuzz", bytes), skipInvalid: round % 2 == 0)
            #expect(result.counts.spansNew + result.counts.spansRejected <= 7)
        }
    }
}
