import Foundation

/// How long to wait before a retry: exponential backoff with jitter, or the server's `Retry-After`.
///
/// Retry `n` (from 0) waits a random time between half and all of `min(cap, base × 2ⁿ)`, so that
/// clients that failed together do not retry together. A `Retry-After` in seconds is honoured instead,
/// up to `retryAfterCap`; its HTTP-date form is ignored.
struct JudgeBackoff: Sendable {
    /// The first delay before jitter, in seconds.
    var base = 0.5
    /// The longest computed delay, in seconds.
    var cap = 8.0
    /// The longest `Retry-After` honoured, in seconds.
    var retryAfterCap = 60.0

    /// The delay before retry `retry` (0 for the first retry).
    func delay(retry: Int, retryAfter: String?, using rng: inout some RandomNumberGenerator) -> Duration {
        if let text = retryAfter?.trimmingCharacters(in: .whitespaces), let seconds = Double(text), seconds.isFinite, seconds >= 0 {
            return .milliseconds(Int64((min(seconds, retryAfterCap) * 1000).rounded()))
        }
        let ceiling = min(cap, base * Double(1 << min(retry, 20)))
        let seconds = ceiling / 2 + Double.random(in: 0...(ceiling / 2), using: &rng)
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }

    /// Whether a status is worth retrying: 429 and every 5xx.
    static func isRetryable(status: Int) -> Bool { status == 429 || (500...599).contains(status) }
}
