import AssayCore

/// Small text helpers for what judges show: short quotes, key redaction, and the wall clock.
enum JudgeText {
    /// `text` quoted briefly on one line (`Quote.short`), so that model answers and trace text never
    /// appear at length in explanations.
    static func quote(_ text: String, limit: Int = 80) -> String { Quote.short(text, limit: limit) }

    /// `text` with every occurrence of `secret` replaced, in case a server echoes the key back. Secrets
    /// shorter than 8 characters are left alone (replacing them would mangle ordinary text).
    static func redact(_ text: String, _ secret: String?) -> String {
        guard let secret, secret.count >= 8, text.contains(secret) else { return text }
        return text.replacing(secret, with: "[REDACTED]")
    }

    /// Now, in nanoseconds since the Unix epoch.
    static func nowNanos() -> UInt64 { WallClock.nowNanos() }
}
