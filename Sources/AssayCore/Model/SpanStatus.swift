/// The OTLP status code (`Status.StatusCode`). Unknown numbers are kept, not dropped.
public enum StatusCode: Hashable, Sendable {
    case unset, ok, error
    /// A number outside the enum, kept so that it can be written back unchanged.
    case unknown(Int32)

    /// The code for an OTLP enum number.
    public init(rawValue: Int32) {
        switch rawValue {
        case 0: self = .unset
        case 1: self = .ok
        case 2: self = .error
        default: self = .unknown(rawValue)
        }
    }

    /// The code for an enum name such as `STATUS_CODE_ERROR` (or `ERROR`).
    public init?(name: String) {
        let short = name.hasPrefix("STATUS_CODE_") ? String(name.dropFirst(12)) : name
        switch short.uppercased() {
        case "UNSET": self = .unset
        case "OK": self = .ok
        case "ERROR": self = .error
        default: return nil
        }
    }

    /// The OTLP enum number.
    public var rawValue: Int32 {
        switch self {
        case .unset: 0
        case .ok: 1
        case .error: 2
        case .unknown(let n): n
        }
    }

    /// A short lower-case label for display.
    public var label: String {
        switch self {
        case .unset: "unset"
        case .ok: "ok"
        case .error: "error"
        case .unknown(let n): "status(\(n))"
        }
    }
}

/// A span's status: a code and an optional message (set by producers for errors).
public struct SpanStatus: Hashable, Sendable {
    /// The status code; `unset` when the producer sent none.
    public var code: StatusCode
    /// The developer-facing message; empty when absent.
    public var message: String

    /// Creates a status; the defaults are what a missing `status` means.
    public init(code: StatusCode = .unset, message: String = "") {
        self.code = code
        self.message = message
    }
}
