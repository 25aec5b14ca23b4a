public import AssayCore

/// Builds an `IngestBatch` from decoded OTLP documents: each distinct resource and scope is encoded
/// once, and each span is kept as its protobuf `Span` message.
package struct IngestBatchBuilder: Sendable {
    /// The batch so far.
    package private(set) var batch = IngestBatch()
    private var resourceIndex: [[UInt8]: Int] = [:]
    private var scopeIndex: [[UInt8]: Int] = [:]

    /// Starts an empty batch.
    package init() {}

    /// Adds every span of a decoded record, storing protobuf spans' own bytes when the record has them.
    package mutating func add(_ record: DecodedRecord) {
        add(record.data, spanMessages: record.spanMessages)
    }

    /// Adds every span of a decoded document. `spanMessages`, when given, are the spans' own protobuf
    /// `Span` messages in `data.allSpans` order, stored as they are instead of encoding the spans again.
    package mutating func add(_ data: TracesData, spanMessages: [[UInt8]]? = nil) {
        var next = 0
        for rs in data.resourceSpans {
            let resource = Self.index(of: OTLPProtoEncoder.encodeResourceBody(rs.resource, schemaURL: rs.schemaURL), in: &batch.resources, &resourceIndex)
            for ss in rs.scopeSpans {
                let scope = Self.index(of: OTLPProtoEncoder.encodeScopeBody(ss.scope, schemaURL: ss.schemaURL), in: &batch.scopes, &scopeIndex)
                for span in ss.spans {
                    let payload = spanMessages.map { $0[next] } ?? OTLPProtoEncoder.encode(span)
                    next += 1
                    batch.spans.append(PreparedSpan(span: span, payload: payload, resourceIndex: resource, scopeIndex: scope))
                }
            }
        }
    }

    private static func index(of body: [UInt8], in list: inout [[UInt8]], _ positions: inout [[UInt8]: Int]) -> Int {
        if let i = positions[body] { return i }
        list.append(body)
        positions[body] = list.count - 1
        return list.count - 1
    }
}

extension IngestBatch {
    /// The batch of one decoded record, keeping protobuf spans' own bytes.
    package init(_ record: DecodedRecord) {
        var builder = IngestBatchBuilder()
        builder.add(record)
        self = builder.batch
    }

    /// The batch of one decoded OTLP document.
    public init(_ data: TracesData) {
        var builder = IngestBatchBuilder()
        builder.add(data)
        self = builder.batch
    }
}
