import Hummingbird

/// The collector's one error: why a request was not taken. Each case chooses the HTTP status that
/// answers it, whether the client should retry, and the reason counted in the metrics.
package enum CollectorError: Error, Sendable, CustomStringConvertible {
    /// The Content-Type is not one the route reads (the route's own sentence).
    case unsupportedMediaType(String)
    /// More requests at once than the collector takes.
    case tooManyRequests
    /// The body is over the limit, as sent or once decompressed.
    case tooLarge(limit: Int, decompressed: Bool)
    /// The body did not arrive within the read timeout.
    case timeout(seconds: Double)
    /// The body could not be read from the connection.
    case unreadable
    /// A Content-Encoding other than gzip, deflate or identity.
    case unsupportedEncoding(String)
    /// Compressed data that does not decompress.
    case corruptCompression(String)
    /// A body that is not what the route takes in its declared encoding (located problems).
    case unparseable(String)
    /// The write queue is full.
    case queueFull
    /// The collector is stopping and takes no more work.
    case shuttingDown
    /// The store could not commit what was queued (`spans` or `feedback`).
    case storeFailed(String)

    /// The status that answers the request.
    var status: HTTPResponse.Status {
        switch self {
        case .unsupportedMediaType, .unsupportedEncoding: .unsupportedMediaType
        case .tooManyRequests, .queueFull, .shuttingDown, .storeFailed: .serviceUnavailable
        case .tooLarge: .contentTooLarge
        case .timeout: .requestTimeout
        case .unreadable, .corruptCompression, .unparseable: .badRequest
        }
    }

    /// Whether the same request may succeed later (answered with `Retry-After`).
    var retryable: Bool { status == .serviceUnavailable }

    /// The reason counted in `assay_spans_rejected_total`.
    var metricReason: String {
        switch self {
        case .unsupportedMediaType, .unsupportedEncoding: "unsupported_media_type"
        case .tooManyRequests: "too_many_requests"
        case .tooLarge: "too_large"
        case .timeout: "timeout"
        case .unreadable, .corruptCompression, .unparseable: "unparseable"
        case .queueFull: "queue_full"
        case .shuttingDown: "shutting_down"
        case .storeFailed: "store_error"
        }
    }

    /// The sentence sent back to the client; it never quotes span or feedback content.
    package var description: String {
        switch self {
        case .unsupportedMediaType(let message): message
        case .tooManyRequests: "too many export requests at once; retry later"
        case .tooLarge(let limit, let decompressed): "the \(decompressed ? "decompressed " : "")request body is over \(limit) bytes"
        case .timeout(let seconds): "the request body took longer than \(seconds) s"
        case .unreadable: "the request body could not be read"
        case .unsupportedEncoding(let name): "Content-Encoding \(name) is not supported (use gzip or deflate)"
        case .corruptCompression(let message), .unparseable(let message): message
        case .queueFull: "the write queue is full; retry later"
        case .shuttingDown: "the collector is shutting down; retry later"
        case .storeFailed(let what): "the store could not commit the \(what); retry later"
        }
    }
}
