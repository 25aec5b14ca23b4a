import AssayCore

/// The suite timestamp the Ant schema requires: `YYYY-MM-DDTHH:MM:SS`, no fraction, no zone (UTC).
enum JUnitTimestamp {
    /// A time in nanoseconds since the Unix epoch, in UTC without a zone or fraction.
    static func format(nanos: UInt64) -> String {
        String(DisplayFormat.timestamp(nanos: nanos).prefix(19))
    }
}
