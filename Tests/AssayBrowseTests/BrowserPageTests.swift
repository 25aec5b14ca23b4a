import AssayCore
import AssayOTLP
import CompressNIO
import Foundation
import NIOCore
import Testing
@testable import AssayBrowse

@Suite("The trace browser page")
struct BrowserPageTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("compiles the page into the binary byte for byte")
    func embeddedTemplate() throws {
        let file = try String(contentsOf: Self.packageRoot.appendingPathComponent("Sources/AssayBrowse/Page/Resources/browser.html"), encoding: .utf8)
        #expect(BrowserPage.template == file)
    }

    @Test("keeps hostile titles and data inert: no closing script, no placeholder injection")
    func escaping() throws {
        let data = Array(#"{"title":"</script><script>alert(1)</script>","x":"{{ASSAY_TITLE}} & \#u{2028}"}"#.utf8)
        let page = String(decoding: try BrowserPage.render(title: "t {{ASSAY_DATA}} </title><b>\u{202E}x\u{1B}", dataJSON: data), as: UTF8.self)
        #expect(page.components(separatedBy: "{{ASSAY_DATA}}").count == 2, "the title's placeholder text stays text, once")
        #expect(page.contains("<title>t {{ASSAY_DATA}} &lt;/title&gt;&lt;b&gt;x</title>"))
        let script = try #require(page.range(of: #"<script type="application/json" id="assay-data">"#))
        let body = page[script.upperBound...].prefix { $0 != "<" }
        #expect(body.contains(#"\u003c/script\u003e"#))
        #expect(body.contains(#"\u0026"#) && body.contains(#"\u2028"#))
        #expect(body.contains("{{ASSAY_TITLE}}"))
    }

    @Test("refuses a template whose placeholders are missing or doubled")
    func badTemplate() {
        #expect(throws: BrowserPage.TemplateError.self) { try BrowserPage.render(template: "<title>{{ASSAY_TITLE}}</title>", title: "", dataJSON: []) }
        #expect(throws: BrowserPage.TemplateError.self) {
            try BrowserPage.render(template: "{{ASSAY_TITLE}}{{ASSAY_DATA}}{{ASSAY_DATA}}", title: "", dataJSON: [])
        }
    }

    @Test("writes summaries inline and every span in gzip blocks the page can open")
    func dataDocument() throws {
        let records = try ["python-sdk.jsonl", "genai-structured.json", "openinference.json"].map {
            try Data(contentsOf: Self.packageRoot.appendingPathComponent("Tests/AssayTestSupport/Fixtures/otlp/\($0)"))
        }
        let store = InMemoryTraceStore()
        for bytes in records { _ = try Ingestor(store: store).ingest(.bytes(name: "f", [UInt8](bytes))) }
        let summaries = try store.traces(matching: TraceQuery(limit: 100))
        var builder = BrowseDocument()
        builder.tracesPerBlock = 2
        let json = try builder.json(title: "T", generatedAt: Date(timeIntervalSince1970: 0), traces: try store.traces(summaries.map(\.traceID)))
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any])
        let traces = try #require(document["traces"] as? [[String: Any]])
        #expect(traces.count == summaries.count && traces.count == 4)
        #expect(traces.map { $0["traceId"] as? String } == summaries.map(\.traceID.description))
        let blocks = try #require(document["spanBlocks"] as? [[String: String]])
        #expect(blocks.count == 2)
        var spanCount = 0
        for (b, block) in blocks.enumerated() {
            #expect(block["encoding"] == "gzip-base64")
            var compressed = ByteBuffer(bytes: [UInt8](try #require(Data(base64Encoded: block["data"] ?? ""))))
            let plain = try compressed.decompress(with: .gzip())
            let entries = try #require(try JSONSerialization.jsonObject(with: Data(plain.readableBytesView)) as? [[String: Any]])
            for entry in entries {
                let trace = try #require(traces.first { $0["traceId"] as? String == entry["traceId"] as? String })
                #expect(trace["spanBlock"] as? Int == b)
                let spans = try #require(entry["spans"] as? [[String: Any]])
                #expect(spans.count == trace["spanCount"] as? Int)
                spanCount += spans.count
                for span in spans {
                    let keys = (span["attributes"] as? [[String: String]] ?? []).compactMap { $0["key"] }
                    #expect(!keys.contains("gen_ai.input.messages") && !keys.contains { $0.hasPrefix("llm.input_messages.") })
                }
            }
        }
        #expect(spanCount == summaries.reduce(0) { $0 + Int($1.spanCount) })
    }
}

@Suite("The browser's feedback")
struct BrowserFeedbackTests {
    @Test("carries each trace's current feedback in the page's shape; superseded reviews stay out")
    func feedback() throws {
        let store = InMemoryTraceStore()
        let id = TraceID(high: 0, low: 7)!
        let batch = IngestBatch(TracesData(resourceSpans: [ResourceSpans(scopeSpans: [ScopeSpans(spans: [Span(traceID: id, spanID: SpanID(1)!, name: "root")])])]))
        _ = try store.write { try $0.write(batch) }
        try store.add([
            Feedback(traceID: id, rating: .down, needsReview: true, author: "ana", source: .human, timeUnixNano: 1),
            Feedback(traceID: id, spanID: SpanID(1)!, scores: ["acc": 0.5], labels: ["__proto__": "x"], correction: .json(#"{"a":1}"#),
                     comment: "</script>", author: "judge", source: .model, timeUnixNano: 2),
            Feedback(traceID: id, rating: .up, author: "ana", source: .human, timeUnixNano: 3),
        ])
        let json = try BrowseDocument().json(title: "T", generatedAt: Date(timeIntervalSince1970: 0), traces: try store.traces([id]),
                                             feedback: try store.feedback(for: [id]))
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any])
        let trace = try #require((document["traces"] as? [[String: Any]])?.first)
        let items = try #require(trace["feedback"] as? [[String: Any]])
        #expect(items.count == 2)
        #expect(items.map { $0["rating"] as? String } == [nil, "up"])
        #expect(items[0]["correction"] as? String == #"{"a":1}"#)
        #expect(items[0]["spanId"] as? String == "0000000000000001")
        #expect((items[0]["scores"] as? [String: Double])?["acc"] == 0.5)
        #expect(items[0]["source"] as? String == "model")
    }
}

@Suite("The browser's costs")
struct BrowserCostTests {
    @Test("carries a run trace's cost and leaves other traces' cost null")
    func costs() throws {
        let store = InMemoryTraceStore()
        let a = TraceID(high: 0, low: 1)!, b = TraceID(high: 0, low: 2)!
        let batch = IngestBatch(TracesData(resourceSpans: [ResourceSpans(scopeSpans: [ScopeSpans(spans: [
            Span(traceID: a, spanID: SpanID(1)!, name: "cell"), Span(traceID: b, spanID: SpanID(2)!, name: "production"),
        ])])]))
        _ = try store.write { try $0.write(batch) }
        let json = try BrowseDocument().json(title: "T", generatedAt: Date(timeIntervalSince1970: 0), traces: try store.traces([a, b]), costs: [a: 0.0125])
        let traces = try #require((try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any])?["traces"] as? [[String: Any]])
        #expect(traces.first { $0["traceId"] as? String == a.description }?["costUSD"] as? Double == 0.0125)
        #expect(traces.first { $0["traceId"] as? String == b.description }?["costUSD"] is NSNull)
    }
}
