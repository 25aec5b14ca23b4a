import Foundation
import Testing
@testable import AssayCore
import AssayTestSupport
import AssayOTLP

@Suite("Reading OTLP/JSON as real producers send it")
struct OTLPJSONReaderTests {
    @Test("reads the Python SDK's file exporter output: string int64s, one trace per line")
    func pythonSDK() throws {
        let records = try Fixtures.records("python-sdk.jsonl")
        #expect(records.count == 2)
        #expect(records.allSatisfy { $0.rejected.isEmpty })
        let spans = records.flatMap(\.data.allSpans)
        #expect(spans.count == 8)
        let root = try #require(spans.first { $0.spanID.description == "6bd07bc9d9b153bf" })
        #expect(root.traceID.description == "a743aa55fa470bd5d32339d0f2c689e1")
        #expect(root.spanID.description == "6bd07bc9d9b153bf")
        #expect(root.parentSpanID == nil)
        // 2^53 + 1 survives only if read without Double.
        #expect(root.attributes[key: "app.request.id"] == .int(9_007_199_254_740_993))
        #expect(root.attributes[key: "app.max_cost_usd"] == .double(2.0))
        #expect(spans.filter { $0.status.code == .error }.count == 2)
        #expect(spans.filter { $0.status.code == .ok }.count == 1)
        let scopes = records[0].data.resourceSpans.flatMap(\.scopeSpans)
        #expect(scopes.contains { $0.scope.name == "opentelemetry.instrumentation.openai_v2" && !$0.scope.attributes.isEmpty && !$0.schemaURL.isEmpty })
    }

    @Test("reads the JS exporter's numbers: numeric intValue and timestamps, whole doubles as ints")
    func jsSDK() throws {
        let spans = try Fixtures.spans("js-sdk.json")
        #expect(spans.count == 6)
        #expect(spans.allSatisfy { $0.startTimeUnixNano > 1_000_000_000_000_000_000 && $0.endTimeUnixNano >= $0.startTimeUnixNano })
        #expect(spans.allSatisfy { $0.traceState == "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7" })
        #expect(spans.contains { $0.flags == 769 })
    }

    @Test("reads enum names, upper-case hex, NaN and infinities, bytes, nested values, duplicates and unknown keys")
    func collectorEnumNames() throws {
        let records = try Fixtures.records("collector-enum-names.json")
        #expect(records.count == 1)
        let data = records[0].data
        #expect(data.resourceSpans.count == 2)
        let spans = data.allSpans
        #expect(spans.count == 7)
        #expect(Set(spans.map(\.kind)).isSuperset(of: [.server, .client, .producer, .consumer, .internal]))
        #expect(spans.contains { $0.status.code == .error })
        let claude = try #require(spans.first { $0.name.hasPrefix("chat claude") })
        let triage = try #require(spans.first { $0.name == "POST /v1/triage" })
        #expect(claude.traceID == triage.traceID)
        #expect(triage.parentSpanID == nil)
        #expect(try Fixtures.span("process triage.result", in: "collector-enum-names.json").parentSpanID == nil)
        #expect(try Fixtures.span("orphan: parent never arrives", in: "collector-enum-names.json").parentSpanID?.description == "deadbeefcafef00d")
        let values = spans.flatMap(\.attributes).map(\.value)
        #expect(values.contains { if case .double(let d) = $0 { d.isNaN } else { false } })
        #expect(values.contains(.double(.infinity)))
        #expect(values.contains(.double(-.infinity)))
        #expect(values.contains(.bytes([0xDE, 0xAD, 0xBE, 0xEF])))
        #expect(values.contains(.int(.min)) && values.contains(.int(.max)))
        let attempts = spans.flatMap(\.attributes).filter { $0.key == "app.attempt" }
        #expect(attempts.count == 2)
    }

    @Test("reads the old instrumentationLibrarySpans envelope")
    func oldEnvelope() throws {
        let data = try Fixtures.records("old-envelope.json")[0].data
        #expect(data.spanCount == 3)
        #expect(data.resourceSpans[0].scopeSpans.count == 2)
        #expect(data.resourceSpans[0].scopeSpans.allSatisfy { !$0.scope.name.isEmpty })
    }

    @Test("accepts a bare ResourceSpans object, an array of documents, and snake_case keys")
    func rootForms() throws {
        let span = #"{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"a"}"#
        let bare = try Fixtures.decode(#"{"scopeSpans":[{"spans":[\#(span)]}]}"#)
        #expect(bare.data.spanCount == 1)
        let array = try Fixtures.decode(#"[{"resourceSpans":[{"scopeSpans":[{"spans":[\#(span)]}]}]},{"resourceSpans":[]}]"#)
        #expect(array.data.spanCount == 1)
        let snake = try Fixtures.decode(#"{"resource_spans":[{"scope_spans":[{"spans":[{"trace_id":"5b8efff798038103d269b633813fc60c","span_id":"eee19b7ec3c1b174","name":"a","start_time_unix_nano":"5"}]}]}]}"#)
        #expect(snake.data.allSpans.first?.startTimeUnixNano == 5)
        #expect(try Fixtures.decode("{}").data.spanCount == 0)
    }

    @Test("treats absent, empty and all-zero parent ids as roots; missing kind and status as defaults")
    func defaults() throws {
        let record = try Fixtures.decode(#"{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","parentSpanId":"","name":"a"},{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b175","parentSpanId":"0000000000000000","name":"b","status":{}}]}]}]}"#)
        let spans = record.data.allSpans
        #expect(spans.map(\.parentSpanID) == [nil, nil])
        #expect(spans.allSatisfy { $0.kind == .unspecified && $0.status == SpanStatus() })
    }

    @Test("keeps the last of duplicate JSON member names")
    func duplicateMembers() throws {
        let record = try Fixtures.decode(#"{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"first","name":"second"}]}]}]}"#)
        #expect(record.data.allSpans.first?.name == "second")
    }

    @Test("reads JSON Lines and a pretty-printed document from the same stream, across small read chunks")
    func chunkBoundaries() throws {
        let text = try String(contentsOfFile: Fixtures.path("python-sdk.jsonl"), encoding: .utf8)
            + String(contentsOfFile: Fixtures.path("collector-enum-names.json"), encoding: .utf8)
        let bytes = Array(text.utf8)
        for chunk in [1, 7, 64, 4096] {
            var offset = 0
            var reader = JSONRecordReader(chunkSize: chunk) { space in
                let n = min(space.count, chunk, bytes.count - offset)
                bytes.withUnsafeBytes { space.baseAddress!.copyMemory(from: $0.baseAddress! + offset, byteCount: n) }
                offset += n
                return n
            }
            var spans = 0, lines: [Int] = []
            while let record = try reader.next(OTLPJSONDecoder.decodeRecord) {
                spans += record.value.data.spanCount
                lines.append(record.line)
            }
            #expect(spans == 15, "chunk \(chunk)")
            #expect(lines == [1, 2, 3], "chunk \(chunk)")
        }
    }
}
