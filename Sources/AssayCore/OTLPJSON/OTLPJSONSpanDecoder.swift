/// Decodes one OTLP/JSON `Span` object, with its events, links and status.
enum OTLPJSONSpanDecoder {
    static func span(_ v: JSONValue, line: Int) throws(FieldError) -> Span {
        guard case .object(let members, _) = v else { throw FieldError("expected a span object, got \(v.typeName)", line: line) }
        var traceID: TraceID?, spanID: SpanID?, parent: SpanID?
        var name: String?
        var span = Span(traceID: TraceID(high: 0, low: 1)!, spanID: SpanID(1)!, name: "")
        for m in members {
            let l = Int(m.line)
            do {
                switch m.key {
                case "traceId", "trace_id": traceID = try self.traceID(m.value, line: l)
                case "spanId", "span_id": spanID = try self.spanID(m.value, line: l)
                case "parentSpanId", "parent_span_id": parent = try parentSpanID(m.value, line: l)
                case "traceState", "trace_state": span.traceState = try OTLPJSONScalars.string(m.value, line: l)
                case "flags": span.flags = try OTLPJSONScalars.uint32(m.value, line: l)
                case "name": name = try OTLPJSONScalars.string(m.value, line: l)
                case "kind": span.kind = try kind(m.value, line: l)
                case "startTimeUnixNano", "start_time_unix_nano": span.startTimeUnixNano = try OTLPJSONScalars.uint64(m.value, line: l)
                case "endTimeUnixNano", "end_time_unix_nano": span.endTimeUnixNano = try OTLPJSONScalars.uint64(m.value, line: l)
                case "attributes": span.attributes = try OTLPJSONAttributes.list(m.value, line: l)
                case "droppedAttributesCount", "dropped_attributes_count": span.droppedAttributesCount = try OTLPJSONScalars.uint32(m.value, line: l)
                case "events": span.events = try elements(m.value, line: l, event)
                case "droppedEventsCount", "dropped_events_count": span.droppedEventsCount = try OTLPJSONScalars.uint32(m.value, line: l)
                case "links": span.links = try elements(m.value, line: l, link)
                case "droppedLinksCount", "dropped_links_count": span.droppedLinksCount = try OTLPJSONScalars.uint32(m.value, line: l)
                case "status": span.status = try status(m.value, line: l)
                default: continue
                }
            } catch {
                throw error.under(m.key)
            }
        }
        guard let traceID else { throw FieldError("a span needs a traceId", line: line) }
        guard let spanID else { throw FieldError("a span needs a spanId", line: line) }
        guard let name else { throw FieldError("a span needs a name", line: line) }
        span.traceID = traceID
        span.spanID = spanID
        span.parentSpanID = parent
        span.name = name
        return span
    }

    // MARK: - Ids

    static func traceID(_ v: JSONValue, line: Int) throws(FieldError) -> TraceID {
        let text = try OTLPJSONScalars.string(v, line: line)
        if let id = TraceID(hex: text) { return id }
        if let bytes = base64Bytes(text, count: 16), let id = TraceID(bytes: bytes) { return id }
        throw FieldError(idProblem(text, hexLength: 32), line: line)
    }

    static func spanID(_ v: JSONValue, line: Int) throws(FieldError) -> SpanID {
        let text = try OTLPJSONScalars.string(v, line: line)
        if let id = SpanID(hex: text) { return id }
        if let bytes = base64Bytes(text, count: 8), let id = SpanID(bytes: bytes) { return id }
        throw FieldError(idProblem(text, hexLength: 16), line: line)
    }

    /// A parent id: absent, empty or all zeros means a root span.
    static func parentSpanID(_ v: JSONValue, line: Int) throws(FieldError) -> SpanID? {
        let text = try OTLPJSONScalars.string(v, line: line)
        if text.isEmpty || (text.utf8.count == 16 && text.utf8.allSatisfy { $0 == UInt8(ascii: "0") }) { return nil }
        return try spanID(v, line: line)
    }

    /// Ids are hex in OTLP/JSON; plain proto3 JSON writers use base64, which is accepted when its length fits.
    private static func base64Bytes(_ text: String, count: Int) -> [UInt8]? {
        let expected = (count + 2) / 3 * 4
        guard text.utf8.count == expected || text.utf8.count == (count * 4 + 2) / 3 else { return nil }
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

    // MARK: - Enums

    static func kind(_ v: JSONValue, line: Int) throws(FieldError) -> SpanKind {
        switch v {
        case .null: return .unspecified
        case .number(let text):
            guard let n = Int32(text) else { throw FieldError("expected a span kind, got \(OTLPJSONScalars.describe(text))", line: line) }
            return SpanKind(rawValue: n)
        case .string(let text):
            if let n = Int32(text) { return SpanKind(rawValue: n) }
            if let kind = SpanKind(name: text) { return kind }
            throw FieldError("unknown span kind \(OTLPJSONScalars.describe(text))", line: line)
        default:
            throw FieldError("expected a span kind, got \(v.typeName)", line: line)
        }
    }

    static func statusCode(_ v: JSONValue, line: Int) throws(FieldError) -> StatusCode {
        switch v {
        case .null: return .unset
        case .number(let text):
            guard let n = Int32(text) else { throw FieldError("expected a status code, got \(OTLPJSONScalars.describe(text))", line: line) }
            return StatusCode(rawValue: n)
        case .string(let text):
            if let n = Int32(text) { return StatusCode(rawValue: n) }
            if let code = StatusCode(name: text) { return code }
            throw FieldError("unknown status code \(OTLPJSONScalars.describe(text))", line: line)
        default:
            throw FieldError("expected a status code, got \(v.typeName)", line: line)
        }
    }

    // MARK: - Parts

    private static func status(_ v: JSONValue, line: Int) throws(FieldError) -> SpanStatus {
        if case .null = v { return SpanStatus() }
        guard case .object(let members, _) = v else { throw FieldError("expected a status object, got \(v.typeName)", line: line) }
        var status = SpanStatus()
        for m in members {
            do {
                switch m.key {
                case "code": status.code = try statusCode(m.value, line: Int(m.line))
                case "message": status.message = try OTLPJSONScalars.string(m.value, line: Int(m.line))
                default: continue
                }
            } catch {
                throw error.under(m.key)
            }
        }
        return status
    }

    private static func elements<T>(
        _ v: JSONValue, line: Int, _ decode: (JSONValue, Int) throws(FieldError) -> T
    ) throws(FieldError) -> [T] {
        switch v {
        case .null: return []
        case .array(let values, let arrayLine):
            var out: [T] = []
            out.reserveCapacity(values.count)
            for (i, element) in values.enumerated() {
                do {
                    out.append(try decode(element, OTLPJSONDecoder.elementLine(element, fallback: Int(arrayLine))))
                } catch {
                    throw error.at(i)
                }
            }
            return out
        default:
            throw FieldError("expected an array, got \(v.typeName)", line: line)
        }
    }

    private static func event(_ v: JSONValue, line: Int) throws(FieldError) -> SpanEvent {
        guard case .object(let members, _) = v else { throw FieldError("expected an event object, got \(v.typeName)", line: line) }
        var event = SpanEvent(name: "")
        for m in members {
            let l = Int(m.line)
            do {
                switch m.key {
                case "timeUnixNano", "time_unix_nano": event.timeUnixNano = try OTLPJSONScalars.uint64(m.value, line: l)
                case "name": event.name = try OTLPJSONScalars.string(m.value, line: l)
                case "attributes": event.attributes = try OTLPJSONAttributes.list(m.value, line: l)
                case "droppedAttributesCount", "dropped_attributes_count": event.droppedAttributesCount = try OTLPJSONScalars.uint32(m.value, line: l)
                default: continue
                }
            } catch {
                throw error.under(m.key)
            }
        }
        return event
    }

    private static func link(_ v: JSONValue, line: Int) throws(FieldError) -> SpanLink {
        guard case .object(let members, _) = v else { throw FieldError("expected a link object, got \(v.typeName)", line: line) }
        var traceID: TraceID?, spanID: SpanID?
        var link = SpanLink(traceID: TraceID(high: 0, low: 1)!, spanID: SpanID(1)!)
        for m in members {
            let l = Int(m.line)
            do {
                switch m.key {
                case "traceId", "trace_id": traceID = try self.traceID(m.value, line: l)
                case "spanId", "span_id": spanID = try self.spanID(m.value, line: l)
                case "traceState", "trace_state": link.traceState = try OTLPJSONScalars.string(m.value, line: l)
                case "attributes": link.attributes = try OTLPJSONAttributes.list(m.value, line: l)
                case "droppedAttributesCount", "dropped_attributes_count": link.droppedAttributesCount = try OTLPJSONScalars.uint32(m.value, line: l)
                case "flags": link.flags = try OTLPJSONScalars.uint32(m.value, line: l)
                default: continue
                }
            } catch {
                throw error.under(m.key)
            }
        }
        guard let traceID else { throw FieldError("a link needs a traceId", line: line) }
        guard let spanID else { throw FieldError("a link needs a spanId", line: line) }
        link.traceID = traceID
        link.spanID = spanID
        return link
    }
}
