/// One OTLP span: an operation with a start and end time within a trace.
///
/// Times are nanoseconds since the Unix epoch as `UInt64`, exactly as OTLP carries them.
/// See trace.proto `Span` (shared/reference/formats.md, section 1).
public struct Span: Hashable, Sendable {
    /// The trace this span belongs to.
    public var traceID: TraceID
    /// This span's id, unique within its trace.
    public var spanID: SpanID
    /// The parent span, or nil for a root (absent, empty or all-zero `parentSpanId`).
    public var parentSpanID: SpanID?
    /// W3C `tracestate`; empty when absent.
    public var traceState: String
    /// W3C trace flags in bits 0-7 and the has-is-remote / is-remote bits (0x100, 0x200).
    public var flags: UInt32
    /// The operation name.
    public var name: String
    /// The span kind.
    public var kind: SpanKind
    /// Start time, nanoseconds since the Unix epoch.
    public var startTimeUnixNano: UInt64
    /// End time, nanoseconds since the Unix epoch.
    public var endTimeUnixNano: UInt64
    /// Attributes in the order they were sent.
    public var attributes: [Attribute]
    /// How many attributes the producer dropped.
    public var droppedAttributesCount: UInt32
    /// Timed events (exceptions, prompt and completion events of older LLM instrumentations).
    public var events: [SpanEvent]
    /// How many events the producer dropped.
    public var droppedEventsCount: UInt32
    /// Links to spans in this or other traces.
    public var links: [SpanLink]
    /// How many links the producer dropped.
    public var droppedLinksCount: UInt32
    /// The status; `unset` when absent.
    public var status: SpanStatus

    /// Creates a span; everything but the ids and name has the value a missing OTLP field means.
    public init(
        traceID: TraceID, spanID: SpanID, parentSpanID: SpanID? = nil, traceState: String = "", flags: UInt32 = 0,
        name: String, kind: SpanKind = .unspecified, startTimeUnixNano: UInt64 = 0, endTimeUnixNano: UInt64 = 0,
        attributes: [Attribute] = [], droppedAttributesCount: UInt32 = 0, events: [SpanEvent] = [],
        droppedEventsCount: UInt32 = 0, links: [SpanLink] = [], droppedLinksCount: UInt32 = 0,
        status: SpanStatus = SpanStatus()
    ) {
        self.traceID = traceID
        self.spanID = spanID
        self.parentSpanID = parentSpanID
        self.traceState = traceState
        self.flags = flags
        self.name = name
        self.kind = kind
        self.startTimeUnixNano = startTimeUnixNano
        self.endTimeUnixNano = endTimeUnixNano
        self.attributes = attributes
        self.droppedAttributesCount = droppedAttributesCount
        self.events = events
        self.droppedEventsCount = droppedEventsCount
        self.links = links
        self.droppedLinksCount = droppedLinksCount
        self.status = status
    }

    /// The duration in nanoseconds; zero when the end precedes the start.
    public var durationNanos: UInt64 { endTimeUnixNano >= startTimeUnixNano ? endTimeUnixNano - startTimeUnixNano : 0 }
}

/// A timed event within a span (OTLP `Span.Event`).
public struct SpanEvent: Hashable, Sendable {
    /// When it happened, nanoseconds since the Unix epoch.
    public var timeUnixNano: UInt64
    /// The event name, e.g. `exception`.
    public var name: String
    /// Its attributes.
    public var attributes: [Attribute]
    /// How many attributes the producer dropped.
    public var droppedAttributesCount: UInt32

    /// Creates an event.
    public init(timeUnixNano: UInt64 = 0, name: String, attributes: [Attribute] = [], droppedAttributesCount: UInt32 = 0) {
        self.timeUnixNano = timeUnixNano
        self.name = name
        self.attributes = attributes
        self.droppedAttributesCount = droppedAttributesCount
    }
}

/// A link from a span to another span (OTLP `Span.Link`).
public struct SpanLink: Hashable, Sendable {
    /// The linked span's trace.
    public var traceID: TraceID
    /// The linked span.
    public var spanID: SpanID
    /// W3C `tracestate` of the link; empty when absent.
    public var traceState: String
    /// Its attributes.
    public var attributes: [Attribute]
    /// How many attributes the producer dropped.
    public var droppedAttributesCount: UInt32
    /// W3C flags of the link.
    public var flags: UInt32

    /// Creates a link.
    public init(traceID: TraceID, spanID: SpanID, traceState: String = "", attributes: [Attribute] = [],
                droppedAttributesCount: UInt32 = 0, flags: UInt32 = 0) {
        self.traceID = traceID
        self.spanID = spanID
        self.traceState = traceState
        self.attributes = attributes
        self.droppedAttributesCount = droppedAttributesCount
        self.flags = flags
    }
}
