import Foundation

/// Lenient readers for the scalar forms OTLP/JSON producers actually send
/// (shared/reference/formats.md, "Pitfalls a reader or writer must handle").
enum OTLPJSONScalars {
    /// A string, or "" for null.
    static func string(_ v: JSONValue, line: Int) throws(FieldError) -> String {
        switch v {
        case .string(let s): return s
        case .null: return ""
        default: throw FieldError("expected a string, got \(v.typeName)", line: line)
        }
    }

    /// An unsigned 64-bit integer from a decimal string or a JSON number, never through Double.
    static func uint64(_ v: JSONValue, line: Int) throws(FieldError) -> UInt64 {
        switch v {
        case .null: return 0
        case .number(let text), .string(let text):
            if let n = UInt64(text) { return n }
            if let n = wholeNumber(text), n >= 0 { return UInt64(n) }
            throw FieldError("expected an unsigned 64-bit integer, got \(describe(text))", line: line)
        default:
            throw FieldError("expected an unsigned 64-bit integer, got \(v.typeName)", line: line)
        }
    }

    /// A signed 64-bit integer from a decimal string or a JSON number, never through Double.
    static func int64(_ v: JSONValue, line: Int) throws(FieldError) -> Int64 {
        switch v {
        case .null: return 0
        case .number(let text), .string(let text):
            if let n = Int64(text) { return n }
            if let n = wholeNumber(text) { return n }
            throw FieldError("expected a 64-bit integer, got \(describe(text))", line: line)
        default:
            throw FieldError("expected a 64-bit integer, got \(v.typeName)", line: line)
        }
    }

    /// A uint32 count or flags field.
    static func uint32(_ v: JSONValue, line: Int) throws(FieldError) -> UInt32 {
        let n = try uint64(v, line: line)
        guard n <= UInt64(UInt32.max) else { throw FieldError("expected a 32-bit unsigned integer, got \(n)", line: line) }
        return UInt32(n)
    }

    /// A double from a number, a numeric string, or "NaN" / "Infinity" / "-Infinity".
    static func double(_ v: JSONValue, line: Int) throws(FieldError) -> Double {
        switch v {
        case .null: return 0
        case .number(let text), .string(let text):
            switch text {
            case "NaN", "nan": return .nan
            case "Infinity", "inf", "+Infinity": return .infinity
            case "-Infinity", "-inf": return -.infinity
            default:
                if let d = Double(text) { return d }
                throw FieldError("expected a double, got \(describe(text))", line: line)
            }
        default:
            throw FieldError("expected a double, got \(v.typeName)", line: line)
        }
    }

    /// A boolean, also from the strings "true" and "false".
    static func bool(_ v: JSONValue, line: Int) throws(FieldError) -> Bool {
        switch v {
        case .bool(let b): return b
        case .null: return false
        case .string("true"): return true
        case .string("false"): return false
        default: throw FieldError("expected a boolean, got \(v.typeName)", line: line)
        }
    }

    /// Base64 bytes (standard or URL-safe alphabet, padding optional).
    static func bytes(_ v: JSONValue, line: Int) throws(FieldError) -> [UInt8] {
        let text = try string(v, line: line)
        if let data = decodeBase64(text) { return [UInt8](data) }
        throw FieldError("expected base64 bytes, got \(describe(text))", line: line)
    }

    static func decodeBase64(_ text: String) -> Data? {
        var normalized = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while normalized.utf8.count % 4 != 0 { normalized += "=" }
        return Data(base64Encoded: normalized)
    }

    /// An integer written with a zero fraction or an exponent ("5.0", "1e3"), parsed exactly.
    private static func wholeNumber(_ text: String) -> Int64? {
        guard let decimal = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")),
              decimal == decimal.rounded0() else { return nil }
        let s = NSDecimalNumber(decimal: decimal).stringValue
        return Int64(s)
    }

    /// A short, safe rendering of a bad scalar for an error message.
    static func describe(_ text: String) -> String {
        let cleaned = text.unicodeScalars.prefix(40).map { $0.properties.isWhitespace || $0.value < 0x20 ? " " : String($0) }.joined()
        return "\"" + cleaned + (text.unicodeScalars.count > 40 ? "…" : "") + "\""
    }
}

extension Decimal {
    /// The value rounded toward zero to a whole number.
    fileprivate func rounded0() -> Decimal {
        var copy = self
        var result = Decimal()
        NSDecimalRound(&result, &copy, 0, .down)
        return result
    }
}
