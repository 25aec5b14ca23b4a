import AssayCore
/// Decodes one OTLP/JSON `Span` object, with its events, links and status.
enum OTLPJSONSpanDecoder {
    static func span(_ c: inout JSONCursor) throws(FieldError) -> Span {
        c.skipWhitespace()
        let line = c.line
        var traceID: TraceID?, spanID: SpanID?, parent: SpanID?
        var name: String?
        var span = Span(traceID: TraceID(high: 0, low: 1)!, spanID: SpanID(1)!, name: "")
        try c.object("a span object") { c, k throws(FieldError) in
            do throws(FieldError) {
                if k.is("traceId", "trace_id") {
                    traceID = try self.traceID(&c)
                } else if k.is("spanId", "span_id") {
                    spanID = try self.spanID(&c)
                } else if k.is("parentSpanId", "parent_span_id") {
                    parent = try parentSpanID(&c)
                } else if k.is("name") {
                    name = try c.string()
                } else if k.is("kind") {
                    span.kind = SpanKind(rawValue: try OTLPJSONScalars.enumValue(&c, "span kind") { SpanKind(name: $0)?.rawValue })
                } else if k.is("startTimeUnixNano", "start_time_unix_nano") {
                    span.startTimeUnixNano = try OTLPJSONScalars.time(&c)
                } else if k.is("endTimeUnixNano", "end_time_unix_nano") {
                    span.endTimeUnixNano = try OTLPJSONScalars.time(&c)
                } else if k.is("attributes") {
                    span.attributes = try OTLPJSONAttributes.list(&c)
                } else if k.is("status") {
                    span.status = try status(&c)
                } else if k.is("events") {
                    try c.array { c, i throws(FieldError) in
                        do throws(FieldError) { span.events.append(try event(&c)) } catch { throw error.at(i) }
                    }
                } else if k.is("links") {
                    try c.array { c, i throws(FieldError) in
                        do throws(FieldError) { span.links.append(try link(&c)) } catch { throw error.at(i) }
                    }
                } else if k.is("traceState", "trace_state") {
                    span.traceState = try c.string()
                } else if k.is("flags") {
                    span.flags = try OTLPJSONScalars.uint32(&c)
                } else if k.is("droppedAttributesCount", "dropped_attributes_count") {
                    span.droppedAttributesCount = try OTLPJSONScalars.uint32(&c)
                } else if k.is("droppedEventsCount", "dropped_events_count") {
                    span.droppedEventsCount = try OTLPJSONScalars.uint32(&c)
                } else if k.is("droppedLinksCount", "dropped_links_count") {
                    span.droppedLinksCount = try OTLPJSONScalars.uint32(&c)
                } else {
                    try c.skipValue()
                }
            } catch {
                throw error.under(k.pathName)
            }
        }
        guard let traceID else { throw FieldError("a span needs a traceId", line: line) }
        guard let spanID else { throw FieldError("a span needs a spanId", line: line) }
        span.traceID = traceID
        span.spanID = spanID
        span.parentSpanID = parent
        span.name = name ?? ""  // proto3 JSON encoders omit an empty name
        return span
    }

    // MARK: - Ids

    static func traceID(_ c: inout JSONCursor) throws(FieldError) -> TraceID {
        let text = try c.string()
        if let id = TraceID(hex: text) { return id }
        if let bytes = base64Bytes(text, count: 16), let id = TraceID(bytes: bytes) { return id }
        throw c.shapeError(idProblem(text, hexLength: 32))
    }

    static func spanID(_ c: inout JSONCursor) throws(FieldError) -> SpanID {
        let text = try c.string()
        if let id = SpanID(hex: text) { return id }
        if let bytes = base64Bytes(text, count: 8), let id = SpanID(bytes: bytes) { return id }
        throw c.shapeError(idProblem(text, hexLength: 16))
    }

    /// A parent id: absent, empty or all zeros means a root span.
    static func parentSpanID(_ c: inout JSONCursor) throws(FieldError) -> SpanID? {
        let text = try c.string()
        if text.isEmpty || text.utf8.allSatisfy({ $0 == UInt8(ascii: "0") }) && text.utf8.count == 16 { return nil }
        if let id = SpanID(hex: text) { return id }
        if let bytes = base64Bytes(text, count: 8) { return SpanID(bytes: bytes) }
        throw c.shapeError(idProblem(text, hexLength: 16))
    }

    /// Ids are hex in OTLP/JSON; plain proto3 JSON writers use base64, accepted when the text is not
    /// hex (so a truncated hex id is an error, never a different id) and the length fits.
    private static func base64Bytes(_ text: String, count: Int) -> [UInt8]? {
        guard text.utf8.contains(where: { Hex.nibble($0) == nil }) else { return nil }
        let padded = (count + 2) / 3 * 4, unpadded = (count * 4 + 2) / 3
        guard text.utf8.count == padded || text.utf8.count == unpadded else { return nil }
        guard let data = OTLPJSONScalars.decodeBase64(text), data.count == count else { return nil }
        return [UInt8](data)
    }

    private static func idProblem(_ text: String, hexLength: Int) -> String {
        let length = text.utf8.count
        if length == hexLength {
            if text.utf8.allSatisfy({ Hex.nibble($0) != nil }) { return "an all-zero id is invalid" }
            return "expected \(hexLength) hex characters, got a non-hex character"
        }
        return "expected \(hexLength) hex characters, got \(length)"
    }

    // MARK: - Parts

    private static func status(_ c: inout JSONCursor) throws(FieldError) -> SpanStatus {
        var status = SpanStatus()
        try c.object("a status object") { c, k throws(FieldError) in
            do throws(FieldError) {
                if k.is("code") {
                    status.code = StatusCode(rawValue: try OTLPJSONScalars.enumValue(&c, "status code") { StatusCode(name: $0)?.rawValue })
                } else if k.is("message") {
                    status.message = try c.string()
                } else {
                    try c.skipValue()
                }
            } catch {
                throw error.under(k.pathName)
            }
        }
        return status
    }

    private static func event(_ c: inout JSONCursor) throws(FieldError) -> SpanEvent {
        var event = SpanEvent(name: "")
        try c.object("an event object") { c, k throws(FieldError) in
            do throws(FieldError) {
                if k.is("timeUnixNano", "time_unix_nano") {
                    event.timeUnixNano = try OTLPJSONScalars.time(&c)
                } else if k.is("name") {
                    event.name = try c.string()
                } else if k.is("attributes") {
                    event.attributes = try OTLPJSONAttributes.list(&c)
                } else if k.is("droppedAttributesCount", "dropped_attributes_count") {
                    event.droppedAttributesCount = try OTLPJSONScalars.uint32(&c)
                } else {
                    try c.skipValue()
                }
            } catch {
                throw error.under(k.pathName)
            }
        }
        return event
    }

    private static func link(_ c: inout JSONCursor) throws(FieldError) -> SpanLink {
        c.skipWhitespace()
        let line = c.line
        var traceID: TraceID?, spanID: SpanID?
        var link = SpanLink(traceID: TraceID(high: 0, low: 1)!, spanID: SpanID(1)!)
        try c.object("a link object") { c, k throws(FieldError) in
            do throws(FieldError) {
                if k.is("traceId", "trace_id") {
                    traceID = try self.traceID(&c)
                } else if k.is("spanId", "span_id") {
                    spanID = try self.spanID(&c)
                } else if k.is("traceState", "trace_state") {
                    link.traceState = try c.string()
                } else if k.is("attributes") {
                    link.attributes = try OTLPJSONAttributes.list(&c)
                } else if k.is("droppedAttributesCount", "dropped_attributes_count") {
                    link.droppedAttributesCount = try OTLPJSONScalars.uint32(&c)
                } else if k.is("flags") {
                    link.flags = try OTLPJSONScalars.uint32(&c)
                } else {
                    try c.skipValue()
                }
            } catch {
                throw error.under(k.pathName)
            }
        }
        guard let traceID else { throw FieldError("a link needs a traceId", line: line) }
        guard let spanID else { throw FieldError("a link needs a spanId", line: line) }
        link.traceID = traceID
        link.spanID = spanID
        return link
    }
}
