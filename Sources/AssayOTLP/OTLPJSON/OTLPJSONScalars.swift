import AssayCore
import Foundation

/// Lenient readers for the scalar forms OTLP/JSON producers actually send
/// (shared/reference/formats.md, "Pitfalls a reader or writer must handle"): 64-bit integers as
/// strings or numbers (never through Double), NaN and infinities, enum names, base64 bytes.
enum OTLPJSONScalars {
    static func uint64(_ c: inout JSONCursor) throws(FieldError) -> UInt64 {
        if try c.skipNull() { return 0 }
        guard let text = try c.numberText() else { throw c.mismatch("expected an unsigned 64-bit integer") }
        if let n = parseUnsigned(text) { return n }
        let s = String(decoding: text, as: UTF8.self)
        if let n = wholeNumber(s), n >= 0 { return UInt64(n) }
        throw c.shapeError("expected an unsigned 64-bit integer, got \(describe(s))")
    }

    static func int64(_ c: inout JSONCursor) throws(FieldError) -> Int64 {
        if try c.skipNull() { return 0 }
        guard let text = try c.numberText() else { throw c.mismatch("expected a 64-bit integer") }
        if let first = text.first, first == UInt8(ascii: "-") {
            if let magnitude = parseUnsigned(UnsafeBufferPointer(rebasing: text.dropFirst())), magnitude <= UInt64(Int64.max) + 1 {
                return magnitude == UInt64(Int64.max) + 1 ? .min : -Int64(magnitude)
            }
        } else if let n = parseUnsigned(text), n <= UInt64(Int64.max) {
            return Int64(n)
        }
        let s = String(decoding: text, as: UTF8.self)
        if let n = wholeNumber(s) { return n }
        throw c.shapeError("expected a 64-bit integer, got \(describe(s))")
    }

    /// A timestamp in nanoseconds; times past 2262-04-11 (beyond `Int64.max`) are refused, since stores
    /// and comparisons everywhere treat times as signed 64-bit values.
    static func time(_ c: inout JSONCursor) throws(FieldError) -> UInt64 {
        let n = try uint64(&c)
        guard n <= UInt64(Int64.max) else { throw c.shapeError("a time after the year 2262 (\(n) ns) is not accepted") }
        return n
    }

    static func uint32(_ c: inout JSONCursor) throws(FieldError) -> UInt32 {
        let n = try uint64(&c)
        guard n <= UInt64(UInt32.max) else { throw c.shapeError("expected a 32-bit unsigned integer, got \(n)") }
        return UInt32(n)
    }

    static func double(_ c: inout JSONCursor) throws(FieldError) -> Double {
        if try c.skipNull() { return 0 }
        guard let text = try c.numberText() else { throw c.mismatch("expected a double") }
        let s = String(decoding: text, as: UTF8.self)
        switch s {
        case "NaN", "nan": return .nan
        case "Infinity", "inf", "+Infinity": return .infinity
        case "-Infinity", "-inf": return -.infinity
        default:
            if let d = Double(s) { return d }
            throw c.shapeError("expected a double, got \(describe(s))")
        }
    }

    static func bytes(_ c: inout JSONCursor) throws(FieldError) -> [UInt8] {
        let text = try c.string()
        if let data = decodeBase64(text) { return [UInt8](data) }
        throw c.shapeError("expected base64 bytes, got \(describe(text))")
    }

    /// An enum as a number, a numeric string, or a name understood by `byName`.
    static func enumValue(_ c: inout JSONCursor, _ what: String, byName: (String) -> Int32?) throws(FieldError) -> Int32 {
        if try c.skipNull() { return 0 }
        if c.peek() == .string {
            let name = try c.string()
            if let n = Int32(name) ?? byName(name) { return n }
            throw c.shapeError("unknown \(what) \(describe(name))")
        }
        guard let text = try c.numberText(), let n = Int32(String(decoding: text, as: UTF8.self)) else {
            throw c.mismatch("expected a \(what)")
        }
        return n
    }

    static func decodeBase64(_ text: String) -> Data? {
        var normalized = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while normalized.utf8.count % 4 != 0 { normalized += "=" }
        return Data(base64Encoded: normalized)
    }

    /// Decimal digits only, without overflow; nil otherwise.
    @inline(__always)
    static func parseUnsigned(_ text: UnsafeBufferPointer<UInt8>) -> UInt64? {
        guard !text.isEmpty, text.count <= 20 else { return nil }
        var n: UInt64 = 0
        for c in text {
            let d = c &- UInt8(ascii: "0")
            guard d < 10 else { return nil }
            let (m, o1) = n.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(d))
            if o1 || o2 { return nil }
            n = a
        }
        return n
    }

    /// An integer written with a zero fraction or an exponent ("5.0", "1e3"), parsed exactly; nil for
    /// anything that is not a JSON number as a whole.
    private static func wholeNumber(_ text: String) -> Int64? {
        guard text.utf8.count <= 40, isJSONNumber(text),
              let decimal = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")), !decimal.isNaN else { return nil }
        var value = decimal
        var rounded = Decimal()
        NSDecimalRound(&rounded, &value, 0, .plain)
        guard rounded == decimal else { return nil }
        return Int64(NSDecimalNumber(decimal: rounded).stringValue)
    }

    /// Whether the whole text follows the JSON number grammar.
    static func isJSONNumber(_ text: String) -> Bool {
        var bytes = Array(text.utf8)[...]
        func digits() -> Int {
            let n = bytes.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }.count
            bytes = bytes.dropFirst(n)
            return n
        }
        if bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        guard digits() > 0 else { return false }
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            guard digits() > 0 else { return false }
        }
        if bytes.first == UInt8(ascii: "e") || bytes.first == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if bytes.first == UInt8(ascii: "+") || bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
            guard digits() > 0 else { return false }
        }
        return bytes.isEmpty
    }

    /// A bad scalar for an error message: short numeric-looking text is quoted (so "got \"1e999\"" helps);
    /// anything else is described by its length only, so attribute text never reaches logs.
    static func describe(_ text: String) -> String {
        let plain = text.utf8.count <= 24 && text.utf8.allSatisfy { c in
            (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z"))
                || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z")) || c == UInt8(ascii: ".") || c == UInt8(ascii: "-") || c == UInt8(ascii: "+") || c == UInt8(ascii: "_")
        }
        return plain ? "\"" + text + "\"" : "a string of \(text.count) characters"
    }
}
