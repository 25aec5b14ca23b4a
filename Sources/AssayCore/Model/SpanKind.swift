/// The OTLP span kind (`Span.SpanKind` in trace.proto). Unknown numbers are kept, not dropped.
public enum SpanKind: Hashable, Sendable {
    case unspecified, `internal`, server, client, producer, consumer
    /// A number outside the enum, kept so that it can be written back unchanged.
    case unknown(Int32)

    /// The kind for an OTLP enum number.
    public init(rawValue: Int32) {
        switch rawValue {
        case 0: self = .unspecified
        case 1: self = .internal
        case 2: self = .server
        case 3: self = .client
        case 4: self = .producer
        case 5: self = .consumer
        default: self = .unknown(rawValue)
        }
    }

    /// The kind for an enum name such as `SPAN_KIND_SERVER` (or `SERVER`), as some producers write it.
    public init?(name: String) {
        let short = name.hasPrefix("SPAN_KIND_") ? String(name.dropFirst(10)) : name
        switch short.uppercased() {
        case "UNSPECIFIED": self = .unspecified
        case "INTERNAL": self = .internal
        case "SERVER": self = .server
        case "CLIENT": self = .client
        case "PRODUCER": self = .producer
        case "CONSUMER": self = .consumer
        default: return nil
        }
    }

    /// The OTLP enum number, as OTLP/JSON must write it.
    public var rawValue: Int32 {
        switch self {
        case .unspecified: 0
        case .internal: 1
        case .server: 2
        case .client: 3
        case .producer: 4
        case .consumer: 5
        case .unknown(let n): n
        }
    }

    /// A short lower-case label for display (`unspecified` displays as `internal`, as the spec says to treat it).
    public var label: String {
        switch self {
        case .unspecified, .internal: "internal"
        case .server: "server"
        case .client: "client"
        case .producer: "producer"
        case .consumer: "consumer"
        case .unknown(let n): "kind(\(n))"
        }
    }
}
