import Foundation

/// The wall clock in the units traces use.
public enum WallClock {
    /// Now, in nanoseconds since the Unix epoch (`CLOCK_REALTIME`, never through a Double).
    public static func nowNanos() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }
}
