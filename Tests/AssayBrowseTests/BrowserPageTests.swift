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

@Suite("The browser's sessions")
struct BrowserSessionTests {
    /// A trace of one span in session `session`, starting at `start` seconds, with root attributes `extra`.
    static func turn(_ n: UInt64, session: String?, start: UInt64, input: String? = nil, output: String? = nil,
                     extra: [Attribute] = [], calls: [Int64] = [], tools: [String] = [], userMessage: String? = nil) -> [Span] {
        let id = TraceID(high: 0, low: n)!
        var attributes = extra + [Attribute("gen_ai.operation.name", .string("invoke_agent"))]
        if let session { attributes.append(Attribute("gen_ai.conversation.id", .string(session))) }
        if let input { attributes.append(Attribute("input.value", .string(input))) }
        if let output { attributes.append(Attribute("output.value", .string(output))) }
        let t = start * 1_000_000_000
        var spans = [Span(traceID: id, spanID: SpanID(n << 8)!, name: "agent", startTimeUnixNano: t, endTimeUnixNano: t + 9_000_000, attributes: attributes)]
        for (k, tokens) in calls.enumerated() {
            var call = [Attribute("gen_ai.operation.name", .string("chat")), Attribute("gen_ai.usage.input_tokens", .int(tokens))]
            if let userMessage, k == 0 {
                let messages = [["role": "user", "parts": [["type": "text", "content": userMessage]]]]
                let json = String(decoding: (try? JSONSerialization.data(withJSONObject: messages)) ?? Data(), as: UTF8.self)
                call.append(Attribute("gen_ai.input.messages", .string(json)))
            }
            spans.append(Span(traceID: id, spanID: SpanID(n << 8 + UInt64(k) + 1)!, parentSpanID: SpanID(n << 8)!, name: "chat",
                              startTimeUnixNano: t + UInt64(k + 1) * 1000, endTimeUnixNano: t + UInt64(k + 1) * 1000 + 500, attributes: call))
        }
        for (k, tool) in tools.enumerated() {
            spans.append(Span(traceID: id, spanID: SpanID(n << 8 + UInt64(k) + 100)!, parentSpanID: SpanID(n << 8)!, name: "execute_tool \(tool)",
                              startTimeUnixNano: t + 5000 + UInt64(k), endTimeUnixNano: t + 6000, attributes: [
                                  Attribute("gen_ai.operation.name", .string("execute_tool")), Attribute("gen_ai.tool.name", .string(tool))]))
        }
        return spans
    }

    static func store(_ traces: [[Span]]) throws -> InMemoryTraceStore {
        let store = InMemoryTraceStore()
        let batch = IngestBatch(TracesData(resourceSpans: [ResourceSpans(scopeSpans: [ScopeSpans(spans: traces.flatMap { $0 })])]))
        _ = try store.write { try $0.write(batch) }
        return store
    }

    static func document(_ json: [UInt8]) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any])
    }

    /// The block entries of a document, by trace id.
    static func entries(_ document: [String: Any]) throws -> [String: [String: Any]] {
        var out: [String: [String: Any]] = [:]
        for block in try #require(document["spanBlocks"] as? [[String: String]]) {
            var compressed = ByteBuffer(bytes: [UInt8](try #require(Data(base64Encoded: block["data"] ?? ""))))
            let plain = try compressed.decompress(with: .gzip())
            for entry in try #require(try JSONSerialization.jsonObject(with: Data(plain.readableBytesView)) as? [[String: Any]]) {
                out[try #require(entry["traceId"] as? String)] = entry
            }
        }
        return out
    }

    @Test("writes a turn beside each session trace's spans: the interrupt asked, the decision a resume carried, tools and context tokens, not the root's own input and output")
    func turns() throws {
        let ask = #"{"interrupt":{"id":"draft-1","kind":"approval","message":"Send it?","draft":"Hi"}}"#
        let store = try Self.store([
            Self.turn(1, session: "s", start: 10, input: "Draft a reply", output: ask,
                      extra: [Attribute("assay.turn", .int(1)), Attribute("assay.exchange", .string("message"))], calls: [120, 90], tools: ["calendar"]),
            Self.turn(2, session: "s", start: 20, input: #"{"interrupt_id":"draft-1","decision":"edit","text":"Hi Ana"}"#, output: "Sent.",
                      extra: [Attribute("assay.turn", .int(1)), Attribute("assay.exchange", .string("resume")), Attribute("assay.decision", .string("edit"))],
                      calls: [260]),
            Self.turn(3, session: "s", start: 30, calls: [70], userMessage: String(repeating: "é", count: 20_005)),
            Self.turn(4, session: nil, start: 40, input: "no session", output: "ok"),
        ])
        let ids = (1...4).map { TraceID(high: 0, low: $0)! }
        let document = try Self.document(try BrowseDocument().json(title: "T", generatedAt: Date(timeIntervalSince1970: 0), traces: try store.traces(ids)))
        let entries = try Self.entries(document)
        let first = try #require(entries[ids[0].description]?["turn"] as? [String: Any])
        #expect(first["number"] as? Int == 1 && first["exchange"] as? String == "message")
        #expect(first["input"] == nil && first["answer"] == nil, "the root span's own input and output are read from its span")
        let interrupt = try #require(first["interrupt"] as? [String: Any])
        #expect(interrupt["id"] as? String == "draft-1" && interrupt["kind"] as? String == "approval" && interrupt["message"] as? String == "Send it?")
        #expect(first["decision"] is NSNull && first["tools"] as? [String] == ["calendar"] && first["contextTokens"] as? Int == 120)
        let second = try #require(entries[ids[1].description]?["turn"] as? [String: Any])
        #expect(second["exchange"] as? String == "resume" && second["interrupt"] is NSNull)
        #expect(second["decision"] as? [String: String] == ["decision": "edit", "text": "Hi Ana"])
        let third = try #require(entries[ids[2].description]?["turn"] as? [String: Any])
        #expect((third["input"] as? String)?.count == BrowseTurn.textLimit && third["inputCut"] as? Bool == true, "a user message is written, cut")
        #expect(third["answer"] is NSNull && third["answerCut"] as? Bool == false && third["contextTokens"] as? Int == 70)
        #expect(third["number"] is NSNull && third["exchange"] is NSNull)
        #expect(entries[ids[3].description]?["turn"] == nil, "a trace outside a session has no turn")
        #expect((document["sessions"] as? [Any])?.isEmpty == true, "the page derives a session whose traces are all in the file and which has no feedback")
    }

    @Test("reads a resume's decision from the input when the root carries no assay.decision")
    func resumeInput() {
        let wrapped = SessionTurn.resume(in: #"{"conversation_id":"c","turn":1,"resume":{"interrupt_id":"d","decision":"reject","text":"no"}}"#)
        #expect(wrapped?["decision"]?.string == "reject" && wrapped?["text"]?.string == "no")
        let bare = SessionTurn.resume(in: #"{"interrupt_id":"d","decision":"approve"}"#)
        #expect(bare?["decision"]?.string == "approve" && bare?["text"] == nil)
        #expect(SessionTurn.resume(in: "approve it") == nil)
        #expect(SessionTurn.resume(in: #"{"question":"which day?"}"#) == nil)
    }

    @Test("names each session's first trace and writes feedback on the whole session with the session, not the trace")
    func sessionFeedback() throws {
        let store = try Self.store([Self.turn(1, session: "s", start: 10), Self.turn(2, session: "s", start: 20), Self.turn(3, session: "s", start: 30)])
        let ids = (1...3).map { TraceID(high: 0, low: $0)! }
        try store.add([
            Feedback(traceID: ids[0], rating: .down, author: "ana", source: .human, timeUnixNano: 1),
            Feedback(traceID: ids[0], sessionID: "s", rating: .up, needsReview: true, author: "ana", source: .human, timeUnixNano: 2),
        ])
        let feedback = try store.feedback(for: ids)
        let whole = try Self.document(try BrowseDocument().json(title: "T", generatedAt: Date(timeIntervalSince1970: 0), traces: try store.traces(ids), feedback: feedback))
        let session = try #require((whole["sessions"] as? [[String: Any]])?.first)
        #expect(session["id"] as? String == "s" && session["firstTraceId"] as? String == ids[0].description && session["traceCount"] as? Int == 3)
        #expect((session["feedback"] as? [[String: Any]])?.map { $0["rating"] as? String } == ["up"])
        let first = try #require((whole["traces"] as? [[String: Any]])?.first { $0["traceId"] as? String == ids[0].description })
        #expect((first["feedback"] as? [[String: Any]])?.map { $0["rating"] as? String } == ["down"], "the session's review stays off the trace")

        // Filters left the first turn out of the file: the store still names it and its session feedback.
        let summaries = try store.traces(matching: TraceQuery(limit: 2))
        #expect(Set(summaries.map(\.traceID)) == Set(ids[1...]))
        let listed = try store.feedback(for: summaries.map(\.traceID))
        let facts = try BrowseDocument.sessionFacts(for: summaries, feedback: listed, in: store)
        let partial = try Self.document(try BrowseDocument().json(title: "T", generatedAt: Date(timeIntervalSince1970: 0),
                                                                  traces: try store.traces(summaries.map(\.traceID)), feedback: listed, sessions: facts))
        let later = try #require((partial["sessions"] as? [[String: Any]])?.first)
        #expect(later["firstTraceId"] as? String == ids[0].description && later["traceCount"] as? Int == 3)
        #expect((later["feedback"] as? [[String: Any]])?.map { $0["flagged"] as? Bool } == [true])
    }
}
