import Testing
@testable import AssayCore
import AssayTestSupport
import AssayOTLP

@Suite("Nothing lossy: what is read is written back with the same content")
struct RoundTripTests {
    static let fixtures = ["python-sdk.jsonl", "js-sdk.json", "collector-enum-names.json", "old-envelope.json",
                           "openinference.json", "openllmetry.json", "genai-structured.json"]

    @Test("OTLP/JSON written back reads as the same model", arguments: fixtures)
    func jsonRoundTrip(_ name: String) throws {
        for record in try Fixtures.records(name) {
            let again = try OTLPJSONDecoder.decode(OTLPJSONEncoder.encode(record.data))
            #expect(again.rejected.isEmpty)
            #expect(Equivalent(again.data) == Equivalent(record.data))
        }
    }

    @Test("OTLP protobuf written back reads as the same model", arguments: fixtures)
    func protobufRoundTrip(_ name: String) throws {
        for record in try Fixtures.records(name) {
            let again = try OTLPProtoDecoder.decode(OTLPProtoEncoder.encode(record.data))
            #expect(again.rejected.isEmpty)
            #expect(Equivalent(again.data) == Equivalent(record.data))
        }
    }

    @Test("random spans survive both encodings (seeded)")
    func randomSpans() throws {
        var rng = SplitMix64(seed: 42)
        for _ in 0..<200 {
            let data = TracesData.stub((0..<Int(rng.next() % 4 + 1)).map { _ in randomSpan(&rng) })
            #expect(Equivalent(try OTLPJSONDecoder.decode(OTLPJSONEncoder.encode(data)).data) == Equivalent(data))
            #expect(Equivalent(try OTLPProtoDecoder.decode(OTLPProtoEncoder.encode(data)).data) == Equivalent(data))
        }
    }

    /// A value nested `levels` deep: kvlists (four JSON levels each, the deepest JSON) or arrays around an empty kvlist.
    static func nested(_ levels: Int, arrays: Bool = false) -> AttributeValue {
        var value = AttributeValue.kvlist([])
        for _ in 1..<levels { value = arrays ? .array([value]) : .kvlist([Attribute("k", value)]) }
        return value
    }

    /// A span carrying `value` as a span, event and link attribute (the link's is the deepest in JSON),
    /// under a resource carrying it too.
    static func deepSpan(_ value: AttributeValue) -> TracesData {
        var span = Span.stub(attributes: [Attribute("deep", value)])
        span.events = [SpanEvent(timeUnixNano: 1_500, name: "e", attributes: [Attribute("deep", value)])]
        span.links = [SpanLink(traceID: TraceID(high: 1, low: 2)!, spanID: SpanID(3)!, attributes: [Attribute("deep", value)])]
        var data = TracesData.stub([span])
        data.resourceSpans[0].resource.attributes.append(Attribute("deep", value))
        return data
    }

    @Test("a span nested to the attribute limit goes from protobuf to OTLP/JSON and reads back, as a document or in an array")
    func deepestSpan() throws {
        for arrays in [false, true] {
            let data = Self.deepSpan(Self.nested(AttributeValue.maxNesting, arrays: arrays))
            let proto = try OTLPProtoDecoder.decode(OTLPProtoEncoder.encode(data))
            #expect(proto.rejected.isEmpty && Equivalent(proto.data) == Equivalent(data))
            let json = OTLPJSONEncoder.encode(proto.data)
            let again = try OTLPJSONDecoder.decode(json)
            #expect(again.rejected.isEmpty && Equivalent(again.data) == Equivalent(data))
            let inArray = try OTLPJSONDecoder.decode(Array("[".utf8) + json + Array("]".utf8))
            #expect(inArray.rejected.isEmpty && Equivalent(inArray.data) == Equivalent(data))
        }
    }

    func randomSpan(_ rng: inout SplitMix64) -> Span {
        Span(traceID: TraceID(high: rng.next(), low: rng.next() | 1)!, spanID: SpanID(rng.next() | 1)!,
             parentSpanID: rng.next() % 2 == 0 ? nil : SpanID(rng.next() | 1), traceState: rng.next() % 3 == 0 ? "a=b" : "",
             flags: UInt32(truncatingIfNeeded: rng.next()), name: randomString(&rng), kind: SpanKind(rawValue: Int32(rng.next() % 7)),
             startTimeUnixNano: rng.next() >> 1, endTimeUnixNano: rng.next() >> 1,
             attributes: (0..<Int(rng.next() % 5)).map { _ in Attribute(randomString(&rng), randomValue(&rng, depth: 0)) },
             droppedAttributesCount: UInt32(rng.next() % 3),
             events: (0..<Int(rng.next() % 3)).map { _ in SpanEvent(timeUnixNano: rng.next() >> 1, name: randomString(&rng), attributes: [Attribute("k", randomValue(&rng, depth: 0))]) },
             droppedEventsCount: UInt32(rng.next() % 2),
             links: rng.next() % 2 == 0 ? [] : [SpanLink(traceID: TraceID(high: 1, low: rng.next())!, spanID: SpanID(rng.next() | 1)!, traceState: "x=y", flags: 256)],
             status: SpanStatus(code: StatusCode(rawValue: Int32(rng.next() % 4)), message: rng.next() % 2 == 0 ? "" : randomString(&rng)))
    }

    func randomString(_ rng: inout SplitMix64) -> String {
        let alphabet = Array("abc xyz\"\\\n\t\u{0}\u{1F}é漢字🙂\u{2028}")
        return String((0..<Int(rng.next() % 12)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
    }

    func randomValue(_ rng: inout SplitMix64, depth: Int) -> AttributeValue {
        switch rng.next() % (depth > 2 ? 6 : 8) {
        case 0: return .string(randomString(&rng))
        case 1: return .bool(rng.next() % 2 == 0)
        case 2: return .int(Int64(bitPattern: rng.next()))
        case 3: return .double([0.1, -0, 1e300, .nan, .infinity, -.infinity, Double(bitPattern: rng.next() >> 2)][Int(rng.next() % 7)])
        case 4: return .bytes((0..<Int(rng.next() % 6)).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
        case 5: return .empty
        case 6: return .array((0..<Int(rng.next() % 3)).map { _ in randomValue(&rng, depth: depth + 1) })
        default: return .kvlist((0..<Int(rng.next() % 3)).map { _ in Attribute(randomString(&rng), randomValue(&rng, depth: depth + 1)) })
        }
    }
}

/// Compares documents treating NaN as equal to NaN (they are the same content) and `-0` as `0`'s twin.
struct Equivalent: Equatable {
    let data: TracesData
    init(_ data: TracesData) { self.data = data }

    static func == (a: Equivalent, b: Equivalent) -> Bool { normalize(a.data) == normalize(b.data) }

    private static func normalize(_ d: TracesData) -> TracesData {
        var d = d
        for r in d.resourceSpans.indices {
            d.resourceSpans[r].resource.attributes = d.resourceSpans[r].resource.attributes.map(fix)
            for s in d.resourceSpans[r].scopeSpans.indices {
                d.resourceSpans[r].scopeSpans[s].scope.attributes = d.resourceSpans[r].scopeSpans[s].scope.attributes.map(fix)
                for i in d.resourceSpans[r].scopeSpans[s].spans.indices {
                    var span = d.resourceSpans[r].scopeSpans[s].spans[i]
                    span.attributes = span.attributes.map(fix)
                    span.events = span.events.map { var e = $0; e.attributes = e.attributes.map(fix); return e }
                    span.links = span.links.map { var l = $0; l.attributes = l.attributes.map(fix); return l }
                    d.resourceSpans[r].scopeSpans[s].spans[i] = span
                }
            }
        }
        return d
    }

    private static func fix(_ a: Attribute) -> Attribute { Attribute(a.key, fix(a.value)) }

    private static func fix(_ v: AttributeValue) -> AttributeValue {
        switch v {
        case .double(let d) where d.isNaN: return .string("<NaN>")
        case .array(let values): return .array(values.map(fix))
        case .kvlist(let list): return .kvlist(list.map(fix))
        default: return v
        }
    }
}
