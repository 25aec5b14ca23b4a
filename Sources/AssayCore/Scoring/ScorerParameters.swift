/// Reads a scorer's parameters object, recording which keys were read so that unknown (misspelt) keys
/// are reported.
package struct ScorerParameters {
    package let kind: String
    private let members: [String: JSONValue]
    private let order: [String]

    /// Wraps `value`: an object, or null for no parameters.
    package init(kind: String, value: JSONValue) throws(AssayError) {
        self.kind = kind
        switch value {
        case .null: members = [:]; order = []
        case .object(let list, _):
            members = value.uniqueMembers
            var seen = Set<String>()
            order = list.map(\.key).filter { seen.insert($0).inserted }
        default: throw AssayError.setting(place: kind, problem: "parameters must be an object, got \(value.typeName)")
        }
    }

    /// Throws for any key not in `allowed`.
    package func only(_ allowed: Set<String>) throws(AssayError) {
        if let bad = order.first(where: { !allowed.contains($0) }) {
            let known = allowed.isEmpty ? "none" : allowed.sorted().joined(separator: ", ")
            throw error(bad, "unknown parameter (known: \(known))")
        }
    }

    /// The raw value of `key`; nil when absent or null.
    package func value(_ key: String) -> JSONValue? {
        if let v = members[key], case .null = v { return nil }
        return members[key]
    }

    package func error(_ key: String, _ message: String) -> AssayError {
        AssayError.setting(place: kind, field: key, problem: message)
    }

    package func bool(_ key: String, default fallback: Bool) throws(AssayError) -> Bool {
        guard let v = value(key) else { return fallback }
        guard case .bool(let b) = v else { throw error(key, "expected true or false, got \(v.typeName)") }
        return b
    }

    package func string(_ key: String) throws(AssayError) -> String? {
        guard let v = value(key) else { return nil }
        guard let s = v.string else { throw error(key, "expected a string, got \(v.typeName)") }
        return s
    }

    /// One of `choices` (a string), or `fallback`.
    package func choice<T: RawRepresentable & CaseIterable>(_ key: String, default fallback: T) throws(AssayError) -> T
    where T.RawValue == String {
        guard let s = try string(key) else { return fallback }
        guard let c = T(rawValue: s) else {
            throw error(key, "expected one of \(T.allCases.map(\.rawValue).joined(separator: ", ")), got \(Quote.short(s))")
        }
        return c
    }

    /// A finite number, at least `minimum` when given.
    package func number(_ key: String, minimum: Double? = nil, exclusive: Bool = false) throws(AssayError) -> Double? {
        guard let v = value(key) else { return nil }
        guard let d = v.doubleValue, d.isFinite else { throw error(key, "expected a number, got \(v.typeName)") }
        if let minimum, exclusive ? d <= minimum : d < minimum {
            throw error(key, "expected a number \(exclusive ? "above" : "at least") \(minimum.formatted), got \(d.formatted)")
        }
        return d
    }

    /// A whole number of at least `minimum`.
    package func integer(_ key: String, minimum: Int) throws(AssayError) -> Int? {
        guard let v = value(key) else { return nil }
        guard let d = v.doubleValue, d == d.rounded(), abs(d) < 1e15 else {
            throw error(key, "expected an integer, got \(v.typeName == "number" ? v.compactJSON : v.typeName)")
        }
        guard Int(d) >= minimum else { throw error(key, "expected an integer of at least \(minimum), got \(Int(d))") }
        return Int(d)
    }

    /// A list of strings (a single string counts as a list of one).
    package func strings(_ key: String) throws(AssayError) -> [String]? {
        guard let v = value(key) else { return nil }
        if let s = v.string { return [s] }
        guard let list = v.elements else { throw error(key, "expected a list of strings, got \(v.typeName)") }
        var out: [String] = []
        for (i, e) in list.enumerated() {
            guard let s = e.string else { throw error("\(key)/\(i)", "expected a string, got \(e.typeName)") }
            out.append(s)
        }
        return out
    }
}

extension Double {
    /// A number for messages: whole numbers without `.0`, others with up to four decimals.
    var formatted: String {
        if self == rounded(), abs(self) < 1e15 { return String(Int64(self)) }
        let s = String(format4: self)
        return s
    }
}

extension String {
    /// Up to four decimals, trailing zeros removed.
    init(format4 d: Double) {
        let scaled = (d * 10_000).rounded() / 10_000
        self = scaled == scaled.rounded() && abs(scaled) < 1e15 ? String(Int64(scaled)) : String(scaled)
    }
}
