/// Renders trace summaries as a terminal table or as JSON, with each trace's cost at `prices`
/// (docs/prices.md): `-` without model calls, `unknown` when a call could not be priced.
package enum TraceListRenderer {
    /// A fixed-width table, one trace a line, newest first as given.
    package static func table(_ traces: [TraceSummary], prices: PriceTable = .pinned) -> String {
        if traces.isEmpty { return "No traces match.\n" }
        var lines = ["TRACE ID                          START                     DURATION  SPANS  ERRORS  TOKENS      COST  MODELS                ROOT"]
        for t in traces {
            let models = t.models.isEmpty ? "-" : DisplayFormat.safe(t.models.joined(separator: ","), limit: 20)
            let root = t.rootName.map { DisplayFormat.safe($0, limit: 60) } ?? "(root span missing)"
            lines.append([
                t.traceID.description,
                DisplayFormat.timestamp(nanos: t.startTimeUnixNano),
                DisplayFormat.pad(DisplayFormat.duration(nanos: t.durationNanos), 9, right: true),
                DisplayFormat.pad(String(t.spanCount), 5, right: true),
                DisplayFormat.pad(String(t.errorCount), 6, right: true),
                DisplayFormat.pad(String(t.totalTokens), 6, right: true),
                DisplayFormat.pad(TraceCost(summary: t, prices: prices).text, 8, right: true),
                DisplayFormat.pad(models, 20),
                root,
            ].joined(separator: "  "))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A JSON array of summaries (times as decimal-string nanoseconds, like OTLP/JSON).
    package static func json(_ traces: [TraceSummary], prices: PriceTable = .pinned) -> String {
        var w = JSONWriter(capacity: 256 * traces.count + 2)
        w.byte(UInt8(ascii: "["))
        for (i, t) in traces.enumerated() {
            if i > 0 { w.byte(UInt8(ascii: ",")) }
            write(t, prices: prices, to: &w)
        }
        w.raw("]\n")
        return String(decoding: w.bytes, as: UTF8.self)
    }

    /// The cost members of a summary's JSON: `costUSD` (null when unknown or without model calls),
    /// `cost` (`-`, `unknown` or the dollars) and `costDetail` (why it is unknown).
    package struct Cost: Sendable {
        /// US dollars when known.
        package var usd: Double?
        /// `-`, `unknown` or the dollars.
        package var text: String
        /// The text with its reasons.
        package var detail: String

        /// The fields of a trace cost.
        package init(_ cost: TraceCost) {
            usd = cost.usd
            text = cost.text
            detail = cost.detail
        }

        /// The fields of a cost given as it is (a run's cell, at its tier's prices).
        package init(usd: Double?, text: String, detail: String) {
            self.usd = usd
            self.text = text
            self.detail = detail
        }
    }

    /// One summary as a JSON object, its cost at `prices`; `extra` may append more members (each starting with a comma).
    package static func write(_ t: TraceSummary, prices: PriceTable = .pinned, to w: inout JSONWriter,
                              extra: (inout JSONWriter) -> Void = { _ in }) {
        write(t, cost: Cost(TraceCost(summary: t, prices: prices)), to: &w, extra: extra)
    }

    /// One summary as a JSON object with the given cost; `extra` may append more members (each starting with a comma).
    package static func write(_ t: TraceSummary, cost: Cost, to w: inout JSONWriter, extra: (inout JSONWriter) -> Void = { _ in }) {
        w.raw("{\"traceId\":")
        w.string(t.traceID.description)
        w.raw(",\"rootSpanId\":")
        if let id = t.rootSpanID { w.string(id.description) } else { w.raw("null") }
        w.raw(",\"rootName\":")
        if let name = t.rootName { w.string(name) } else { w.raw("null") }
        w.raw(",\"startTimeUnixNano\":")
        w.quotedInteger(t.startTimeUnixNano)
        w.raw(",\"endTimeUnixNano\":")
        w.quotedInteger(t.endTimeUnixNano)
        w.raw(",\"durationNanos\":")
        w.quotedInteger(t.durationNanos)
        w.raw(",\"status\":")
        w.string(t.status.rawValue)
        w.raw(",\"spanCount\":")
        w.integer(t.spanCount)
        w.raw(",\"errorCount\":")
        w.integer(t.errorCount)
        w.raw(",\"inputTokens\":")
        w.integer(t.inputTokens)
        w.raw(",\"outputTokens\":")
        w.integer(t.outputTokens)
        w.raw(",\"totalTokens\":")
        w.integer(t.totalTokens)
        w.raw(",\"models\":[")
        for (i, m) in t.models.enumerated() {
            if i > 0 { w.byte(UInt8(ascii: ",")) }
            w.string(m)
        }
        w.raw("],\"operations\":[")
        for (i, op) in t.operations.enumerated() {
            if i > 0 { w.byte(UInt8(ascii: ",")) }
            w.string(op.label)
        }
        w.raw("],\"sessionId\":")
        if let s = t.sessionID { w.string(s) } else { w.raw("null") }
        w.raw(",\"userId\":")
        if let s = t.userID { w.string(s) } else { w.raw("null") }
        w.raw(",\"costUSD\":")
        if let usd = cost.usd, usd.isFinite { w.double(usd) } else { w.raw("null") }
        w.raw(",\"cost\":")
        w.string(cost.text)
        w.raw(",\"costDetail\":")
        w.string(cost.detail)
        extra(&w)
        w.byte(UInt8(ascii: "}"))
    }
}
