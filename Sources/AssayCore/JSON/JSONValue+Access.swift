import Foundation

extension JSONValue {
    /// The last member named `key`, when this is an object.
    package subscript(_ key: String) -> JSONValue? {
        guard case .object(let members, _) = self else { return nil }
        return members.last(where: { $0.key == key })?.value
    }

    /// The string, when this is a string.
    package var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The elements, when this is an array.
    package var elements: [JSONValue]? {
        if case .array(let values, _) = self { return values }
        return nil
    }

    /// Strings as they are, anything else as compact JSON text.
    package var text: String {
        if case .string(let s) = self { return s }
        return compactJSON
    }

    /// Compact JSON text of this value.
    package var compactJSON: String {
        var w = JSONWriter(capacity: 64)
        write(to: &w)
        return String(decoding: w.bytes, as: UTF8.self)
    }

    package func write(to w: inout JSONWriter) {
        switch self {
        case .null: w.raw("null")
        case .bool(let b): w.raw(b ? "true" : "false")
        case .number(let n):
            if n == "NaN" || n.hasSuffix("Infinity") { w.string(n) } else { w.bytes.append(contentsOf: n.utf8) }
        case .string(let s): w.string(s)
        case .array(let values, _):
            w.byte(UInt8(ascii: "["))
            for (i, v) in values.enumerated() {
                if i > 0 { w.byte(UInt8(ascii: ",")) }
                v.write(to: &w)
            }
            w.byte(UInt8(ascii: "]"))
        case .object(let members, _):
            w.byte(UInt8(ascii: "{"))
            for (i, m) in members.enumerated() {
                if i > 0 { w.byte(UInt8(ascii: ",")) }
                w.string(m.key)
                w.byte(UInt8(ascii: ":"))
                m.value.write(to: &w)
            }
            w.byte(UInt8(ascii: "}"))
        }
    }

    /// The plain JSON form of an attribute value: kvlists become objects, arrays arrays, bytes base64.
    package init(_ value: AttributeValue) {
        switch value {
        case .string(let s): self = .string(s)
        case .bool(let b): self = .bool(b)
        case .int(let n): self = .number(String(n))
        case .double(let d): self = .number(d.isFinite ? d.description : (d.isNaN ? "NaN" : d < 0 ? "-Infinity" : "Infinity"))
        case .bytes(let b): self = .string(Data(b).base64EncodedString())
        case .array(let values): self = .array(values.map(JSONValue.init), line: 0)
        case .kvlist(let list): self = .object(list.map { JSONMember(key: $0.key, value: JSONValue($0.value), line: 0) }, line: 0)
        case .empty: self = .null
        }
    }

    /// Parses a JSON text held in an attribute string; nil when it is not JSON.
    package static func parseEmbedded(_ text: String) -> JSONValue? {
        let trimmed = text.drop(while: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" })
        guard let first = trimmed.first, first == "[" || first == "{" else { return nil }
        return try? JSONCursor.parse(Array(text.utf8))
    }
}

extension JSONValue {
    /// An object from ordered members (line 0: built, not parsed).
    package static func object(_ pairs: [(String, JSONValue)]) -> JSONValue {
        .object(pairs.map { JSONMember(key: $0.0, value: $0.1, line: 0) }, line: 0)
    }

    /// An array (line 0: built, not parsed).
    package static func array(_ values: [JSONValue]) -> JSONValue { .array(values, line: 0) }

    /// The members, when this is an object.
    package var members: [JSONMember]? {
        if case .object(let members, _) = self { return members }
        return nil
    }

    /// The line this value starts on, when it was parsed (objects and arrays only).
    package var line: Int? {
        switch self {
        case .object(_, let line), .array(_, let line): return line > 0 ? Int(line) : nil
        default: return nil
        }
    }

    /// Whether this is `null`.
    package var isNull: Bool { if case .null = self { return true } else { return false } }

    /// The number as a Double, when this is a finite number.
    package var double: Double? {
        guard case .number(let text) = self, let d = Double(text), d.isFinite else { return nil }
        return d
    }

    /// The value for a piece of text that may hold JSON: an object or array when it parses as one, else the string.
    package static func fromText(_ text: String) -> JSONValue { parseEmbedded(text) ?? .string(text) }

    /// Parses a whole JSON text; the error is a sentence with the line.
    package static func parse(_ text: String) throws(AssayError) -> JSONValue {
        // The cursor reads streams, where a number at the very end may be unfinished: a newline ends it.
        do { return try JSONCursor.parse(Array(text.utf8) + [0x0A]) } catch { throw AssayError.input([InputProblem(line: error.line, path: error.path, message: error.message)]) }
    }
}
