import Foundation

/// The OTLP module's one error: failures of the ingest machinery itself. Invalid records are not
/// errors of the machinery: they are located `InputProblem`s, refused as `AssayError.input`.
public enum IngestError: Error, CustomStringConvertible, Sendable {
    /// The input could not be opened or read.
    case unreadable(path: String, reason: String)
    /// The writer's queue was full and the writer refuses rather than waits (the collector's choice).
    case queueFull
    /// The writer's queue was closed or cancelled: it takes no more work.
    case closed
    /// The source was rejected whole, so its write transaction is rolled back.
    case abandoned

    /// `path: cannot read: reason`, or what happened to the queue.
    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "\(path): cannot read: \(reason)"
        case .queueFull: "the write queue is full"
        case .closed: "the writer is closed and takes no more work"
        case .abandoned: "the source was rejected, so nothing of it was written"
        }
    }
}
