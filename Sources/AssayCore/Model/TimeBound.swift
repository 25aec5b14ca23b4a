public import Foundation

/// Parses the time bounds the CLI accepts: a duration before now (`30m`, `2h`, `7d`, `90s`) or an
/// ISO 8601 time (`2026-11-21T10:00:00Z`, `2026-11-21`), into nanoseconds since the Unix epoch.
public enum TimeBound {
    /// The bound, or nil when the text is neither form.
    public static func parse(_ text: String, now: Date = Date()) -> UInt64? {
        if let last = text.last, let unit = ["s": 1.0, "m": 60, "h": 3600, "d": 86400, "w": 604_800][String(last)],
           let amount = UInt64(text.dropLast()) {
            let nowNanos = UInt64(max(0, now.timeIntervalSince1970)) * 1_000_000_000
            let back = amount.multipliedReportingOverflow(by: UInt64(unit) * 1_000_000_000)
            return back.overflow || back.partialValue > nowNanos ? 0 : nowNanos - back.partialValue
        }
        return instant(text)
    }

    /// An ISO 8601 time (`2026-11-21T10:00:00Z`, with or without fractional seconds, or a date) in
    /// nanoseconds since the Unix epoch (millisecond precision), or nil.
    public static func instant(_ text: String) -> UInt64? {
        let withTime = ISO8601DateFormatter()
        withTime.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let plain = ISO8601DateFormatter()
        let dateOnly = ISO8601DateFormatter()
        dateOnly.formatOptions = [.withFullDate]
        guard let date = withTime.date(from: text) ?? plain.date(from: text) ?? dateOnly.date(from: text),
              date.timeIntervalSince1970 >= 0 else { return nil }
        guard date.timeIntervalSince1970 < 9_000_000_000 else { return nil }  // beyond 2255: not a time traces carry
        let whole = UInt64(date.timeIntervalSince1970.rounded(.down))
        let fraction = UInt64(((date.timeIntervalSince1970 - Double(whole)) * 1000).rounded()) * 1_000_000
        return whole * 1_000_000_000 + fraction
    }
}
