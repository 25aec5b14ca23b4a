package import AssayCore
import CompressNIO
package import Foundation
import NIOCore

/// Builds the data document of the trace browser (Sources/AssayBrowse/Page/DATA-FORMAT.md): trace
/// summaries inline, spans in gzip-compressed blocks the page opens on demand (the packed shape), so a
/// file with tens of thousands of spans still paints at once.
package struct BrowseDocument: Sendable {
    /// Traces per compressed block of spans.
    package var tracesPerBlock = 64

    /// Creates a builder.
    package init() {}

    /// The data document for `traces`, in the given order, with each trace's current feedback and
    /// cost. A trace in `costs` (a run's cell, at its tier's prices) costs that; the others, and every
    /// model-call span, cost their usage at `prices` (docs/prices.md), `unknown` when a model has none.
    ///
    /// Traces that share a session id form the page's sessions; each such trace's spans travel with
    /// its turn (`BrowseTurn`). A session in `sessions` (`sessionFacts(for:feedback:in:)`) is
    /// described by those facts, the others by their traces in the file. Feedback on a whole session
    /// is written with the session, not with the trace it is stored on.
    package func json(title: String, generatedAt: Date, traces: [StoredTrace], feedback: [TraceID: [StoredFeedback]] = [:],
                     costs: [TraceID: Double] = [:], prices: PriceTable = .pinned, sessions: [String: SessionFacts] = [:]) throws -> [UInt8] {
        let blocks = try compressedBlocks(traces, prices: prices)
        var w = JSONWriter(capacity: traces.count * 512 + blocks.reduce(0) { $0 + $1.count } + 4096)
        w.raw("{\"title\":")
        w.string(title)
        w.raw(",\"generatedAt\":")
        w.string(ISO8601DateFormatter().string(from: generatedAt))
        w.raw(",\"traces\":[")
        for (i, trace) in traces.enumerated() {
            if i > 0 { w.byte(UInt8(ascii: ",")) }
            let cost = costs[trace.summary.traceID].map { usd in
                TraceListRenderer.Cost(usd: usd, text: Dollars.text(usd), detail: "\(Dollars.text(usd)) at the run's tier prices")
            } ?? TraceListRenderer.Cost(TraceCost(summary: trace.summary, prices: prices))
            writeSummary(trace.summary, feedback: feedback[trace.summary.traceID] ?? [], cost: cost, block: i / tracesPerBlock, to: &w)
        }
        w.raw("],\"sessions\":[")
        writeSessions(traces.map(\.summary), facts: sessions, feedback: feedback, to: &w)
        w.raw("],\"spanBlocks\":[")
        for (i, block) in blocks.enumerated() {
            if i > 0 { w.byte(UInt8(ascii: ",")) }
            w.raw("{\"encoding\":\"gzip-base64\",\"data\":\"")
            w.bytes += block
            w.raw("\"}")
        }
        w.raw("]}")
        return w.bytes
    }

    /// Each block's spans as JSON, gzipped and base64-encoded, built on all cores.
    private func compressedBlocks(_ traces: [StoredTrace], prices: PriceTable) throws -> [[UInt8]] {
        let count = (traces.count + tracesPerBlock - 1) / tracesPerBlock
        let results = BlockResults(count: count)
        let perBlock = tracesPerBlock
        DispatchQueue.concurrentPerform(iterations: count) { b in
            let slice = traces[(b * perBlock)..<min(traces.count, (b + 1) * perBlock)]
            var w = JSONWriter(capacity: 1 << 20)
            w.byte(UInt8(ascii: "["))
            for (i, trace) in slice.enumerated() {
                if i > 0 { w.byte(UInt8(ascii: ",")) }
                w.raw("{\"traceId\":")
                w.string(trace.summary.traceID.description)
                if trace.summary.sessionID != nil {
                    w.raw(",\"turn\":")
                    BrowseTurn(trace, prices: prices).write(to: &w)
                }
                w.raw(",\"spans\":[")
                for (j, span) in trace.spans.enumerated() {
                    if j > 0 { w.byte(UInt8(ascii: ",")) }
                    // The page draws a conversation from its messages: the same text as plain input/output would only add weight.
                    SpanJSON.write(span, textWithMessages: false, prices: prices, to: &w)
                }
                w.raw("]}")
            }
            w.byte(UInt8(ascii: "]"))
            results.set(b, Result { () throws -> [UInt8] in
                var input = ByteBuffer(bytes: w.bytes)
                let compressed = try input.compress(with: .gzip(configuration: .init(compressionLevel: .compressionLevel4)))
                return Array(Data(compressed.readableBytesView).base64EncodedString().utf8)
            })
        }
        return try results.values()
    }

    private func writeSummary(_ t: TraceSummary, feedback: [StoredFeedback], cost: TraceListRenderer.Cost, block: Int, to w: inout JSONWriter) {
        TraceListRenderer.write(t, cost: cost, to: &w) { w in
            w.raw(",\"feedback\":[")
            for (i, item) in feedback.filter({ $0.isCurrent && $0.feedback.sessionID == nil }).enumerated() {
                if i > 0 { w.byte(UInt8(ascii: ",")) }
                Self.pageFeedback(item.feedback).write(to: &w)
            }
            w.raw("],\"spanBlock\":")
            w.integer(block)
        }
    }

    /// One object per session among `traces` that says what the page cannot derive from them, in the
    /// order each first appears: its id, first trace, trace count and current feedback, from `facts` or
    /// else from its traces in the file. A session whose traces are all in the file and which has no
    /// feedback is left out.
    private func writeSessions(_ traces: [TraceSummary], facts: [String: SessionFacts], feedback: [TraceID: [StoredFeedback]],
                               to w: inout JSONWriter) {
        var order: [String] = []
        var members: [String: [TraceSummary]] = [:]
        for t in traces {
            guard let id = t.sessionID else { continue }
            if members[id] == nil { order.append(id) }
            members[id, default: []].append(t)
        }
        var written = 0
        for id in order {
            let derived = SessionFacts(id: id, traces: members[id]!, feedback: feedback)
            let f = facts[id] ?? derived
            guard f.firstTraceID != derived.firstTraceID || f.traceCount != derived.traceCount || f.feedback.contains(where: \.isCurrent) else { continue }
            if written > 0 { w.byte(UInt8(ascii: ",")) }
            written += 1
            w.raw("{\"id\":")
            w.string(id)
            w.raw(",\"firstTraceId\":")
            w.string(f.firstTraceID.description)
            w.raw(",\"traceCount\":")
            w.integer(f.traceCount)
            w.raw(",\"feedback\":[")
            for (j, item) in f.feedback.filter(\.isCurrent).enumerated() {
                if j > 0 { w.byte(UInt8(ascii: ",")) }
                Self.pageFeedback(item.feedback).write(to: &w)
            }
            w.raw("]}")
        }
    }

    /// Feedback in the page's shape (DATA-FORMAT.md §2): a JSON correction travels as its JSON text.
    static func pageFeedback(_ f: Feedback) -> JSONValue {
        let correction: JSONValue = switch f.correction {
        case nil: .null
        case .text(let s)?: .string(s)
        case .json(let s)?: .string(s)
        }
        return .object([
            ("id", .string(f.id.rawValue)), ("spanId", f.spanID.map { .string($0.description) } ?? .null),
            ("rating", f.rating.map { .string($0.rawValue) } ?? .null), ("flagged", .bool(f.needsReview)),
            ("scores", .object(f.scores.keys.sorted().map { ($0, FeedbackJSON.number(f.scores[$0]!)) })),
            ("labels", .object(f.labels.keys.sorted().map { ($0, .string(f.labels[$0]!)) })),
            ("correction", correction), ("comment", f.comment.map(JSONValue.string) ?? .null),
            ("author", .string(f.author)), ("source", .string(f.source.rawValue)),
            ("time", .string(DisplayFormat.timestamp(nanos: f.timeUnixNano))),
        ])
    }
}

/// Results of the parallel block builds.
private final class BlockResults: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<[UInt8], any Error>?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ r: Result<[UInt8], any Error>) { lock.withLock { slots[i] = r } }

    func values() throws -> [[UInt8]] { try lock.withLock { try slots.map { try $0!.get() } } }
}
