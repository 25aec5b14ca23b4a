import AssayCore

/// The parameter reading that judge scorers need beyond the built-in scorers': required text,
/// numbers and integers within a range, and the threshold check.
extension ScorerParameters {
    /// A string that must be present and not blank.
    func requiredString(_ key: String) throws(AssayError) -> String {
        guard let s = try string(key) else { throw error(key, "required") }
        guard !s.allSatisfy(\.isWhitespace) else { throw error(key, "must not be empty") }
        return s
    }

    /// A finite number in `range`.
    func number(_ key: String, in range: ClosedRange<Double>, default fallback: Double) throws(AssayError) -> Double {
        guard let v = value(key) else { return fallback }
        guard let d = v.double else { throw error(key, "expected a number, got \(v.typeName)") }
        guard range.contains(d) else { throw error(key, "expected a number from \(range.lowerBound) to \(range.upperBound), got \(d)") }
        return d
    }

    /// A whole number in `range`.
    func integer(_ key: String, in range: ClosedRange<Int>, default fallback: Int) throws(AssayError) -> Int {
        guard let v = value(key) else { return fallback }
        guard let d = v.double, d == d.rounded(), abs(d) < 1e15 else {
            throw error(key, "expected an integer, got \(v.typeName)")
        }
        guard range.contains(Int(d)) else { throw error(key, "expected an integer from \(range.lowerBound) to \(range.upperBound), got \(Int(d))") }
        return Int(d)
    }

    /// The threshold, checked to be from 0 to 1.
    static func threshold(_ threshold: Double?, kind: String, default fallback: Double) throws(AssayError) -> Double {
        guard let threshold else { return fallback }
        guard (0...1).contains(threshold) else {
            throw AssayError.setting(place: kind, field: "threshold", problem: "expected a number from 0 to 1, got \(threshold)")
        }
        return threshold
    }
}
