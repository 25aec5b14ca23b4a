/// An OTLP `AnyValue`: every value type an attribute can carry, without loss.
///
/// `int` is a true 64-bit integer (never read through `Double`); `double` keeps NaN and infinities;
/// `empty` is the valid `{}` value with nothing set.
public indirect enum AttributeValue: Hashable, Sendable {
    /// The deepest nesting of values read from OTLP, protobuf and JSON alike, counted in values: a string
    /// attribute is 1 deep, an array of strings 2, a kvlist holding that array 3. The JSON reader's own
    /// limit (`JSONCursor.maxDepth`) leaves room for the JSON form of any value this deep, which takes up
    /// to four JSON levels per value, so whatever is accepted can be written as JSON and read again.
    package static let maxNesting = 128

    case string(String)
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case bytes([UInt8])
    case array([AttributeValue])
    case kvlist([Attribute])
    case empty

    /// The value as text when it is a string, else nil.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The value as a 64-bit integer when it is an int, or a string or whole double holding one.
    public var intValue: Int64? {
        switch self {
        case .int(let n): return n
        case .string(let s): return Int64(s)
        case .double(let d) where d.rounded() == d && abs(d) < 9.0e15: return Int64(d)
        default: return nil
        }
    }

    /// The value as a double when it is numeric (or a numeric string).
    public var doubleValue: Double? {
        switch self {
        case .double(let d): return d
        case .int(let n): return Double(n)
        case .string(let s): return Double(s)
        default: return nil
        }
    }

    /// A plain-text rendering for display: strings as they are, other values in a JSON-like form.
    public var displayText: String {
        switch self {
        case .string(let s): return s
        case .bool(let b): return b ? "true" : "false"
        case .int(let n): return String(n)
        case .double(let d): return d.isNaN ? "NaN" : d.isInfinite ? (d < 0 ? "-Infinity" : "Infinity") : String(d)
        case .bytes(let b): return "<\(b.count) bytes>"
        case .array(let a): return "[" + a.map(\.displayText).joined(separator: ", ") + "]"
        case .kvlist(let kv): return "{" + kv.map { "\($0.key): \($0.value.displayText)" }.joined(separator: ", ") + "}"
        case .empty: return ""
        }
    }
}

/// One attribute: a key and its value (OTLP `KeyValue`). Keys should be unique within a list, but
/// duplicates occur in real data and are kept in order.
public struct Attribute: Hashable, Sendable {
    /// The attribute name, e.g. `gen_ai.request.model`.
    public var key: String
    /// The value.
    public var value: AttributeValue

    /// Creates an attribute.
    public init(_ key: String, _ value: AttributeValue) {
        self.key = key
        self.value = value
    }
}

extension Array where Element == Attribute {
    /// The value of the last attribute with this key (the one a reader of duplicate keys keeps), or nil.
    public subscript(key key: String) -> AttributeValue? {
        for attribute in self.reversed() where attribute.key == key { return attribute.value }
        return nil
    }
}
