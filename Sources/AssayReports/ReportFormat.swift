/// Numbers as report text, the same in every locale: no `String(format:)`, no formatters, only integer
/// arithmetic, so a decimal point is always `.` and digits are never grouped by the environment; and
/// huge text cut to a size.
enum ReportFormat {
    /// Nanoseconds as seconds with exactly three decimals, rounded to the millisecond: `1.234`.
    /// The form JUnit readers need (a `.`, at most 3 decimals).
    static func seconds(_ nanos: UInt64) -> String {
        let millis = nanos / 1_000_000 + (nanos % 1_000_000 >= 500_000 ? 1 : 0)
        return "\(millis / 1000).\(pad(millis % 1000, 3))"
    }

    /// A number rounded to `decimals` decimals, e.g. `fixed(0.7349, 2)` is `0.73`; `n/a` when not finite.
    static func fixed(_ value: Double, _ decimals: Int) -> String {
        guard value.isFinite else { return "n/a" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9e15 else { return "\(value)" }
        let units = UInt64(scaled)
        let factor = UInt64(scale)
        let sign = value < 0 && units > 0 ? "-" : ""
        let whole = "\(sign)\(units / factor)"
        return decimals == 0 ? whole : "\(whole).\(pad(units % factor, decimals))"
    }

    /// An optional number with `decimals` decimals, or `–` when absent.
    static func fixed(_ value: Double?, _ decimals: Int) -> String {
        value.map { fixed($0, decimals) } ?? "–"
    }

    /// A signed number: `+0.120`, `-0.050`.
    static func signed(_ value: Double, _ decimals: Int) -> String {
        let text = fixed(value, decimals)
        return text.hasPrefix("-") ? text : "+\(text)"
    }

    /// A share as a whole percentage: `0.734` is `73%`.
    static func percent(_ share: Double?) -> String {
        share.map { "\(fixed($0 * 100, 0))%" } ?? "–"
    }

    /// US dollars with four decimals: `$0.0123`.
    static func dollars(_ value: Double) -> String { "$\(fixed(value, 4))" }

    /// An integer with thin groups of three: `1,048,576`.
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
            out.append(c)
        }
        return value < 0 ? "-\(out)" : out
    }

    /// The text cut to at most `maxBytes` bytes of UTF-8 at a character boundary, followed by a note of
    /// how much was cut, e.g. `… [truncated: 1,048,576 bytes, 1,044,480 cut]`; unchanged when it fits.
    /// The note is not counted in `maxBytes`.
    static func truncate(_ text: String, maxBytes: Int) -> String {
        let total = text.utf8.count
        guard total > maxBytes else { return text }
        var kept = 0
        var end = text.startIndex
        for index in text.indices {
            let size = text[index].utf8.count
            if kept + size > maxBytes { break }
            kept += size
            end = text.index(after: index)
        }
        return "\(text[..<end])… [truncated: \(grouped(total)) bytes, \(grouped(total - kept)) cut]"
    }

    /// The number as a zero-padded string of `width` digits.
    static func pad(_ value: UInt64, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
