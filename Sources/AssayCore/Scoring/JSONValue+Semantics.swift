/// Parsing JSON text for scoring.
enum JSONText {
    /// The JSON value in `text` (any value, surrounding whitespace allowed), or nil when it is not JSON.
    static func parse(_ text: String) -> JSONValue? {
        // The cursor reads streams, where a number at the very end may be unfinished: a trailing
        // newline (whitespace, so allowed) ends it.
        try? JSONCursor.parse(Array(text.utf8) + [UInt8(ascii: "\n")])
    }
}

extension JSONValue {
    /// Semantic equality: object member order is irrelevant (the last of duplicate keys counts),
    /// numbers compare by value (`1` equals `1.0`; two integers compare exactly, by their digits),
    /// arrays compare element by element.
    package func semanticallyEquals(_ other: JSONValue) -> Bool {
        switch (self, other) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.number(let a), .number(let b)): return JSONNumber.equal(a, b)
        case (.array(let a, _), .array(let b, _)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.semanticallyEquals($1) }
        case (.object, .object):
            let a = uniqueMembers, b = other.uniqueMembers
            guard a.count == b.count else { return false }
            for (key, value) in a {
                guard let theirs = b[key], value.semanticallyEquals(theirs) else { return false }
            }
            return true
        default: return false
        }
    }

    /// Whether every member of `self` (an object) is in `other` with a semantically equal value; for
    /// anything but objects, semantic equality.
    func isSubset(of other: JSONValue) -> Bool {
        guard case .object = self, case .object = other else { return semanticallyEquals(other) }
        let theirs = other.uniqueMembers
        return uniqueMembers.allSatisfy { key, value in theirs[key].map(value.semanticallyEquals) ?? false }
    }

    /// Object members by key, the last of duplicates winning; empty for non-objects.
    var uniqueMembers: [String: JSONValue] {
        guard case .object(let members, _) = self else { return [:] }
        var out: [String: JSONValue] = [:]
        for m in members { out[m.key] = m.value }
        return out
    }

    /// Compact JSON with object keys sorted (duplicates removed, the last winning) and numbers in a
    /// canonical form, so that semantically equal values have the same text.
    package var canonicalJSON: String {
        var w = JSONWriter(capacity: 64)
        writeCanonical(to: &w)
        return String(decoding: w.bytes, as: UTF8.self)
    }

    package func writeCanonical(to w: inout JSONWriter) {
        switch self {
        case .null, .bool, .string: write(to: &w)
        case .number(let n):
            let c = JSONNumber.canonical(n)
            if c == "NaN" || c.hasSuffix("Infinity") { w.string(c) } else { w.bytes.append(contentsOf: c.utf8) }
        case .array(let values, _):
            w.byte(UInt8(ascii: "["))
            for (i, v) in values.enumerated() {
                if i > 0 { w.byte(UInt8(ascii: ",")) }
                v.writeCanonical(to: &w)
            }
            w.byte(UInt8(ascii: "]"))
        case .object:
            w.byte(UInt8(ascii: "{"))
            for (i, (key, value)) in uniqueMembers.sorted(by: { $0.key < $1.key }).enumerated() {
                if i > 0 { w.byte(UInt8(ascii: ",")) }
                w.string(key)
                w.byte(UInt8(ascii: ":"))
                value.writeCanonical(to: &w)
            }
            w.byte(UInt8(ascii: "}"))
        }
    }

    /// The number's value as a `Double`, when this is a number.
    var doubleValue: Double? {
        if case .number(let n) = self { return JSONNumber.double(n) }
        return nil
    }

    /// The JSON type name used in messages and by JSON Schema (`integer` is reported as `number`).
    package var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

/// JSON number texts compared and normalised without losing integer precision.
enum JSONNumber {
    /// Whether the text is an integer literal (digits with an optional minus sign).
    static func isIntegerLiteral(_ text: String) -> Bool {
        let digits = text.hasPrefix("-") ? text.utf8.dropFirst() : text.utf8[...]
        return !digits.isEmpty && digits.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// The value as a `Double` (`NaN` and the infinities included).
    static func double(_ text: String) -> Double? {
        switch text {
        case "NaN": .nan
        case "Infinity": .infinity
        case "-Infinity": -.infinity
        default: Double(text)
        }
    }

    /// Equal by value: integer literals digit by digit, anything else as `Double`s.
    static func equal(_ a: String, _ b: String) -> Bool {
        if isIntegerLiteral(a), isIntegerLiteral(b) { return canonicalInteger(a) == canonicalInteger(b) }
        guard let x = double(a), let y = double(b) else { return a == b }
        return x == y
    }

    /// Integer literals without a sign on zero; whole doubles below 2^53 as integers; other doubles in
    /// Swift's shortest round-trip form.
    static func canonical(_ text: String) -> String {
        if isIntegerLiteral(text) { return canonicalInteger(text) }
        guard let d = double(text) else { return text }
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
        if d == d.rounded(), abs(d) < 9_007_199_254_740_992 { return String(Int64(d)) }
        return String(d)
    }

    private static func canonicalInteger(_ text: String) -> String {
        text == "-0" ? "0" : text
    }
}
