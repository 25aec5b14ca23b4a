package import AssayCore
/// Decodes OTLP/JSON trace documents into the trace model, accepting what real producers send.
///
/// Accepted roots: an `ExportTraceServiceRequest` / `TracesData` object (`resourceSpans`), a single
/// `ResourceSpans` object, and a JSON array of either. Keys may be lowerCamelCase or the proto's
/// snake_case; unknown keys are ignored; the old `instrumentationLibrarySpans` envelope is read as
/// `scopeSpans`; ids are hex in any case (base64, as plain proto3 JSON writes them, is accepted too).
/// See shared/reference/formats.md, section 1 and "Pitfalls".
///
/// A problem inside one span rejects that span only (see `DecodedRecord.rejected`); malformed JSON,
/// or a problem in the envelope, a resource or a scope, rejects the whole record.
package enum OTLPJSONDecoder {
    /// Decodes one document that fills `bytes` (whitespace around it allowed).
    package static func decode(_ bytes: [UInt8]) throws(AssayError) -> DecodedRecord {
        var result: Result<DecodedRecord, AssayError>!
        bytes.withUnsafeBufferPointer { buffer in result = Result { () throws(AssayError) in try decode(buffer: buffer) } }
        return try result.get()
    }

    /// Decodes one document that fills `buffer`, sharing repeated attribute keys through `interner`.
    package static func decode(buffer: UnsafeBufferPointer<UInt8>, interner: KeyInterner? = nil) throws(AssayError) -> DecodedRecord {
        var cursor = JSONCursor(buffer, interner: interner)
        do throws(FieldError) {
            let record = try decodeRecord(&cursor)
            if !cursor.atEnd() { throw cursor.syntaxError("unexpected text after the JSON value") }
            return record
        } catch {
            throw error.assayError
        }
    }

    /// Decodes the value at the cursor, leaving the cursor after it.
    package static func decodeRecord(_ c: inout JSONCursor) throws(FieldError) -> DecodedRecord {
        var rejected: [InputProblem] = []
        let data = try root(&c, rejected: &rejected)
        return DecodedRecord(data: data, rejected: rejected)
    }

    private static func root(_ c: inout JSONCursor, rejected: inout [InputProblem]) throws(FieldError) -> TracesData {
        var result = TracesData()
        if c.peek() == .array {
            try c.array { c, i throws(FieldError) in
                let before = rejected.count
                do throws(FieldError) { result.resourceSpans += try root(&c, rejected: &rejected).resourceSpans } catch { throw error.at(i) }
                rejected.prefixPaths(from: before, with: "[\(i)]")
            }
            return result
        }
        var single = ResourceSpans()
        var isSingle = false
        try c.object("an OTLP trace document (an object with resourceSpans)") { c, key throws(FieldError) in
            if key.is("resourceSpans", "resource_spans") {
                try c.array { c, i throws(FieldError) in
                    let before = rejected.count
                    do throws(FieldError) { result.resourceSpans.append(try resourceSpans(&c, rejected: &rejected)) } catch { throw error.at(i).under("resourceSpans") }
                    rejected.prefixPaths(from: before, with: "resourceSpans[\(i)]")
                }
            } else if try resourceSpansMember(&c, key, into: &single, rejected: &rejected) {
                isSingle = true
            } else {
                try c.skipValue()
            }
        }
        if isSingle { result.resourceSpans.append(single) }
        return result
    }

    private static func resourceSpans(_ c: inout JSONCursor, rejected: inout [InputProblem]) throws(FieldError) -> ResourceSpans {
        var result = ResourceSpans()
        try c.object("a ResourceSpans object") { c, key throws(FieldError) in
            if try !resourceSpansMember(&c, key, into: &result, rejected: &rejected) { try c.skipValue() }
        }
        return result
    }

    /// Reads one member of a ResourceSpans object; false when the key is not one of its fields.
    private static func resourceSpansMember(
        _ c: inout JSONCursor, _ key: JSONCursor.Key, into result: inout ResourceSpans, rejected: inout [InputProblem]
    ) throws(FieldError) -> Bool {
        if key.is("resource") {
            do throws(FieldError) { result.resource = try resource(&c) } catch { throw error.under("resource") }
        } else if key.is("scopeSpans", "scope_spans") || key.is("instrumentationLibrarySpans", "instrumentation_library_spans") {
            let name = key.is("scopeSpans", "scope_spans") ? "scopeSpans" : "instrumentationLibrarySpans"
            try c.array { c, i throws(FieldError) in
                let before = rejected.count
                do throws(FieldError) { result.scopeSpans.append(try scopeSpans(&c, rejected: &rejected)) } catch { throw error.at(i).under(name) }
                rejected.prefixPaths(from: before, with: "\(name)[\(i)]")
            }
        } else if key.is("schemaUrl", "schema_url") {
            do throws(FieldError) { result.schemaURL = try c.string() } catch { throw error.under("schemaUrl") }
        } else {
            return false
        }
        return true
    }

    private static func scopeSpans(_ c: inout JSONCursor, rejected: inout [InputProblem]) throws(FieldError) -> ScopeSpans {
        var result = ScopeSpans()
        try c.object("a ScopeSpans object") { c, key throws(FieldError) in
            if key.is("scope") || key.is("instrumentationLibrary", "instrumentation_library") {
                do throws(FieldError) { result.scope = try scope(&c) } catch { throw error.under("scope") }
            } else if key.is("spans") {
                do throws(FieldError) {
                    try c.array { c, i throws(FieldError) in
                        let mark = c.mark
                        do throws(FieldError) {
                            result.spans.append(try OTLPJSONSpanDecoder.span(&c))
                        } catch {
                            if error.isSyntax { throw error.at(i) }
                            rejected.append(error.at(i).under("spans").inputProblem())
                            c.rewind(to: mark)
                            do throws(FieldError) { try c.skipValue() } catch { throw error.at(i) }
                        }
                    }
                } catch {
                    throw error.under("spans")
                }
            } else if key.is("schemaUrl", "schema_url") {
                do throws(FieldError) { result.schemaURL = try c.string() } catch { throw error.under("schemaUrl") }
            } else {
                try c.skipValue()
            }
        }
        return result
    }

    static func resource(_ c: inout JSONCursor) throws(FieldError) -> Resource {
        var result = Resource()
        try c.object("a resource object") { c, key throws(FieldError) in
            if key.is("attributes") {
                do throws(FieldError) { result.attributes = try OTLPJSONAttributes.list(&c) } catch { throw error.under("attributes") }
            } else if key.is("droppedAttributesCount", "dropped_attributes_count") {
                do throws(FieldError) { result.droppedAttributesCount = try OTLPJSONScalars.uint32(&c) } catch { throw error.under("droppedAttributesCount") }
            } else {
                try c.skipValue()
            }
        }
        return result
    }

    static func scope(_ c: inout JSONCursor) throws(FieldError) -> InstrumentationScope {
        var result = InstrumentationScope()
        try c.object("a scope object") { c, key throws(FieldError) in
            if key.is("name") {
                do throws(FieldError) { result.name = try c.string() } catch { throw error.under("name") }
            } else if key.is("version") {
                do throws(FieldError) { result.version = try c.string() } catch { throw error.under("version") }
            } else if key.is("attributes") {
                do throws(FieldError) { result.attributes = try OTLPJSONAttributes.list(&c) } catch { throw error.under("attributes") }
            } else if key.is("droppedAttributesCount", "dropped_attributes_count") {
                do throws(FieldError) { result.droppedAttributesCount = try OTLPJSONScalars.uint32(&c) } catch { throw error.under("droppedAttributesCount") }
            } else {
                try c.skipValue()
            }
        }
        return result
    }
}

extension OTLPJSONDecoder {
    /// Decodes one span stored as canonical OTLP/JSON (as `PreparedSpan.payload` holds it).
    package static func decodeSpan(_ bytes: [UInt8]) throws(AssayError) -> Span {
        try whole(bytes) { c throws(FieldError) in try OTLPJSONSpanDecoder.span(&c) }
    }

    /// Decodes a stored resource body `{"resource":…,"schemaUrl":…}`.
    package static func decodeResourceBody(_ bytes: [UInt8]) throws(AssayError) -> (Resource, String) {
        try whole(bytes) { c throws(FieldError) in
            var rejected: [InputProblem] = []
            let rs = try resourceSpans(&c, rejected: &rejected)
            return (rs.resource, rs.schemaURL)
        }
    }

    /// Decodes a stored scope body `{"scope":…,"schemaUrl":…}`.
    package static func decodeScopeBody(_ bytes: [UInt8]) throws(AssayError) -> (InstrumentationScope, String) {
        try whole(bytes) { c throws(FieldError) in
            var rejected: [InputProblem] = []
            let ss = try scopeSpans(&c, rejected: &rejected)
            return (ss.scope, ss.schemaURL)
        }
    }

    private static func whole<T>(_ bytes: [UInt8], _ body: (inout JSONCursor) throws(FieldError) -> T) throws(AssayError) -> T {
        var result: Result<T, AssayError>!
        bytes.withUnsafeBufferPointer { buffer in
            var cursor = JSONCursor(buffer)
            do throws(FieldError) { result = .success(try body(&cursor)) } catch { result = .failure(error.assayError) }
        }
        return try result.get()
    }
}
