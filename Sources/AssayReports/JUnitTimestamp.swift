import Foundation

/// The suite timestamp the Ant schema requires: `YYYY-MM-DDTHH:MM:SS`, no fraction, no zone (UTC).
enum JUnitTimestamp {
    /// The run's start, an ISO 8601 string with any zone or fraction, in UTC without a zone; the first
    /// 19 characters when they already have that shape but do not parse; the epoch when neither.
    static func format(_ iso: String) -> String {
        let withFraction = ISO8601DateFormatter()
        withFraction.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        if let date = withFraction.date(from: iso) ?? plain.date(from: iso) { return format(date) }
        let prefix = String(iso.prefix(19))
        let shape = Array("dddd-dd-ddTdd:dd:dd")
        if prefix.count == 19, zip(prefix, shape).allSatisfy({ $1 == "d" ? $0.isASCII && $0.isNumber : $0 == $1 }) { return prefix }
        return "1970-01-01T00:00:00"
    }

    /// A date in UTC as `YYYY-MM-DDTHH:MM:SS`, by integer arithmetic on the calendar's fields.
    static func format(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func p(_ v: Int?, _ w: Int) -> String { ReportFormat.pad(UInt64(max(0, v ?? 0)), w) }
        return "\(p(c.year, 4))-\(p(c.month, 2))-\(p(c.day, 2))T\(p(c.hour, 2)):\(p(c.minute, 2)):\(p(c.second, 2))"
    }
}
