import Testing
@testable import AssayCore
import AssayTestSupport

@Suite("Terminal output")
struct RenderTests {
    @Test("formats durations with a fitting unit", arguments: [
        (UInt64(850), "850 ns"), (12_300, "12.3 µs"), (320_000_000, "320 ms"), (1_520_000_000, "1.52 s"), (125_000_000_000, "2m05s"),
    ])
    func durations(nanos: UInt64, text: String) {
        #expect(DisplayFormat.duration(nanos: nanos) == text)
    }

    @Test("formats timestamps from integer nanoseconds in UTC")
    func timestamps() {
        #expect(DisplayFormat.timestamp(nanos: 1_700_000_000_123_456_789) == "2023-11-14T22:13:20.123Z")
    }

    @Test("makes trace text safe for a terminal: escapes, bidi overrides and NUL are shown, not obeyed")
    func safeText() {
        #expect(DisplayFormat.safe("a\u{1B}[31mred\u{0}\u{202E}x") == "a\\u{1b}[31mred\\u{0}\\u{202e}x")
        #expect(DisplayFormat.safe(String(repeating: "y", count: 100), limit: 10) == String(repeating: "y", count: 10) + "…")
    }

    @Test("parses durations before now and ISO times")
    func timeBounds() throws {
        let now = Date(timeIntervalSince1970: 1_000_000)
        #expect(TimeBound.parse("2h", now: now) == (1_000_000 - 7200) * 1_000_000_000)
        #expect(TimeBound.parse("2026-11-21T10:00:00Z") == 1_795_255_200_000_000_000)
        #expect(TimeBound.parse("2026-11-21") == 1_795_219_200_000_000_000)
        #expect(TimeBound.parse("yesterday") == nil)
    }

    @Test("draws the span tree with orphans at the top level and marked")
    func tree() throws {
        let spans = [Span.stub(id: 1, name: "root", start: 1), .stub(id: 2, parent: 1, name: "a", start: 2), .stub(id: 3, parent: 2, name: "a1", start: 3),
                     .stub(id: 4, parent: 1, name: "b", start: 4), .stub(id: 5, parent: 99, name: "lost", start: 5)]
        let stored = spans.map { StoredSpan(span: $0, summary: SpanSummary(span: $0)) }
        let summary = TraceSummary(traceID: spans[0].traceID, spans: spans.map { ($0, SpanSummary(span: $0)) })
        let lines = TraceTreeRenderer.text(StoredTrace(summary: summary, spans: stored)).split(separator: "\n").map(String.init)
        let body = Array(lines.drop { !$0.hasPrefix("root") })
        let expected = ["root", "├─ a", "│  └─ a1", "└─ b", "lost"]
        #expect(body.count == expected.count)
        #expect(zip(body, expected).allSatisfy { $0.hasPrefix($1 + "  ") }, "\(body)")
        #expect(body.last?.contains("(parent 0000000000000063 not received)") == true)
    }

    @Test("a top span whose parent its exporter marked remote says so, and names the trace")
    func remoteParent() throws {
        var top = Span.stub(id: 5, parent: 99, name: "POST /reply", start: 1)
        top.flags = 0x301
        let spans = [top, .stub(id: 6, parent: 5, name: "chat m", start: 2)]
        let summary = TraceSummary(traceID: top.traceID, spans: spans.map { ($0, SpanSummary(span: $0)) })
        #expect(summary.rootName == "POST /reply" && summary.rootKind == .remoteParent)
        let text = TraceTreeRenderer.text(StoredTrace(summary: summary, spans: spans.map { StoredSpan(span: $0, summary: SpanSummary(span: $0)) }))
        #expect(text.contains("POST /reply") && text.contains("(remote parent 0000000000000063: in the calling service, not received)"))
    }
}

import Foundation
