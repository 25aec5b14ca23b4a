import AssayCore
/// Decodes OTLP/JSON `KeyValue` lists and `AnyValue`s.
enum OTLPJSONAttributes {
    /// A `[KeyValue]` array inside a value nested `depth` deep (0 for a span's, resource's or scope's own
    /// attributes); null means empty.
    static func list(_ c: inout JSONCursor, depth: Int = 0) throws(FieldError) -> [Attribute] {
        var out: [Attribute] = []
        try c.array { c, i throws(FieldError) in
            do throws(FieldError) { out.append(try keyValue(&c, depth: depth)) } catch { throw error.at(i) }
        }
        return out
    }

    static func keyValue(_ c: inout JSONCursor, depth: Int = 0) throws(FieldError) -> Attribute {
        var key: String?
        var value = AttributeValue.empty
        c.skipWhitespace()
        let line = c.line
        try c.object("a key-value object") { c, k throws(FieldError) in
            if k.is("key") {
                do throws(FieldError) { key = try c.internedString() } catch { throw error.under("key") }
            } else if k.is("value") {
                do throws(FieldError) { value = try anyValue(&c, level: depth + 1) } catch { throw error.under("value") }
            } else {
                try c.skipValue()
            }
        }
        guard let key else { throw FieldError("a key-value pair has no key", line: line) }
        return Attribute(key, value)
    }

    /// An `AnyValue` nested `level` values deep (1 for an attribute's own value); `{}` and null are the
    /// empty value. When several cases are set, the last wins. Past `AttributeValue.maxNesting` it is
    /// refused, as the protobuf reader refuses it.
    static func anyValue(_ c: inout JSONCursor, level: Int = 1) throws(FieldError) -> AttributeValue {
        guard level <= AttributeValue.maxNesting else {
            c.skipWhitespace()
            throw FieldError("attribute values nested deeper than \(AttributeValue.maxNesting) levels", line: c.line)
        }
        var result = AttributeValue.empty
        try c.object("an AnyValue object") { c, k throws(FieldError) in
            do throws(FieldError) {
                if k.is("stringValue", "string_value") {
                    result = .string(try c.string())
                } else if k.is("intValue", "int_value") {
                    result = .int(try OTLPJSONScalars.int64(&c))
                } else if k.is("doubleValue", "double_value") {
                    result = .double(try OTLPJSONScalars.double(&c))
                } else if k.is("boolValue", "bool_value") {
                    result = .bool(try c.bool())
                } else if k.is("arrayValue", "array_value") {
                    result = .array(try values(&c, level: level))
                } else if k.is("kvlistValue", "kvlist_value") {
                    result = .kvlist(try kvlist(&c, level: level))
                } else if k.is("bytesValue", "bytes_value") {
                    result = .bytes(try OTLPJSONScalars.bytes(&c))
                } else {
                    try c.skipValue()
                }
            } catch {
                throw error.under(k.pathName)
            }
        }
        return result
    }

    /// `ArrayValue {values: [AnyValue]}` of a value nested `level` deep.
    private static func values(_ c: inout JSONCursor, level: Int) throws(FieldError) -> [AttributeValue] {
        var out: [AttributeValue] = []
        try c.object("an object with values") { c, k throws(FieldError) in
            guard k.is("values") else { return try c.skipValue() }
            out = []
            try c.array { c, i throws(FieldError) in
                do throws(FieldError) { out.append(try anyValue(&c, level: level + 1)) } catch { throw error.at(i).under("values") }
            }
        }
        return out
    }

    /// `KeyValueList {values: [KeyValue]}` of a value nested `level` deep.
    private static func kvlist(_ c: inout JSONCursor, level: Int) throws(FieldError) -> [Attribute] {
        var out: [Attribute] = []
        try c.object("an object with values") { c, k throws(FieldError) in
            guard k.is("values") else { return try c.skipValue() }
            do throws(FieldError) { out = try list(&c, depth: level) } catch { throw error.under("values") }
        }
        return out
    }
}
