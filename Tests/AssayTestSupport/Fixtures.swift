public import Foundation
public import AssayCore
package import AssayOTLP

/// Access to the committed fixture files (`Tests/AssayTestSupport/Fixtures/otlp`), shared by the test targets.
public enum Fixtures {
    /// The fixtures folder.
    public static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/otlp")

    /// A fixture's path.
    public static func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// A fixture's bytes.
    public static func bytes(_ name: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: folder.appendingPathComponent(name))) }

    /// Every record of a fixture, decoded; throws the first record-level problem.
    package static func records(_ name: String) throws -> [DecodedRecord] {
        var reader = JSONRecordReader(bytes: try bytes(name))
        var out: [DecodedRecord] = []
        while let record = try reader.next(OTLPJSONDecoder.decodeRecord) { out.append(record.value) }
        return out
    }

    /// All valid spans of a fixture.
    public static func spans(_ name: String) throws -> [Span] { try records(name).flatMap(\.data.allSpans) }

    /// The one span with this name.
    public static func span(_ name: String, in fixture: String) throws -> Span {
        let matches = try spans(fixture).filter { $0.name == name }
        guard matches.count == 1 else { throw FixtureError("\(fixture): \(matches.count) spans named \(name)") }
        return matches[0]
    }

    /// Decodes a JSON text given inline.
    package static func decode(_ text: String) throws -> DecodedRecord {
        try OTLPJSONDecoder.decode(Array(text.utf8))
    }
}

/// A fixture that is not as a test expects.
public struct FixtureError: Error, CustomStringConvertible {
    /// What is wrong.
    public var description: String
    /// Creates the error.
    public init(_ description: String) { self.description = description }
}

extension Span {
    /// A span with defaults, for tests.
    public static func stub(trace: UInt64 = 1, id: UInt64 = 1, parent: UInt64? = nil, name: String = "span",
                     start: UInt64 = 1_000, end: UInt64 = 2_000, attributes: [Attribute] = [], status: StatusCode = .unset) -> Span {
        Span(traceID: TraceID(high: 0, low: trace)!, spanID: SpanID(id)!, parentSpanID: parent.flatMap { SpanID($0) }, name: name,
             startTimeUnixNano: start, endTimeUnixNano: end, attributes: attributes, status: SpanStatus(code: status))
    }
}

extension TracesData {
    /// One resource and scope holding `spans`, for tests.
    public static func stub(_ spans: [Span]) -> TracesData {
        TracesData(resourceSpans: [ResourceSpans(resource: Resource(attributes: [Attribute("service.name", .string("test"))]),
                                                 scopeSpans: [ScopeSpans(scope: InstrumentationScope(name: "tests"), spans: spans)])])
    }

    /// As one JSON line.
    public var jsonLine: String { String(decoding: OTLPJSONEncoder.encode(self), as: UTF8.self) + "\n" }
}
