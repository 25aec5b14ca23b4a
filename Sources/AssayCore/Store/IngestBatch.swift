/// Spans ready for a store: decoded, summarized and encoded once, off the writer's thread.
public struct IngestBatch: Sendable {
    /// Canonical OTLP/JSON of each distinct resource in the batch (`{"resource":…,"schemaUrl":…}`).
    public var resources: [[UInt8]] = []
    /// Canonical OTLP/JSON of each distinct scope in the batch (`{"scope":…,"schemaUrl":…}`).
    public var scopes: [[UInt8]] = []
    /// The spans.
    public var spans: [PreparedSpan] = []
    /// Bytes of input behind these spans, for progress and throughput.
    public var inputBytes = 0

    /// Creates an empty batch.
    public init() {}

    /// Adds every span of a decoded document.
    public mutating func add(_ data: TracesData) {
        for rs in data.resourceSpans {
            var w = JSONWriter(capacity: 256)
            w.raw("{\"resource\":")
            OTLPJSONEncoder.write(rs.resource, to: &w)
            if !rs.schemaURL.isEmpty { w.raw(",\"schemaUrl\":"); w.string(rs.schemaURL) }
            w.byte(UInt8(ascii: "}"))
            let resourceIndex = index(of: w.bytes, in: &resources)
            for ss in rs.scopeSpans {
                var sw = JSONWriter(capacity: 128)
                sw.raw("{\"scope\":")
                OTLPJSONEncoder.write(ss.scope, to: &sw)
                if !ss.schemaURL.isEmpty { sw.raw(",\"schemaUrl\":"); sw.string(ss.schemaURL) }
                sw.byte(UInt8(ascii: "}"))
                let scopeIndex = index(of: sw.bytes, in: &scopes)
                for span in ss.spans {
                    spans.append(PreparedSpan(span: span, resourceIndex: resourceIndex, scopeIndex: scopeIndex))
                }
            }
        }
    }

    private func index(of body: [UInt8], in list: inout [[UInt8]]) -> Int {
        if let i = list.lastIndex(of: body) { return i }
        list.append(body)
        return list.count - 1
    }
}

/// One span with what a store writes beside it.
public struct PreparedSpan: Sendable {
    /// The span.
    public var span: Span
    /// Its derived LLM summary.
    public var summary: SpanSummary
    /// The span's canonical OTLP/JSON, the stored source of truth.
    public var payload: [UInt8]
    /// Index of its resource in `IngestBatch.resources`.
    public var resourceIndex: Int
    /// Index of its scope in `IngestBatch.scopes`.
    public var scopeIndex: Int

    /// Prepares a span: summarizes and encodes it.
    public init(span: Span, resourceIndex: Int, scopeIndex: Int) {
        self.span = span
        self.summary = SpanSummary(span: span)
        var w = JSONWriter(capacity: 2048)
        OTLPJSONEncoder.write(span, to: &w)
        self.payload = w.bytes
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
