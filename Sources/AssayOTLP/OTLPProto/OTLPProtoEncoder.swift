package import AssayCore
/// Writes the trace model as OTLP protobuf (opentelemetry-proto trace.proto, common.proto,
/// resource.proto; field numbers in shared/reference/formats.md, section 1). The store keeps each
/// span in this form: compact, and read back without loss.
package enum OTLPProtoEncoder {
    /// A whole `ExportTraceServiceRequest` / `TracesData`.
    package static func encode(_ data: TracesData) -> [UInt8] {
        var w = ProtoWriter(capacity: 4096)
        for rs in data.resourceSpans {
            w.messageField(1) { w in
                w.messageField(1) { write(rs.resource, to: &$0) }
                for ss in rs.scopeSpans {
                    w.messageField(2) { w in
                        w.messageField(1) { write(ss.scope, to: &$0) }
                        for span in ss.spans { w.messageField(2) { write(span, to: &$0) } }
                        if !ss.schemaURL.isEmpty { w.stringField(3, ss.schemaURL) }
                    }
                }
                if !rs.schemaURL.isEmpty { w.stringField(3, rs.schemaURL) }
            }
        }
        return w.bytes
    }

    /// One `Span` message (without its enclosing field tag).
    package static func encode(_ span: Span) -> [UInt8] {
        var w = ProtoWriter(capacity: 2048)
        write(span, to: &w)
        return w.bytes
    }

    /// A `ResourceSpans` holding only the resource and its schema URL: how the store keys resources.
    package static func encodeResourceBody(_ resource: Resource, schemaURL: String) -> [UInt8] {
        var w = ProtoWriter(capacity: 256)
        w.messageField(1) { write(resource, to: &$0) }
        if !schemaURL.isEmpty { w.stringField(3, schemaURL) }
        return w.bytes
    }

    /// A `ScopeSpans` holding only the scope and its schema URL: how the store keys scopes.
    package static func encodeScopeBody(_ scope: InstrumentationScope, schemaURL: String) -> [UInt8] {
        var w = ProtoWriter(capacity: 128)
        w.messageField(1) { write(scope, to: &$0) }
        if !schemaURL.isEmpty { w.stringField(3, schemaURL) }
        return w.bytes
    }

    static func write(_ resource: Resource, to w: inout ProtoWriter) {
        attributes(resource.attributes, field: 1, to: &w)
        if resource.droppedAttributesCount != 0 { w.varintField(2, UInt64(resource.droppedAttributesCount)) }
    }

    static func write(_ scope: InstrumentationScope, to w: inout ProtoWriter) {
        if !scope.name.isEmpty { w.stringField(1, scope.name) }
        if !scope.version.isEmpty { w.stringField(2, scope.version) }
        attributes(scope.attributes, field: 3, to: &w)
        if scope.droppedAttributesCount != 0 { w.varintField(4, UInt64(scope.droppedAttributesCount)) }
    }

    package static func write(_ span: Span, to w: inout ProtoWriter) {
        w.traceIDField(1, span.traceID)
        w.idField(2, span.spanID.value)
        if !span.traceState.isEmpty { w.stringField(3, span.traceState) }
        if let parent = span.parentSpanID { w.idField(4, parent.value) }
        w.stringField(5, span.name)
        if span.kind.rawValue != 0 { w.varintField(6, UInt64(bitPattern: Int64(span.kind.rawValue))) }
        w.fixed64Field(7, span.startTimeUnixNano)
        w.fixed64Field(8, span.endTimeUnixNano)
        attributes(span.attributes, field: 9, to: &w)
        if span.droppedAttributesCount != 0 { w.varintField(10, UInt64(span.droppedAttributesCount)) }
        for event in span.events {
            w.messageField(11) { w in
                w.fixed64Field(1, event.timeUnixNano)
                w.stringField(2, event.name)
                attributes(event.attributes, field: 3, to: &w)
                if event.droppedAttributesCount != 0 { w.varintField(4, UInt64(event.droppedAttributesCount)) }
            }
        }
        if span.droppedEventsCount != 0 { w.varintField(12, UInt64(span.droppedEventsCount)) }
        for link in span.links {
            w.messageField(13) { w in
                w.traceIDField(1, link.traceID)
                w.idField(2, link.spanID.value)
                if !link.traceState.isEmpty { w.stringField(3, link.traceState) }
                attributes(link.attributes, field: 4, to: &w)
                if link.droppedAttributesCount != 0 { w.varintField(5, UInt64(link.droppedAttributesCount)) }
                if link.flags != 0 { w.fixed32Field(6, link.flags) }
            }
        }
        if span.droppedLinksCount != 0 { w.varintField(14, UInt64(span.droppedLinksCount)) }
        if span.status != SpanStatus() {
            w.messageField(15) { w in
                if !span.status.message.isEmpty { w.stringField(2, span.status.message) }
                if span.status.code.rawValue != 0 { w.varintField(3, UInt64(bitPattern: Int64(span.status.code.rawValue))) }
            }
        }
        if span.flags != 0 { w.fixed32Field(16, span.flags) }
    }

    private static func attributes(_ list: [Attribute], field: Int, to w: inout ProtoWriter) {
        for attribute in list {
            w.messageField(field) { w in
                w.stringField(1, attribute.key)
                w.messageField(2) { anyValue(attribute.value, to: &$0) }
            }
        }
    }

    /// The fields of an `AnyValue`: exactly one for a set value, none for `empty`.
    static func anyValue(_ value: AttributeValue, to w: inout ProtoWriter) {
        switch value {
        case .string(let s): w.stringField(1, s)
        case .bool(let b): w.varintField(2, b ? 1 : 0)
        case .int(let n): w.varintField(3, UInt64(bitPattern: n))
        case .double(let d): w.fixed64Field(4, d.bitPattern)
        case .array(let values): w.messageField(5) { w in for v in values { w.messageField(1) { anyValue(v, to: &$0) } } }
        case .kvlist(let list): w.messageField(6) { attributes(list, field: 1, to: &$0) }
        case .bytes(let b): w.bytesField(7, b)
        case .empty: break
        }
    }
}
