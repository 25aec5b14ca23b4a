/// Spans ready for a store: decoded, summarized and encoded once, off the writer's thread.
///
/// A plain value: the OTLP adapter builds it (`IngestBatchBuilder` in AssayOTLP) and stores write it.
public struct IngestBatch: Sendable {
    /// Each distinct resource in the batch with its schema URL, as an OTLP protobuf `ResourceSpans` without spans.
    public var resources: [[UInt8]]
    /// Each distinct scope in the batch with its schema URL, as an OTLP protobuf `ScopeSpans` without spans.
    public var scopes: [[UInt8]]
    /// The spans.
    public var spans: [PreparedSpan]

    /// Creates a batch; each span's `resourceIndex` and `scopeIndex` point into `resources` and `scopes`.
    public init(resources: [[UInt8]] = [], scopes: [[UInt8]] = [], spans: [PreparedSpan] = []) {
        self.resources = resources
        self.scopes = scopes
        self.spans = spans
    }
}

/// One span as a store row: the indexed fields, the derived summary and the full span as protobuf.
///
/// Only what the writer needs crosses to the writer's thread; the decoded `Span` is released on the
/// thread that decoded it.
public struct PreparedSpan: Sendable {
    /// The trace.
    public var traceID: TraceID
    /// The span.
    public var spanID: SpanID
    /// The parent, nil for a root.
    public var parentSpanID: SpanID?
    /// The span name.
    public var name: String
    /// The span kind.
    public var kind: SpanKind
    /// Start, nanoseconds since the Unix epoch.
    public var startTimeUnixNano: UInt64
    /// End, nanoseconds since the Unix epoch.
    public var endTimeUnixNano: UInt64
    /// The status code.
    public var statusCode: StatusCode
    /// The OTLP span flags (W3C flags, and whether the parent is remote: 0x100 and 0x200).
    public var flags: UInt32
    /// Its derived LLM summary.
    public var summary: SpanSummary
    /// The span as an OTLP protobuf `Span` message: the stored source of truth, compact and lossless.
    public var payload: [UInt8]
    /// Index of its resource in `IngestBatch.resources`.
    public var resourceIndex: Int
    /// Index of its scope in `IngestBatch.scopes`.
    public var scopeIndex: Int

    /// Prepares a span: summarizes it and keeps `payload`, its protobuf `Span` message.
    public init(span: Span, payload: [UInt8], resourceIndex: Int, scopeIndex: Int) {
        traceID = span.traceID
        spanID = span.spanID
        parentSpanID = span.parentSpanID
        name = span.name
        kind = span.kind
        startTimeUnixNano = span.startTimeUnixNano
        endTimeUnixNano = span.endTimeUnixNano
        statusCode = span.status.code
        flags = span.flags
        summary = SpanSummary(span: span)
        self.payload = payload
        self.resourceIndex = resourceIndex
        self.scopeIndex = scopeIndex
    }
}

/// What an ingest did, in spans and traces.
public struct IngestCounts: Hashable, Sendable {
    /// Spans read from the input (valid or not, where they could be counted).
    public var spansRead = 0
    /// Spans stored for the first time.
    public var spansNew = 0
    /// Spans that were already in the store (same trace id and span id): left unchanged.
    public var spansPresent = 0
    /// Spans rejected as invalid (or not written because their file was rejected).
    public var spansRejected = 0
    /// Distinct traces among the valid spans.
    public var tracesRead = 0
    /// Traces that were not in the store before.
    public var tracesNew = 0
    /// Traces that were already in the store (possibly gaining spans).
    public var tracesPresent = 0
    /// JSON records rejected whole (unparseable, or an invalid envelope).
    public var recordsRejected = 0

    /// Zero counts.
    public init() {}

    /// Adds another set of counts.
    public static func += (a: inout IngestCounts, b: IngestCounts) {
        a.spansRead += b.spansRead
        a.spansNew += b.spansNew
        a.spansPresent += b.spansPresent
        a.spansRejected += b.spansRejected
        a.tracesRead += b.tracesRead
        a.tracesNew += b.tracesNew
        a.tracesPresent += b.tracesPresent
        a.recordsRejected += b.recordsRejected
    }
}
