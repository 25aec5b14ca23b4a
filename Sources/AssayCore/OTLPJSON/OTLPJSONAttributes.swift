/// Decodes OTLP/JSON `KeyValue` lists and `AnyValue`s.
enum OTLPJSONAttributes {
    /// A `[KeyValue]` array; null means empty.
    static func list(_ v: JSONValue, line: Int) throws(FieldError) -> [Attribute] {
        switch v {
        case .null: return []
        case .array(let values, let arrayLine):
            var out: [Attribute] = []
            out.reserveCapacity(values.count)
            for (i, element) in values.enumerated() {
                do {
                    out.append(try keyValue(element, line: OTLPJSONDecoder.elementLine(element, fallback: Int(arrayLine))))
                } catch {
                    throw error.at(i)
                }
            }
            return out
        default:
            throw FieldError("expected an array of key-value pairs, got \(v.typeName)", line: line)
        }
    }

    static func keyValue(_ v: JSONValue, line: Int) throws(FieldError) -> Attribute {
        guard case .object(let members, _) = v else {
            throw FieldError("expected a key-value object, got \(v.typeName)", line: line)
        }
        var key: String?
        var value = AttributeValue.empty
        for m in members {
            switch m.key {
            case "key":
                do { key = try OTLPJSONScalars.string(m.value, line: Int(m.line)) } catch { throw error.under("key") }
            case "value":
                do { value = try anyValue(m.value, line: Int(m.line)) } catch { throw error.under("value") }
            default:
                continue
            }
        }
        guard let key else { throw FieldError("a key-value pair has no key", line: line) }
        return Attribute(key, value)
    }

    /// An `AnyValue`; `{}` and null are the empty value. When several cases are set, the last wins.
    static func anyValue(_ v: JSONValue, line: Int) throws(FieldError) -> AttributeValue {
        guard case .object(let members, _) = v else {
            if case .null = v { return .empty }
            throw FieldError("expected an AnyValue object, got \(v.typeName)", line: line)
        }
        var result = AttributeValue.empty
        for m in members {
            let l = Int(m.line)
            do {
                switch m.key {
                case "stringValue", "string_value": result = .string(try OTLPJSONScalars.string(m.value, line: l))
                case "boolValue", "bool_value": result = .bool(try OTLPJSONScalars.bool(m.value, line: l))
                case "intValue", "int_value": result = .int(try OTLPJSONScalars.int64(m.value, line: l))
                case "doubleValue", "double_value": result = .double(try OTLPJSONScalars.double(m.value, line: l))
                case "bytesValue", "bytes_value": result = .bytes(try OTLPJSONScalars.bytes(m.value, line: l))
                case "arrayValue", "array_value": result = .array(try values(m.value, line: l))
                case "kvlistValue", "kvlist_value": result = .kvlist(try kvlist(m.value, line: l))
                default: continue
                }
            } catch {
                throw error.under(m.key)
            }
        }
        return result
    }

    /// `ArrayValue {values: [AnyValue]}`.
    private static func values(_ v: JSONValue, line: Int) throws(FieldError) -> [AttributeValue] {
        guard case .object(let members, _) = v else {
            if case .null = v { return [] }
            throw FieldError("expected an object with values, got \(v.typeName)", line: line)
        }
        var out: [AttributeValue] = []
        for m in members where m.key == "values" {
            guard case .array(let elements, let arrayLine) = m.value else {
                if case .null = m.value { continue }
                throw FieldError("expected an array, got \(m.value.typeName)", line: Int(m.line), path: "values")
            }
            out = []
            out.reserveCapacity(elements.count)
            for (i, element) in elements.enumerated() {
                do {
                    out.append(try anyValue(element, line: OTLPJSONDecoder.elementLine(element, fallback: Int(arrayLine))))
                } catch {
                    throw error.at(i).under("values")
                }
            }
        }
        return out
    }

    /// `KeyValueList {values: [KeyValue]}`.
    private static func kvlist(_ v: JSONValue, line: Int) throws(FieldError) -> [Attribute] {
        guard case .object(let members, _) = v else {
            if case .null = v { return [] }
            throw FieldError("expected an object with values, got \(v.typeName)", line: line)
        }
        var out: [Attribute] = []
        for m in members where m.key == "values" {
            do { out = try list(m.value, line: Int(m.line)) } catch { throw error.under("values") }
        }
        return out
    }
}
