import Foundation

/// Formatting for terminal output: durations, timestamps, and text from traces made safe to print.
public enum DisplayFormat {
    /// A duration with a unit that keeps 3 significant figures: `850 ns`, `12.3 µs`, `320 ms`, `1.52 s`.
    public static func duration(nanos: UInt64) -> String {
        if nanos < 1_000 { return "\(nanos) ns" }
        if nanos < 1_000_000 { return significant(Double(nanos) / 1e3) + " µs" }
        if nanos < 1_000_000_000 { return significant(Double(nanos) / 1e6) + " ms" }
        if nanos < 60_000_000_000 { return significant(Double(nanos) / 1e9) + " s" }
        let seconds = nanos / 1_000_000_000
        return seconds < 3600 ? "\(seconds / 60)m\(String(format: "%02d", seconds % 60))s" : "\(seconds / 3600)h\(String(format: "%02d", seconds % 3600 / 60))m"
    }

    private static func significant(_ v: Double) -> String {
        v < 10 ? String(format: "%.2f", v) : v < 100 ? String(format: "%.1f", v) : String(format: "%.0f", v)
    }

    /// UTC ISO 8601 with milliseconds, e.g. `2026-11-21T16:09:46.123Z`; the digits come from the
    /// integer nanoseconds, not from a Double.
    public static func timestamp(nanos: UInt64) -> String {
        let seconds = nanos / 1_000_000_000
        let millis = (nanos / 1_000_000) % 1000
        var tm = tm()
        var t = time_t(seconds)
        gmtime_r(&t, &tm)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                      tm.tm_hour, tm.tm_min, tm.tm_sec, Int32(millis))
    }

    /// Text from a trace made safe for a terminal: control characters (ESC, NUL, bidi overrides, ...)
    /// become visible `\u{..}` escapes, and long text is cut to `limit` characters with an ellipsis.
    public static func safe(_ text: String, limit: Int = 80) -> String {
        var out = ""
        var count = 0
        for scalar in text.unicodeScalars {
            if count >= limit { return out + "…" }
            let v = scalar.value
            let unsafe = v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v) || (0x202A...0x202E).contains(v)
                || (0x2066...0x2069).contains(v) || v == 0x200E || v == 0x200F || v == 0x061C
            if unsafe { out += "\\u{\(String(v, radix: 16))}" } else { out.unicodeScalars.append(scalar) }
            count += 1
        }
        return out
    }

    /// Pads (or cuts) to a display width in characters.
    static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let count = text.count
        if count >= width { return text }
        let padding = String(repeating: " ", count: width - count)
        return right ? padding + text : text + padding
    }
}
