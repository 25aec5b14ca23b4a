package import AssayCore
/// Decodes OTLP protobuf (`ExportTraceServiceRequest`, `TracesData`) into the trace model.
///
/// Malformed wire format rejects the whole message; a well-formed span with invalid content (a
/// wrong-length or all-zero id, invalid UTF-8 in its strings) rejects that span only, as with JSON.
/// Unknown fields are skipped, as the protobuf rules require.
package enum OTLPProtoDecoder {

    /// Decodes a whole request.
    package static func decode(_ bytes: [UInt8]) throws(AssayError) -> DecodedRecord {
        var result: Result<DecodedRecord, AssayError>!
        bytes.withUnsafeBufferPointer { buffer in result = Result { () throws(AssayError) in try decode(buffer: buffer) } }
        return try result.get()
    }

    /// Decodes a whole request held in `buffer`; also returns each valid span's own message bytes.
    ///
    /// - Throws: `AssayError.input` locating malformed wire format by field path and byte offset.
    package static func decode(buffer: UnsafeBufferPointer<UInt8>, interner: KeyInterner? = nil) throws(AssayError) -> DecodedRecord {
        do throws(ProtoError) { return try request(buffer, interner: interner) } catch { throw error.assayError }
    }

    private static func request(_ buffer: UnsafeBufferPointer<UInt8>, interner: KeyInterner?) throws(ProtoError) -> DecodedRecord {
        var r = ProtoReader(buffer, interner: interner)
        var data = TracesData()
        var rejected: [InputProblem] = []
        var messages: [[UInt8]] = []
        var index = 0
        while let (field, wire) = try r.nextField() {
            if field == 1 {
                try r.expect(wire, .lengthDelimited, field: "resourceSpans")
                var m = try r.message()
                let before = rejected.count
                do throws(ProtoError) {
                    data.resourceSpans.append(try resourceSpans(&m, rejected: &rejected, messages: &messages))
                } catch {
                    throw error.under("resourceSpans[\(index)]")
                }
                rejected.prefixPaths(from: before, with: "resourceSpans[\(index)]")
                index += 1
            } else {
                try r.skip(wire)
            }
        }
        return DecodedRecord(data: data, rejected: rejected, spanMessages: messages)
    }

    private static func resourceSpans(_ r: inout ProtoReader, rejected: inout [InputProblem], messages: inout [[UInt8]]) throws(ProtoError) -> ResourceSpans {
        var result = ResourceSpans()
        var index = 0
        while let (field, wire) = try r.nextField() {
            switch field {
            case 1:
                try r.expect(wire, .lengthDelimited, field: "resource")
                var m = try r.message()
                do throws(ProtoError) { result.resource = try resource(&m) } catch { throw error.under("resource") }
            case 2, 1000:
                try r.expect(wire, .lengthDelimited, field: "scopeSpans")
                var m = try r.message()
                let before = rejected.count
                do throws(ProtoError) { result.scopeSpans.append(try scopeSpans(&m, rejected: &rejected, messages: &messages)) } catch {
                    throw error.under("scopeSpans[\(index)]")
                }
                rejected.prefixPaths(from: before, with: "scopeSpans[\(index)]")
                index += 1
            case 3:
                try r.expect(wire, .lengthDelimited, field: "schemaUrl")
                result.schemaURL = try r.string()
            default:
                try r.skip(wire)
            }
        }
        return result
    }

    private static func scopeSpans(_ r: inout ProtoReader, rejected: inout [InputProblem], messages: inout [[UInt8]]) throws(ProtoError) -> ScopeSpans {
        var result = ScopeSpans()
        var index = 0
        while let (field, wire) = try r.nextField() {
            switch field {
            case 1:
                try r.expect(wire, .lengthDelimited, field: "scope")
                var m = try r.message()
                do throws(ProtoError) { result.scope = try scope(&m) } catch { throw error.under("scope") }
            case 2:
                try r.expect(wire, .lengthDelimited, field: "spans")
                var m = try r.message()
                let raw = m.remainingBytes
                do throws(ProtoError) {
                    result.spans.append(try span(&m))
                    messages.append(Array(raw))
                } catch where error.isContentProblem {
                    rejected.append(error.under("spans[\(index)]").inputProblem)
                } catch {
                    throw error.under("spans[\(index)]")
                }
                index += 1
            case 3:
                try r.expect(wire, .lengthDelimited, field: "schemaUrl")
                result.schemaURL = try r.string()
            default:
                try r.skip(wire)
            }
        }
        return result
    }

    static func resource(_ r: inout ProtoReader) throws(ProtoError) -> Resource {
        var result = Resource()
        while let (field, wire) = try r.nextField() {
            switch field {
            case 1: result.attributes.append(try keyValue(&r, wire, depth: 0))
            case 2: result.droppedAttributesCount = try uint32(&r, wire, "droppedAttributesCount")
            default: try r.skip(wire)
            }
        }
        return result
    }

    static func scope(_ r: inout ProtoReader) throws(ProtoError) -> InstrumentationScope {
        var result = InstrumentationScope()
        while let (field, wire) = try r.nextField() {
            switch field {
            case 1: try r.expect(wire, .lengthDelimited, field: "name"); result.name = try r.string()
            case 2: try r.expect(wire, .lengthDelimited, field: "version"); result.version = try r.string()
            case 3: result.attributes.append(try keyValue(&r, wire, depth: 0))
            case 4: result.droppedAttributesCount = try uint32(&r, wire, "droppedAttributesCount")
            default: try r.skip(wire)
            }
        }
        return result
    }

    static func span(_ r: inout ProtoReader) throws(ProtoError) -> Span {
        var span = Span(traceID: TraceID(high: 0, low: 1)!, spanID: SpanID(1)!, name: "")
        var traceID: TraceID?, spanID: SpanID?
        let start = r.pos
        while let (field, wire) = try r.nextField() {
            switch field {
            case 1: traceID = try self.traceID(&r, wire, "traceId")
            case 2: spanID = try self.spanID(&r, wire, "spanId")
            case 3: try r.expect(wire, .lengthDelimited, field: "traceState"); span.traceState = try contentString(&r, "traceState")
            case 4:
                try r.expect(wire, .lengthDelimited, field: "parentSpanId")
                let at = r.pos
                let raw = try r.bytes()
                if raw.isEmpty || raw.allSatisfy({ $0 == 0 }) { span.parentSpanID = nil } else if let id = SpanID(bytes: raw) {
                    span.parentSpanID = id
                } else {
                    throw content(at, "parentSpanId", "expected 8 bytes, got \(raw.count)")
                }
            case 5: try r.expect(wire, .lengthDelimited, field: "name"); span.name = try contentString(&r, "name")
            case 6: try r.expect(wire, .varint, field: "kind"); span.kind = SpanKind(rawValue: Int32(truncatingIfNeeded: try r.varint()))
            case 7: try r.expect(wire, .fixed64, field: "startTimeUnixNano"); span.startTimeUnixNano = try time(&r, "startTimeUnixNano")
            case 8: try r.expect(wire, .fixed64, field: "endTimeUnixNano"); span.endTimeUnixNano = try time(&r, "endTimeUnixNano")
            case 9: span.attributes.append(try keyValue(&r, wire, depth: 0))
            case 10: span.droppedAttributesCount = try uint32(&r, wire, "droppedAttributesCount")
            case 11:
                try r.expect(wire, .lengthDelimited, field: "events")
                var m = try r.message()
                span.events.append(try event(&m))
            case 12: span.droppedEventsCount = try uint32(&r, wire, "droppedEventsCount")
            case 13:
                try r.expect(wire, .lengthDelimited, field: "links")
                var m = try r.message()
                span.links.append(try link(&m))
            case 14: span.droppedLinksCount = try uint32(&r, wire, "droppedLinksCount")
            case 15:
                try r.expect(wire, .lengthDelimited, field: "status")
                var m = try r.message()
                while let (f, w) = try m.nextField() {
                    switch f {
                    case 2: try m.expect(w, .lengthDelimited, field: "status.message"); span.status.message = try contentString(&m, "status.message")
                    case 3: try m.expect(w, .varint, field: "status.code"); span.status.code = StatusCode(rawValue: Int32(truncatingIfNeeded: try m.varint()))
                    default: try m.skip(w)
                    }
                }
            case 16: try r.expect(wire, .fixed32, field: "flags"); span.flags = try r.fixed32()
            default: try r.skip(wire)
            }
        }
        guard let traceID else { throw content(start, "traceId", "a span needs a traceId") }
        guard let spanID else { throw content(start, "spanId", "a span needs a spanId") }
        span.traceID = traceID
        span.spanID = spanID
        return span
    }

    private static func event(_ r: inout ProtoReader) throws(ProtoError) -> SpanEvent {
        var event = SpanEvent(name: "")
        while let (field, wire) = try r.nextField() {
            switch field {
            case 1: try r.expect(wire, .fixed64, field: "timeUnixNano"); event.timeUnixNano = try time(&r, "events.timeUnixNano")
            case 2: try r.expect(wire, .lengthDelimited, field: "name"); event.name = try contentString(&r, "events.name")
            case 3: event.attributes.append(try keyValue(&r, wire, depth: 0))
            case 4: event.droppedAttributesCount = try uint32(&r, wire, "droppedAttributesCount")
            default: try r.skip(wire)
            }
        }
        return event
    }

    private static func link(_ r: inout ProtoReader) throws(ProtoError) -> SpanLink {
        var link = SpanLink(traceID: TraceID(high: 0, low: 1)!, spanID: SpanID(1)!)
        var traceID: TraceID?, spanID: SpanID?
        let start = r.pos
        while let (field, wire) = try r.nextField() {
            switch field {
            case 1: traceID = try self.traceID(&r, wire, "links.traceId")
            case 2: spanID = try self.spanID(&r, wire, "links.spanId")
            case 3: try r.expect(wire, .lengthDelimited, field: "traceState"); link.traceState = try contentString(&r, "links.traceState")
            case 4: link.attributes.append(try keyValue(&r, wire, depth: 0))
            case 5: link.droppedAttributesCount = try uint32(&r, wire, "droppedAttributesCount")
            case 6: try r.expect(wire, .fixed32, field: "flags"); link.flags = try r.fixed32()
            default: try r.skip(wire)
            }
        }
        guard let traceID, let spanID else { throw content(start, "links", "a link needs a traceId and a spanId") }
        link.traceID = traceID
        link.spanID = spanID
        return link
    }

    /// A `KeyValue` inside a value nested `depth` deep (0 for a span's, resource's or scope's own attributes).
    private static func keyValue(_ r: inout ProtoReader, _ wire: ProtoReader.WireType, depth: Int) throws(ProtoError) -> Attribute {
        try r.expect(wire, .lengthDelimited, field: "attributes")
        var m = try r.message()
        var key = ""
        var value = AttributeValue.empty
        while let (field, w) = try m.nextField() {
            switch field {
            case 1: try m.expect(w, .lengthDelimited, field: "key"); key = try internedKey(&m)
            case 2:
                try m.expect(w, .lengthDelimited, field: "value")
                var v = try m.message()
                value = try anyValue(&v, level: depth + 1)
            default: try m.skip(w)
            }
        }
        return Attribute(key, value)
    }

    /// An `AnyValue` nested `level` values deep (1 for an attribute's own value), refused past
    /// `AttributeValue.maxNesting` as the JSON reader refuses it, so that the span can be written as JSON.
    private static func anyValue(_ r: inout ProtoReader, level: Int) throws(ProtoError) -> AttributeValue {
        guard level <= AttributeValue.maxNesting else {
            throw content(r.pos, "attributes.value", "attribute values nested deeper than \(AttributeValue.maxNesting) levels")
        }
        var value = AttributeValue.empty
        while let (field, wire) = try r.nextField() {
            switch field {
            case 1: try r.expect(wire, .lengthDelimited, field: "stringValue"); value = .string(try contentString(&r, "attributes.value"))
            case 2: try r.expect(wire, .varint, field: "boolValue"); value = .bool(try r.varint() != 0)
            case 3: try r.expect(wire, .varint, field: "intValue"); value = .int(Int64(bitPattern: try r.varint()))
            case 4: try r.expect(wire, .fixed64, field: "doubleValue"); value = .double(Double(bitPattern: try r.fixed64()))
            case 5:
                try r.expect(wire, .lengthDelimited, field: "arrayValue")
                var m = try r.message()
                var values: [AttributeValue] = []
                while let (f, w) = try m.nextField() {
                    if f == 1 {
                        try m.expect(w, .lengthDelimited, field: "arrayValue.values")
                        var v = try m.message()
                        values.append(try anyValue(&v, level: level + 1))
                    } else {
                        try m.skip(w)
                    }
                }
                value = .array(values)
            case 6:
                try r.expect(wire, .lengthDelimited, field: "kvlistValue")
                var m = try r.message()
                var list: [Attribute] = []
                while let (f, w) = try m.nextField() {
                    if f == 1 { list.append(try keyValue(&m, w, depth: level)) } else { try m.skip(w) }
                }
                value = .kvlist(list)
            case 7: try r.expect(wire, .lengthDelimited, field: "bytesValue"); value = .bytes(Array(try r.bytes()))
            default: try r.skip(wire)
            }
        }
        return value
    }

    // MARK: - Scalars

    /// A time; past 2262 (beyond `Int64.max` nanoseconds) is refused, as in JSON.
    private static func time(_ r: inout ProtoReader, _ name: String) throws(ProtoError) -> UInt64 {
        let at = r.pos
        let n = try r.fixed64()
        guard n <= UInt64(Int64.max) else { throw content(at, name, "a time after the year 2262 (\(n) ns) is not accepted") }
        return n
    }

    private static func uint32(_ r: inout ProtoReader, _ wire: ProtoReader.WireType, _ name: String) throws(ProtoError) -> UInt32 {
        try r.expect(wire, .varint, field: name)
        return UInt32(truncatingIfNeeded: try r.varint())
    }

    private static func traceID(_ r: inout ProtoReader, _ wire: ProtoReader.WireType, _ name: String) throws(ProtoError) -> TraceID {
        try r.expect(wire, .lengthDelimited, field: name)
        let at = r.pos
        let raw = try r.bytes()
        guard raw.count == 16 else { throw content(at, name, "expected 16 bytes, got \(raw.count)") }
        guard let id = TraceID(bytes: raw) else { throw content(at, name, "an all-zero id is invalid") }
        return id
    }

    private static func spanID(_ r: inout ProtoReader, _ wire: ProtoReader.WireType, _ name: String) throws(ProtoError) -> SpanID {
        try r.expect(wire, .lengthDelimited, field: name)
        let at = r.pos
        let raw = try r.bytes()
        guard raw.count == 8 else { throw content(at, name, "expected 8 bytes, got \(raw.count)") }
        guard let id = SpanID(bytes: raw) else { throw content(at, name, "an all-zero id is invalid") }
        return id
    }

    /// An attribute key, shared with earlier identical keys when it is plain ASCII.
    private static func internedKey(_ r: inout ProtoReader) throws(ProtoError) -> String {
        let at = r.pos
        let raw = try r.bytes()
        if let interner = r.interner, raw.allSatisfy({ $0 < 0x80 }), let s = interner.lookup(raw) { return s }
        guard let s = String(validating: raw, as: UTF8.self) else { throw content(at, "attributes.key", "invalid UTF-8") }
        return s
    }

    /// A string whose invalid UTF-8 is a problem of the span's content (the wire format is intact).
    private static func contentString(_ r: inout ProtoReader, _ name: String) throws(ProtoError) -> String {
        let at = r.pos
        let raw = try r.bytes()
        guard let s = String(validating: raw, as: UTF8.self) else { throw content(at, name, "invalid UTF-8") }
        return s
    }

    private static func content(_ offset: Int, _ path: String, _ message: String) -> ProtoError {
        var e = ProtoError(offset: offset, message: message)
        e.path = path
        e.isContentProblem = true
        return e
    }
}

extension OTLPProtoDecoder {
    /// Decodes one stored `Span` message.
    package static func decodeSpan(_ bytes: [UInt8]) throws(AssayError) -> Span {
        try whole(bytes) { r throws(ProtoError) in try span(&r) }
    }

    /// Decodes a stored resource body (a `ResourceSpans` with only resource and schema URL).
    package static func decodeResourceBody(_ bytes: [UInt8]) throws(AssayError) -> (Resource, String) {
        try whole(bytes) { r throws(ProtoError) in
            var rejected: [InputProblem] = [], messages: [[UInt8]] = []
            let rs = try resourceSpans(&r, rejected: &rejected, messages: &messages)
            return (rs.resource, rs.schemaURL)
        }
    }

    /// Decodes a stored scope body (a `ScopeSpans` with only scope and schema URL).
    package static func decodeScopeBody(_ bytes: [UInt8]) throws(AssayError) -> (InstrumentationScope, String) {
        try whole(bytes) { r throws(ProtoError) in
            var rejected: [InputProblem] = [], messages: [[UInt8]] = []
            let ss = try scopeSpans(&r, rejected: &rejected, messages: &messages)
            return (ss.scope, ss.schemaURL)
        }
    }

    private static func whole<T>(_ bytes: [UInt8], _ body: (inout ProtoReader) throws(ProtoError) -> T) throws(AssayError) -> T {
        var result: Result<T, AssayError>!
        bytes.withUnsafeBufferPointer { buffer in
            var r = ProtoReader(buffer)
            do throws(ProtoError) { result = .success(try body(&r)) } catch { result = .failure(error.assayError) }
        }
        return try result.get()
    }
}
