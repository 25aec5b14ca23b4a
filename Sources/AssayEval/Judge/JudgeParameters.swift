import AssayCore
import Foundation

/// Reads a judge scorer's parameters object, reporting unknown keys and bad values as
/// `ScorerConfigError`s that name the parameter (and never quote more than a short piece of a value).
struct JudgeParameters {
    let kind: String
    private let members: [String: JSONValue]
    private let order: [String]

    /// Wraps `value`: an object, or null for no parameters.
    init(kind: String, value: JSONValue) throws(ScorerConfigError) {
        self.kind = kind
        switch value {
        case .null: members = [:]; order = []
        case .object(let list, _):
            var byKey: [String: JSONValue] = [:]
            var order: [String] = []
            for m in list {
                if byKey[m.key] == nil { order.append(m.key) }
                byKey[m.key] = m.value
            }
            members = byKey
            self.order = order
        default: throw ScorerConfigError(kind: kind, message: "parameters must be an object, got \(value.typeName)")
        }
    }

    /// Throws for the first key not in `allowed`.
    func only(_ allowed: Set<String>) throws(ScorerConfigError) {
        if let bad = order.first(where: { !allowed.contains($0) }) {
            throw error(bad, "unknown parameter (known: \(allowed.sorted().joined(separator: ", ")))")
        }
    }

    func error(_ key: String, _ message: String) -> ScorerConfigError {
        ScorerConfigError(kind: kind, parameter: key, message: message)
    }

    /// The value of `key`; nil when absent or null.
    func value(_ key: String) -> JSONValue? {
        guard let v = members[key], !v.isNull else { return nil }
        return v
    }

    func string(_ key: String) throws(ScorerConfigError) -> String? {
        guard let v = value(key) else { return nil }
        guard let s = v.string else { throw error(key, "expected a string, got \(v.typeName)") }
        return s
    }

    /// A string that must be present and not blank.
    func requiredString(_ key: String) throws(ScorerConfigError) -> String {
        guard let s = try string(key) else { throw error(key, "required") }
        guard !s.allSatisfy(\.isWhitespace) else { throw error(key, "must not be empty") }
        return s
    }

    func bool(_ key: String, default fallback: Bool) throws(ScorerConfigError) -> Bool {
        guard let v = value(key) else { return fallback }
        guard case .bool(let b) = v else { throw error(key, "expected true or false, got \(v.typeName)") }
        return b
    }

    /// A finite number in `range`.
    func number(_ key: String, in range: ClosedRange<Double>, default fallback: Double) throws(ScorerConfigError) -> Double {
        guard let v = value(key) else { return fallback }
        guard let d = v.double else { throw error(key, "expected a number, got \(v.typeName)") }
        guard range.contains(d) else { throw error(key, "expected a number from \(range.lowerBound) to \(range.upperBound), got \(d)") }
        return d
    }

    /// A whole number in `range`.
    func integer(_ key: String, in range: ClosedRange<Int>, default fallback: Int) throws(ScorerConfigError) -> Int {
        guard let v = value(key) else { return fallback }
        guard let d = v.double, d == d.rounded(), abs(d) < 1e15 else {
            throw error(key, "expected an integer, got \(v.typeName)")
        }
        guard range.contains(Int(d)) else { throw error(key, "expected an integer from \(range.lowerBound) to \(range.upperBound), got \(Int(d))") }
        return Int(d)
    }

    /// One of a string enum's raw values, or `fallback`.
    func choice<T: RawRepresentable & CaseIterable>(_ key: String, default fallback: T) throws(ScorerConfigError) -> T
    where T.RawValue == String {
        guard let s = try string(key) else { return fallback }
        guard let c = T(rawValue: s) else {
            throw error(key, "expected one of \(T.allCases.map(\.rawValue).joined(separator: ", ")), got \(JudgeText.quote(s, limit: 40))")
        }
        return c
    }

    /// The threshold, checked to be from 0 to 1.
    static func threshold(_ threshold: Double?, kind: String, default fallback: Double) throws(ScorerConfigError) -> Double {
        guard let threshold else { return fallback }
        guard (0...1).contains(threshold) else {
            throw ScorerConfigError(kind: kind, parameter: "threshold", message: "expected a number from 0 to 1, got \(threshold)")
        }
        return threshold
    }
}
