import Foundation
import Testing
@testable import AssayCore
import AssayTestSupport
import AssayOTLP

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
        ("wrong-type.json", "scopeSpans[0].spans: expected an array, got a string"),
        ("timestamp-wrong-type.json", "startTimeUnixNano: expected an unsigned 64-bit integer, got a boolean"),
        ("int-overflow.json", "intValue: expected a 64-bit integer"),
        ("not-json.txt", "invalid JSON"),
        ("truncated.json", "unexpected end of input"),
        ("invalid-utf8.json", "invalid UTF-8 in a string"),
        ("deep-nesting.json", "nesting deeper than \(JSONCursor.maxDepth) levels"),
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
            #expect(throws: AssayError.self) { try Fixtures.decode(text) }
        }
    }

    @Test("refuses text after the document and an empty input stays empty")
    func trailingText() throws {
        #expect(throws: AssayError.self) { try Fixtures.decode("{} {") }
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

    /// The one rejection of a span whose JSON is given inline.
    func rejection(_ span: String) throws -> InputProblem? {
        try Fixtures.decode(#"{"resourceSpans":[{"scopeSpans":[{"spans":[\#(span)]}]}]}"#).rejected.first
    }

    @Test("refuses a span with attribute values nested past the limit, over protobuf and OTLP/JSON alike", arguments: [false, true])
    func tooDeepAttributes(arrays: Bool) throws {
        var span = Span.stub(id: 2)
        span.links = [SpanLink(traceID: TraceID(high: 1, low: 2)!, spanID: SpanID(3)!,
                               attributes: [Attribute("deep", RoundTripTests.nested(AttributeValue.maxNesting + 1, arrays: arrays))])]
        let data = TracesData.stub([Span.stub(id: 1), span])
        let message = "attribute values nested deeper than \(AttributeValue.maxNesting) levels"
        let proto = try OTLPProtoDecoder.decode(OTLPProtoEncoder.encode(data))
        #expect(proto.data.allSpans.map(\.spanID) == [SpanID(1)!])
        #expect(proto.rejected.count == 1 && proto.rejected[0].description.contains("spans[1]") && proto.rejected[0].message.contains(message),
                "\(proto.rejected)")
        let json = try OTLPJSONDecoder.decode(OTLPJSONEncoder.encode(data))
        #expect(json.data.allSpans.map(\.spanID) == [SpanID(1)!])
        #expect(json.rejected.count == 1 && json.rejected[0].description.contains("spans[1].links[0].attributes[0].value") && json.rejected[0].message == message,
                "\(json.rejected)")
        // In a resource, where one bad value rejects the whole request, both refuse it with the same words.
        var resource = TracesData.stub([Span.stub(id: 1)])
        resource.resourceSpans[0].resource.attributes = [Attribute("deep", RoundTripTests.nested(AttributeValue.maxNesting + 1, arrays: arrays))]
        #expect { try OTLPProtoDecoder.decode(OTLPProtoEncoder.encode(resource)) } throws: { "\($0)".contains(message) }
        #expect { try OTLPJSONDecoder.decode(OTLPJSONEncoder.encode(resource)) } throws: { "\($0)".contains(message) }
    }

    @Test("rejects truncated hex ids that happen to be valid base64 lengths")
    func truncatedHexIDs() throws {
        let trace22 = try rejection(#"{"traceId":"5b8efff798038103d269b6","spanId":"eee19b7ec3c1b174","name":"a"}"#)
        #expect(trace22?.message == "expected 32 hex characters, got 22")
        let span11 = try rejection(#"{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c","name":"a"}"#)
        #expect(span11?.message == "expected 16 hex characters, got 11")
        let base64 = try Fixtures.decode(#"{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"W47/95gDgQPSabYzgT/GDA==","spanId":"7uGbfsPBsXQ=","name":"a"}]}]}]}"#)
        #expect(base64.data.allSpans.first?.traceID.description == "5b8efff798038103d269b633813fc60c")
    }

    @Test("rejects numbers with trailing text and times past 2262", arguments: [
        #""startTimeUnixNano":"1700000000000000000xyz""#, #""startTimeUnixNano":"5 apples""#, #""startTimeUnixNano":"0x10""#,
        #""startTimeUnixNano":" 7""#, #""startTimeUnixNano":"18446744073709551615""#,
    ])
    func badNumbers(field: String) throws {
        let problem = try rejection(#"{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"a",\#(field)}"#)
        #expect(problem?.path.hasSuffix("startTimeUnixNano") == true, "\(String(describing: problem))")
    }

    @Test("accepts exact whole numbers written with a fraction or exponent, and a missing name as empty")
    func lenientNumbers() throws {
        let record = try Fixtures.decode(#"{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","startTimeUnixNano":"1e3","endTimeUnixNano":2000.0}]}]}]}"#)
        let span = try #require(record.data.allSpans.first)
        #expect(span.startTimeUnixNano == 1000 && span.endTimeUnixNano == 2000 && span.name == "")
    }

    @Test("refuses invalid UTF-8 that comes before an escape in a string")
    func invalidUTF8BeforeEscape() {
        let head: [UInt8] = Array(#"{"resourceSpans":[],"x":""#.utf8)
        let tail: [UInt8] = Array(#"\n"}"#.utf8)
        let bytes = head + [0xFF] + tail
        #expect(throws: AssayError.self) { try OTLPJSONDecoder.decode(bytes) }
    }

    @Test("keeps the span index in the path of a syntax error inside a span")
    func syntaxErrorPath() throws {
        let text = #"{"resourceSpans":[{"scopeSpans":[{"spans":[{"name":"a"},{"name":"b","attributes":[{"key":"k","value":{"stringValue":"x"}},{"key": }]}]}]}]}"#
        do {
            _ = try Fixtures.decode(text)
            Issue.record("expected an error")
        } catch let error as AssayError {
            #expect(error.inputProblems.map(\.path) == ["resourceSpans[0].scopeSpans[0].spans[1].attributes[1].key"], "\(error)")
        }
    }

    @Test("never puts hostile member names or attribute text into messages")
    func noLeaks() throws {
        let secret = "my secret prompt text"
        let problem = try rejection(#"{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"a","attributes":[{"key":"k","value":{"intValue":"\#(secret)"}}]}"#)
        #expect(problem?.message == "expected a 64-bit integer, got a string of \(secret.count) characters")
        do {
            _ = try Fixtures.decode(#"{"resourceSpans":[{"scopeSpans":[{"spans":[{"name":"a","\u001b]0;pwned\u0007":[}]}]}]}"#)
        } catch let error as AssayError {
            #expect(!error.description.contains("\u{1B}") && !error.description.contains("pwned"), "\(error)")
        }
    }

    @Test("ignores implausible token counts instead of overflowing sums")
    func hugeTokens() {
        let span = Span.stub(attributes: [Attribute("gen_ai.request.model", .string("m")), Attribute("gen_ai.usage.input_tokens", .int(.max)),
                                          Attribute("gen_ai.usage.output_tokens", .int(-5))])
        let s = SpanSummary(span: span)
        #expect(s.inputTokens == nil && s.outputTokens == nil && s.totalTokens == nil)
    }

    @Test("draws a chain of 100,000 spans without exhausting the stack")
    func deepChain() {
        var spans: [Span] = []
        for i in 1...100_000 {
            let parent: UInt64? = i == 1 ? nil : UInt64(i - 1)
            spans.append(Span.stub(id: UInt64(i), parent: parent, name: "s\(i)", start: UInt64(i)))
        }
        let stored = spans.map { StoredSpan(span: $0, summary: SpanSummary(span: $0)) }
        let rows = TraceTreeRenderer.forest(stored)
        #expect(rows.count == 100_000 && rows.last?.depth == 99_999)
        let summary = TraceSummary(traceID: spans[0].traceID, spans: spans.prefix(2000).map { ($0, SpanSummary(span: $0)) })
        let text = TraceTreeRenderer.text(StoredTrace(summary: summary, spans: Array(stored.prefix(2000))))
        #expect(text.contains("… (depth 1999) └─ s2000"))
    }
}
