public import AssayCore
import Foundation

/// Writes the trace model as canonical OTLP/JSON: keys in proto field order, lower-case hex ids,
/// enums as integers, 64-bit integers and timestamps as decimal strings, defaults omitted
/// (docs/specification.md "JSON Protobuf Encoding"; shared/reference/formats.md, section 1).
///
/// Reading what it writes gives back the same model value.
public enum OTLPJSONEncoder {
    /// One document (`{"resourceSpans":[...]}`) as UTF-8 bytes, on one line.
    public static func encode(_ data: TracesData) -> [UInt8] {
        var w = JSONWriter(capacity: 4096)
        write(data, to: &w)
        return w.bytes
    }

    /// Writes one document to a writer.
    package static func write(_ data: TracesData, to w: inout JSONWriter) {
        w.raw("{\"resourceSpans\":[")
        for (i, rs) in data.resourceSpans.enumerated() {
            if i > 0 { w.byte(UInt8(ascii: ",")) }
            w.byte(UInt8(ascii: "{"))
            w.key("resource")
            write(rs.resource, to: &w)
            w.raw(",\"scopeSpans\":[")
            for (j, ss) in rs.scopeSpans.enumerated() {
                if j > 0 { w.byte(UInt8(ascii: ",")) }
                w.byte(UInt8(ascii: "{"))
                w.key("scope")
                write(ss.scope, to: &w)
                w.raw(",\"spans\":[")
                for (k, span) in ss.spans.enumerated() {
                    if k > 0 { w.byte(UInt8(ascii: ",")) }
                    write(span, to: &w)
                }
                w.byte(UInt8(ascii: "]"))
                if !ss.schemaURL.isEmpty { w.raw(",\"schemaUrl\":"); w.string(ss.schemaURL) }
                w.byte(UInt8(ascii: "}"))
            }
            w.byte(UInt8(ascii: "]"))
            if !rs.schemaURL.isEmpty { w.raw(",\"schemaUrl\":"); w.string(rs.schemaURL) }
            w.byte(UInt8(ascii: "}"))
        }
        w.raw("]}")
    }

    /// One resource object.
    package static func write(_ resource: Resource, to w: inout JSONWriter) {
        w.byte(UInt8(ascii: "{"))
        var first = true
        attributes(resource.attributes, dropped: resource.droppedAttributesCount, first: &first, to: &w)
        w.byte(UInt8(ascii: "}"))
    }

    /// One instrumentation scope object.
    package static func write(_ scope: InstrumentationScope, to w: inout JSONWriter) {
        w.byte(UInt8(ascii: "{"))
        var first = true
        if !scope.name.isEmpty { separator(&first, &w); w.key("name"); w.string(scope.name) }
        if !scope.version.isEmpty { separator(&first, &w); w.key("version"); w.string(scope.version) }
        attributes(scope.attributes, dropped: scope.droppedAttributesCount, first: &first, to: &w)
        w.byte(UInt8(ascii: "}"))
    }

    /// One span object.
    package static func write(_ span: Span, to w: inout JSONWriter) {
        w.raw("{\"traceId\":\"")
        span.traceID.appendHex(to: &w.bytes)
        w.raw("\",\"spanId\":\"")
        span.spanID.appendHex(to: &w.bytes)
        w.byte(UInt8(ascii: "\""))
        if !span.traceState.isEmpty { w.raw(",\"traceState\":"); w.string(span.traceState) }
        if let parent = span.parentSpanID {
            w.raw(",\"parentSpanId\":\"")
            parent.appendHex(to: &w.bytes)
            w.byte(UInt8(ascii: "\""))
        }
        if span.flags != 0 { w.raw(",\"flags\":"); w.integer(span.flags) }
        w.raw(",\"name\":")
        w.string(span.name)
        if span.kind.rawValue != 0 { w.raw(",\"kind\":"); w.integer(span.kind.rawValue) }
        w.raw(",\"startTimeUnixNano\":")
        w.quotedInteger(span.startTimeUnixNano)
        w.raw(",\"endTimeUnixNano\":")
        w.quotedInteger(span.endTimeUnixNano)
        var first = false
        attributes(span.attributes, dropped: span.droppedAttributesCount, first: &first, to: &w)
        if !span.events.isEmpty {
            w.raw(",\"events\":[")
            for (i, event) in span.events.enumerated() {
                if i > 0 { w.byte(UInt8(ascii: ",")) }
                w.raw("{\"timeUnixNano\":")
                w.quotedInteger(event.timeUnixNano)
                w.raw(",\"name\":")
                w.string(event.name)
                var f = false
                attributes(event.attributes, dropped: event.droppedAttributesCount, first: &f, to: &w)
                w.byte(UInt8(ascii: "}"))
            }
            w.byte(UInt8(ascii: "]"))
        }
        if span.droppedEventsCount != 0 { w.raw(",\"droppedEventsCount\":"); w.integer(span.droppedEventsCount) }
        if !span.links.isEmpty {
            w.raw(",\"links\":[")
            for (i, link) in span.links.enumerated() {
                if i > 0 { w.byte(UInt8(ascii: ",")) }
                w.raw("{\"traceId\":\"")
                link.traceID.appendHex(to: &w.bytes)
                w.raw("\",\"spanId\":\"")
                link.spanID.appendHex(to: &w.bytes)
                w.byte(UInt8(ascii: "\""))
                if !link.traceState.isEmpty { w.raw(",\"traceState\":"); w.string(link.traceState) }
                var f = false
                attributes(link.attributes, dropped: link.droppedAttributesCount, first: &f, to: &w)
                if link.flags != 0 { w.raw(",\"flags\":"); w.integer(link.flags) }
                w.byte(UInt8(ascii: "}"))
            }
            w.byte(UInt8(ascii: "]"))
        }
        if span.droppedLinksCount != 0 { w.raw(",\"droppedLinksCount\":"); w.integer(span.droppedLinksCount) }
        if span.status != SpanStatus() {
            w.raw(",\"status\":{")
            var f = true
            if !span.status.message.isEmpty { separator(&f, &w); w.key("message"); w.string(span.status.message) }
            if span.status.code.rawValue != 0 { separator(&f, &w); w.key("code"); w.integer(span.status.code.rawValue) }
            w.byte(UInt8(ascii: "}"))
        }
        w.byte(UInt8(ascii: "}"))
    }

    @inline(__always) private static func separator(_ first: inout Bool, _ w: inout JSONWriter) {
        if first { first = false } else { w.byte(UInt8(ascii: ",")) }
    }

    private static func attributes(_ list: [Attribute], dropped: UInt32, first: inout Bool, to w: inout JSONWriter) {
        if !list.isEmpty {
            separator(&first, &w)
            w.key("attributes")
            keyValues(list, to: &w)
        }
        if dropped != 0 {
            separator(&first, &w)
            w.key("droppedAttributesCount")
            w.integer(dropped)
        }
    }

    private static func keyValues(_ list: [Attribute], to w: inout JSONWriter) {
        w.byte(UInt8(ascii: "["))
        for (i, attribute) in list.enumerated() {
            if i > 0 { w.byte(UInt8(ascii: ",")) }
            w.raw("{\"key\":")
            w.string(attribute.key)
            w.raw(",\"value\":")
            anyValue(attribute.value, to: &w)
            w.byte(UInt8(ascii: "}"))
        }
        w.byte(UInt8(ascii: "]"))
    }

    /// One AnyValue object.
    package static func anyValue(_ value: AttributeValue, to w: inout JSONWriter) {
        switch value {
        case .string(let s): w.raw("{\"stringValue\":"); w.string(s)
        case .bool(let b): w.raw(b ? "{\"boolValue\":true" : "{\"boolValue\":false")
        case .int(let n): w.raw("{\"intValue\":"); w.quotedInteger(n)
        case .double(let d): w.raw("{\"doubleValue\":"); w.double(d)
        case .bytes(let b): w.raw("{\"bytesValue\":"); w.string(Data(b).base64EncodedString())
        case .array(let values):
            w.raw("{\"arrayValue\":{\"values\":[")
            for (i, v) in values.enumerated() {
                if i > 0 { w.byte(UInt8(ascii: ",")) }
                anyValue(v, to: &w)
            }
            w.raw("]}")
        case .kvlist(let list):
            w.raw("{\"kvlistValue\":{\"values\":")
            keyValues(list, to: &w)
            w.byte(UInt8(ascii: "}"))
        case .empty:
            w.byte(UInt8(ascii: "{"))
        }
        w.byte(UInt8(ascii: "}"))
    }
}
