public import AssayCore

extension TraceTreeRenderer {
    /// The trace as JSON: the summary, then each span in tree order (`SpanJSON`, with its depth, its
    /// duration and the span's own canonical OTLP/JSON under `otlp`), with costs at `prices`.
    public static func json(_ trace: StoredTrace, prices: PriceTable = .pinned) -> String {
        var w = JSONWriter(capacity: 4096)
        w.raw("{\"summary\":")
        TraceListRenderer.write(trace.summary, prices: prices, to: &w)
        w.raw(",\"spans\":[")
        for (i, row) in forest(trace.spans).enumerated() {
            if i > 0 { w.byte(UInt8(ascii: ",")) }
            SpanJSON.write(row.span, prices: prices, to: &w) { w in
                w.raw(",\"depth\":")
                w.integer(row.depth)
                w.raw(",\"durationNanos\":")
                w.quotedInteger(row.span.span.durationNanos)
                w.raw(",\"otlp\":")
                OTLPJSONEncoder.write(row.span.span, to: &w)
            }
        }
        w.raw("]}\n")
        return String(decoding: w.bytes, as: UTF8.self)
    }
}
