import AssayCore
import Foundation

/// A W3C `traceparent`: the runner's span for the cell, which the agent's spans hang under.
struct TraceParent: Sendable {
    var traceID: TraceID
    var spanID: SpanID

    /// Parses `00-<32 hex>-<16 hex>-<2 hex>`; nil for anything else.
    init?(_ header: String) {
        let parts = header.trimmingCharacters(in: .whitespaces).split(separator: "-")
        guard parts.count == 4, parts[0].count == 2, parts[3].count == 2,
              let trace = TraceID(hex: parts[1]), let span = SpanID(hex: parts[2]) else { return nil }
        traceID = trace
        spanID = span
    }

}

/// Collects the spans of one cell: ids, wall-clock times, and the parent of each.
struct Tracer {
    private(set) var spans: [Span] = []
    let traceID: TraceID
    private var random = SystemRandomNumberGenerator()

    init(traceID: TraceID) { self.traceID = traceID }

    /// A tracer for a fresh trace, for runs by hand without a runner.
    init() {
        var g = SystemRandomNumberGenerator()
        traceID = TraceID(high: g.next() | 1, low: g.next())!
    }

    /// Now, in nanoseconds since the Unix epoch.
    static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    /// A new span id.
    mutating func newSpanID() -> SpanID { SpanID(random.next() | 1)! }

    /// Runs `body` as a span named `name` under `parent`, with the attributes `body` returns;
    /// returns the span's id and what `body` produced.
    @discardableResult
    mutating func span<T>(
        _ name: String, kind: SpanKind, parent: SpanID?, id: SpanID? = nil,
        _ body: (inout Tracer, SpanID) throws -> (T, [Attribute])
    ) rethrows -> T {
        let spanID = id ?? newSpanID()
        let start = Self.now()
        let (value, attributes) = try body(&self, spanID)
        let end = max(Self.now(), start + 1000)
        spans.append(Span(traceID: traceID, spanID: spanID, parentSpanID: parent, flags: 0x101, name: name, kind: kind,
                          startTimeUnixNano: start, endTimeUnixNano: end, attributes: attributes))
        return value
    }

    /// The spans as one OTLP document for the email assistant's resource.
    func tracesData() -> TracesData {
        let resource = Resource(attributes: [
            Attribute("service.name", .string("email-assistant")),
            Attribute("service.version", .string("0.5.0")),
            Attribute("telemetry.sdk.name", .string("assay-example-agent")),
            Attribute("telemetry.sdk.language", .string("swift")),
        ])
        let scope = InstrumentationScope(name: "email_assistant.agent", version: "0.5.0")
        return TracesData(resourceSpans: [
            ResourceSpans(resource: resource, scopeSpans: [ScopeSpans(scope: scope, spans: spans)]),
        ])
    }
}

/// Sleeps for a number of milliseconds.
func sleepMillis(_ ms: Int) {
    var request = timespec(tv_sec: ms / 1000, tv_nsec: (ms % 1000) * 1_000_000)
    var remaining = timespec()
    while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
}
