import AssayCore
import AssayOTLP

/// Text and JSON forms of ingest counts.
enum IngestReport {
    static func text(_ results: [Ingestor.Result]) -> String {
        var lines = results.map { line($0.source, $0.counts) + ($0.rejectedWhole ? " [file rejected]" : "") }
        if results.count > 1 {
            var total = IngestCounts()
            for r in results { total += r.counts }
            lines.append(line("total", total))
        }
        return lines.map { $0 + "\n" }.joined()
    }

    private static func line(_ name: String, _ c: IngestCounts) -> String {
        "\(DisplayFormat.safe(name, limit: 200)): \(c.tracesRead) traces (\(c.tracesNew) new, \(c.tracesPresent) already present); "
            + "\(c.spansRead) spans (\(c.spansNew) new, \(c.spansPresent) already present, \(c.spansRejected) rejected)"
            + (c.recordsRejected > 0 ? "; \(c.recordsRejected) records rejected" : "")
    }

    static func json(_ results: [Ingestor.Result]) -> String {
        var w = JSONWriter()
        w.byte(UInt8(ascii: "["))
        for (i, r) in results.enumerated() {
            let c = r.counts
            if i > 0 { w.byte(UInt8(ascii: ",")) }
            w.raw("{\"source\":")
            w.string(r.source)
            w.raw(r.rejectedWhole ? ",\"rejectedWhole\":true" : ",\"rejectedWhole\":false")
            w.raw(",\"bytes\":"); w.integer(r.bytes)
            w.raw(",\"traces\":{\"read\":"); w.integer(c.tracesRead)
            w.raw(",\"new\":"); w.integer(c.tracesNew)
            w.raw(",\"alreadyPresent\":"); w.integer(c.tracesPresent)
            w.raw("},\"spans\":{\"read\":"); w.integer(c.spansRead)
            w.raw(",\"new\":"); w.integer(c.spansNew)
            w.raw(",\"alreadyPresent\":"); w.integer(c.spansPresent)
            w.raw(",\"rejected\":"); w.integer(c.spansRejected)
            w.raw("},\"recordsRejected\":"); w.integer(c.recordsRejected)
            w.raw(",\"problems\":[")
            for (j, p) in r.problems.enumerated() {
                if j > 0 { w.byte(UInt8(ascii: ",")) }
                w.string(p.description)
            }
            w.raw("]}")
        }
        w.raw("]\n")
        return String(decoding: w.bytes, as: UTF8.self)
    }
}
