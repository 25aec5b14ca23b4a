/// US dollars as text, the same in every locale (integer arithmetic, never `String(format:)`), in the
/// precision the trace browser uses: `$0.0123` under a dollar, `$12.34` under a hundred.
public enum Dollars {
    /// A cost: `$0` for nothing, `<$0.0001` for less than a hundredth of a cent, four decimals under
    /// $1, two under $100, whole dollars above.
    public static func text(_ usd: Double) -> String {
        guard usd.isFinite else { return "unknown" }
        if usd == 0 { return "$0" }
        if usd < 0 { return "-" + text(-usd) }
        if usd < 0.0001 { return "<$0.0001" }
        if usd < 1 { return "$" + fixed(usd, 4) }
        if usd < 100 { return "$" + fixed(usd, 2) }
        return "$" + fixed(usd, 0)
    }

    /// A price per token as dollars per million tokens, with two to six decimals: `$0.15`, `$0.075`.
    public static func perMillion(_ perToken: Double) -> String {
        let text = fixed(perToken * 1_000_000, 6)
        guard let dot = text.firstIndex(of: ".") else { return "$" + text }
        var trimmed = text
        while trimmed.hasSuffix("0") && trimmed.distance(from: dot, to: trimmed.endIndex) > 3 { trimmed.removeLast() }
        return "$" + trimmed
    }

    /// `value` rounded to `decimals` decimals, e.g. `fixed(0.73496, 4)` is `0.7350`.
    static func fixed(_ value: Double, _ decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9e15 else { return "\(value)" }
        let units = UInt64(scaled), factor = UInt64(scale)
        let whole = "\(value < 0 && units > 0 ? "-" : "")\(units / factor)"
        guard decimals > 0 else { return whole }
        let frac = String(units % factor)
        return whole + "." + String(repeating: "0", count: decimals - frac.count) + frac
    }
}
