import Foundation

/// Failures of the ingest machinery itself (as opposed to invalid records, which are `InputError`s).
public enum IngestError: Error, CustomStringConvertible, Sendable {
    /// The input could not be opened or read.
    case unreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "\(path): cannot read: \(reason)"
        }
    }
}
