/// Which traces online evaluation samples: a decision that depends only on the trace id and the rate,
/// so that it is the same after a restart, on another collector, and for every span of the trace.
public enum OnlineSampling {
    /// Whether a trace is sampled at `rate` (0 to 1): a hash of its id, as a number in [0, 1), is below the rate.
    public static func isSampled(_ id: TraceID, rate: Double) -> Bool {
        if rate >= 1 { return true }
        if !(rate > 0) { return false }
        var mix = SplitMix64(seed: id.high ^ (id.low &* 0x9E37_79B9_7F4A_7C15))
        let draw = Double(mix.next() >> 11) / Double(UInt64(1) << 53)
        return draw < rate
    }
}
