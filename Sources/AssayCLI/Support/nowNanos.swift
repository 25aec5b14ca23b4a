import AssayCore

/// The current time in nanoseconds since the Unix epoch.
func nowNanos() -> UInt64 { WallClock.nowNanos() }
