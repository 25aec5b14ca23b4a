#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Small text helpers for what judges show: short quotes, key redaction, and the wall clock.
enum JudgeText {
    /// `text` in double quotes on one line, cut to `limit` characters with an ellipsis, so that model
    /// answers and trace text never appear at length in explanations.
    static func quote(_ text: String, limit: Int = 80) -> String {
        var out = ""
        var count = 0
        for c in text {
            if count == limit { return "\"" + out + "…\"" }
            out.append(c.isNewline || c == "\t" ? " " : c)
            count += 1
        }
        return "\"" + out + "\""
    }

    /// `text` with every occurrence of `secret` replaced, in case a server echoes the key back. Secrets
    /// shorter than 8 characters are left alone (replacing them would mangle ordinary text).
    static func redact(_ text: String, _ secret: String?) -> String {
        guard let secret, secret.count >= 8, text.contains(secret) else { return text }
        return text.replacing(secret, with: "[REDACTED]")
    }

    /// Now, in nanoseconds since the Unix epoch.
    static func nowNanos() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }
}
