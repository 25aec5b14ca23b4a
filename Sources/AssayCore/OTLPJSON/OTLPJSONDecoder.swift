/// Decodes OTLP/JSON trace documents into the trace model, accepting what real producers send.
///
/// Accepted roots: an `ExportTraceServiceRequest` / `TracesData` object (`resourceSpans`), a single
/// `ResourceSpans` object, and a JSON array of either. Keys may be lowerCamelCase or the proto's
/// snake_case; unknown keys are ignored; the old `instrumentationLibrarySpans` envelope is read as
/// `scopeSpans`. See shared/reference/formats.md, section 1 and "Pitfalls".
///
/// A problem inside one span rejects that span only (see `DecodedRecord.rejected`); a problem in the
/// envelope, a resource or a scope rejects the whole record.
package enum OTLPJSONDecoder {
    /// What one JSON value decoded to.
    package struct DecodedRecord: Sendable {
        /// The valid spans, grouped as in the input.
        package var data: TracesData
        /// One error per rejected span, located by line and path.
        package var rejected: [InputError]
    }

    /// Decodes one top-level JSON value.
    ///
    /// - Parameter line: the line the value starts on, for errors about the value as a whole.
    /// - Throws: `InputError` when the record as a whole is unusable.
    package static func decode(_ value: JSONValue, line: Int) throws(InputError) -> DecodedRecord {
        var rejected: [InputError] = []
        do {
            let data = try root(value, line: line, rejected: &rejected)
            return DecodedRecord(data: data, rejected: rejected)
        } catch {
            throw error.inputError()
        }
    }

    private static func root(
        _ value: JSONValue, line: Int, rejected: inout [InputError], prefix: String = ""
    ) throws(FieldError) -> TracesData {
        switch value {
        case .object(let members, _):
            if members.contains(where: { isResourceSpansKey($0.key) }) {
                return TracesData(resourceSpans: [try resourceSpans(value, line: line, rejected: &rejected, prefix: prefix)])
            }
            var result = TracesData()
            for m in members where m.key == "resourceSpans" || m.key == "resource_spans" {
                result.resourceSpans = try list(m, prefix: prefix, rejected: &rejected) { v, l, rejected, p throws(FieldError) in
                    try resourceSpans(v, line: l, rejected: &rejected, prefix: p)
                }
            }
            return result
        case .array(let elements, _):
            var result = TracesData()
            for (i, element) in elements.enumerated() {
                do {
                    let elementPrefix = "\(prefix)[\(i)]"
                    let line = elementLine(element, fallback: line)
                    result.resourceSpans += try root(element, line: line, rejected: &rejected, prefix: elementPrefix).resourceSpans
                } catch {
                    throw error.at(i)
                }
            }
            return result
        default:
            throw FieldError("expected an OTLP trace document (an object with resourceSpans), got \(value.typeName)", line: line)
        }
    }

    private static func isResourceSpansKey(_ key: String) -> Bool {
        switch key {
        case "scopeSpans", "scope_spans", "instrumentationLibrarySpans", "instrumentation_library_spans": true
        default: false
        }
    }

    /// Decodes an array member element by element, prefixing errors with the member's key and index.
    private static func list<T>(
        _ member: JSONMember, prefix: String, rejected: inout [InputError],
        _ element: (JSONValue, Int, inout [InputError], String) throws(FieldError) -> T
    ) throws(FieldError) -> [T] {
        let line = Int(member.line)
        switch member.value {
        case .null: return []
        case .array(let values, let arrayLine):
            var out: [T] = []
            out.reserveCapacity(values.count)
            for (i, v) in values.enumerated() {
                do {
                    let path = (prefix.isEmpty ? "" : prefix + ".") + "\(member.key)[\(i)]"
                    out.append(try element(v, elementLine(v, fallback: Int(arrayLine)), &rejected, path))
                } catch {
                    throw error.at(i).under(member.key)
                }
            }
            return out
        default:
            throw FieldError("expected an array, got \(member.value.typeName)", line: line, path: member.key)
        }
    }

    static func elementLine(_ v: JSONValue, fallback: Int) -> Int {
        switch v {
        case .object(_, let line), .array(_, let line): Int(line)
        default: fallback
        }
    }

    private static func resourceSpans(
        _ v: JSONValue, line: Int, rejected: inout [InputError], prefix: String
    ) throws(FieldError) -> ResourceSpans {
        guard case .object(let members, _) = v else { throw FieldError("expected an object, got \(v.typeName)", line: line) }
        var result = ResourceSpans()
        for m in members {
            switch m.key {
            case "resource":
                do { result.resource = try resource(m.value, line: Int(m.line)) } catch { throw error.under(m.key) }
            case "scopeSpans", "scope_spans", "instrumentationLibrarySpans", "instrumentation_library_spans":
                result.scopeSpans += try list(m, prefix: prefix, rejected: &rejected) { v, l, rejected, p throws(FieldError) in
                    try scopeSpans(v, line: l, rejected: &rejected, prefix: p)
                }
            case "schemaUrl", "schema_url":
                do { result.schemaURL = try OTLPJSONScalars.string(m.value, line: Int(m.line)) } catch { throw error.under(m.key) }
            default:
                continue
            }
        }
        return result
    }

    private static func scopeSpans(
        _ v: JSONValue, line: Int, rejected: inout [InputError], prefix: String
    ) throws(FieldError) -> ScopeSpans {
        guard case .object(let members, _) = v else { throw FieldError("expected an object, got \(v.typeName)", line: line) }
        var result = ScopeSpans()
        for m in members {
            switch m.key {
            case "scope", "instrumentationLibrary", "instrumentation_library":
                do { result.scope = try scope(m.value, line: Int(m.line)) } catch { throw error.under(m.key) }
            case "spans":
                guard case .array(let values, let arrayLine) = m.value else {
                    if case .null = m.value { continue }
                    throw FieldError("expected an array, got \(m.value.typeName)", line: Int(m.line), path: m.key)
                }
                result.spans.reserveCapacity(values.count)
                for (i, element) in values.enumerated() {
                    do {
                        result.spans.append(try OTLPJSONSpanDecoder.span(element, line: elementLine(element, fallback: Int(arrayLine))))
                    } catch {
                        rejected.append(error.at(i).under("spans").inputError(prefix: prefix))
                    }
                }
            case "schemaUrl", "schema_url":
                do { result.schemaURL = try OTLPJSONScalars.string(m.value, line: Int(m.line)) } catch { throw error.under(m.key) }
            default:
                continue
            }
        }
        return result
    }

    private static func resource(_ v: JSONValue, line: Int) throws(FieldError) -> Resource {
        if case .null = v { return Resource() }
        guard case .object(let members, _) = v else { throw FieldError("expected an object, got \(v.typeName)", line: line) }
        var result = Resource()
        for m in members {
            do {
                switch m.key {
                case "attributes": result.attributes = try OTLPJSONAttributes.list(m.value, line: Int(m.line))
                case "droppedAttributesCount", "dropped_attributes_count":
                    result.droppedAttributesCount = try OTLPJSONScalars.uint32(m.value, line: Int(m.line))
                default: continue
                }
            } catch {
                throw error.under(m.key)
            }
        }
        return result
    }

    private static func scope(_ v: JSONValue, line: Int) throws(FieldError) -> InstrumentationScope {
        if case .null = v { return InstrumentationScope() }
        guard case .object(let members, _) = v else { throw FieldError("expected an object, got \(v.typeName)", line: line) }
        var result = InstrumentationScope()
        for m in members {
            do {
                switch m.key {
                case "name": result.name = try OTLPJSONScalars.string(m.value, line: Int(m.line))
                case "version": result.version = try OTLPJSONScalars.string(m.value, line: Int(m.line))
                case "attributes": result.attributes = try OTLPJSONAttributes.list(m.value, line: Int(m.line))
                case "droppedAttributesCount", "dropped_attributes_count":
                    result.droppedAttributesCount = try OTLPJSONScalars.uint32(m.value, line: Int(m.line))
                default: continue
                }
            } catch {
                throw error.under(m.key)
            }
        }
        return result
    }
}

extension OTLPJSONDecoder {
    /// Decodes one span stored as canonical OTLP/JSON (as `PreparedSpan.payload` holds it).
    package static func decodeSpan(_ bytes: [UInt8]) throws -> Span {
        let value = try JSONParser.parse(bytes)
        do { return try OTLPJSONSpanDecoder.span(value, line: 1) } catch { throw error.inputError() }
    }

    /// Decodes a stored resource body `{"resource":…,"schemaUrl":…}`.
    package static func decodeResourceBody(_ bytes: [UInt8]) throws -> (Resource, String) {
        let value = try JSONParser.parse(bytes)
        do {
            var rejected: [InputError] = []
            let rs = try resourceSpans(value, line: 1, rejected: &rejected, prefix: "")
            return (rs.resource, rs.schemaURL)
        } catch { throw error.inputError() }
    }

    /// Decodes a stored scope body `{"scope":…,"schemaUrl":…}`.
    package static func decodeScopeBody(_ bytes: [UInt8]) throws -> (InstrumentationScope, String) {
        let value = try JSONParser.parse(bytes)
        do {
            var rejected: [InputError] = []
            let ss = try scopeSpans(value, line: 1, rejected: &rejected, prefix: "")
            return (ss.scope, ss.schemaURL)
        } catch { throw error.inputError() }
    }
}
