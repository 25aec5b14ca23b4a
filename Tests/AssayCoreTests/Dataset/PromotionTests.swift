import Testing
@testable import AssayCore

@Suite("Promotion into datasets")
struct PromotionTests {
    let components = [Promotion.Component(name: "triage", selector: try! SpanSelector.parse("op=chat first")),
                      Promotion.Component(name: "kb", selector: try! SpanSelector.parse("op=retrieval")),
                      Promotion.Component(name: "tools", selector: try! SpanSelector.parse("op=tool"))]

    func promote(_ feedback: [Feedback], time: String = "2026-11-21T10:00:00.000Z") throws -> DatasetExample {
        let store = try agentStore()
        if !feedback.isEmpty { try store.add(feedback) }
        let trace = try #require(try store.trace(traceID(1)))
        let result = Promotion(components: components, tags: ["prod"], time: time)
            .examples(from: [(trace, try store.feedback(for: [traceID(1)])[traceID(1)] ?? [])])
        return try #require(result.examples.first)
    }

    func fb(span: UInt64? = nil, _ rating: Rating? = nil, correction: Correction? = nil, flag: Bool = false, time: UInt64 = 1) -> Feedback {
        Feedback(traceID: traceID(1), spanID: span.flatMap { SpanID($0) }, rating: rating, correction: correction, needsReview: flag,
                 author: "ana", source: .human, timeUnixNano: time)
    }

    @Test("a correction becomes the expected output, and the id is a hash of the input")
    func correction() throws {
        let e = try promote([fb(.down, correction: .text("Refunds take 5 days."), flag: true)])
        #expect(e.expected?.string == "Refunds take 5 days.")
        #expect(e.status == .ready)
        #expect(e.id == DatasetExample.id(forInput: .string("Where is my refund?")) && e.id.count == 16)
        #expect(e.provenance?.feedbackIDs.count == 1 && e.provenance?.traceID == traceID(1).description)
    }

    @Test("positive feedback makes the observed output and components expected")
    func positive() throws {
        let e = try promote([fb(.up)])
        #expect(e.expected?.string == "It is on its way.")
        #expect(e.components["triage"]?.expected?.string == "refund")
        #expect(e.components["kb"]?.expected?.compactJSON == #"["kb-7","kb-2"]"#)
        #expect(e.components["tools"]?.expected?.compactJSON == #"[{"name":"lookup_order","arguments":{"order":"A-1"}}]"#)
    }

    @Test("negative feedback without a correction needs an expected value, never an invented one")
    func negative() throws {
        for items in [[fb(.down)], [fb(flag: true)], [], [fb(.up), Feedback(traceID: traceID(1), rating: .down, author: "ben", source: .human, timeUnixNano: 2)]] {
            let e = try promote(items)
            #expect(e.expected == nil && e.status == .needsExpected)
            #expect(e.components.values.allSatisfy { $0.expected == nil })
            #expect(DatasetLine.encode(e).contains(#""expected":null,"status":"needs_expected""#))
        }
    }

    @Test("a span correction sets that component's expected value")
    func componentCorrection() throws {
        let e = try promote([fb(span: 2, .down, correction: .text("billing"))])
        #expect(e.components["triage"]?.expected?.string == "billing")
        #expect(e.expected == nil, "the trace itself has no verdict")
    }

    @Test("promoting again changes nothing; a new correction updates the line in place keeping its first time")
    func merge() throws {
        let first = try promote([fb(.down, correction: .text("A"))], time: "2026-11-21T10:00:00.000Z")
        let (once, c1) = DatasetMerge.merge(existing: [], promoted: [first], time: "t1")
        #expect(c1.added == [first.id])
        let same = try promote([fb(.down, correction: .text("A"))], time: "2026-11-22T10:00:00.000Z")
        let (twice, c2) = DatasetMerge.merge(existing: once, promoted: [same], time: "t2")
        #expect(c2.isEmpty && DatasetMerge.text(twice) == DatasetMerge.text(once))
        let fixed = try promote([fb(.down, correction: .text("A")), fb(.down, correction: .text("B"), time: 5)], time: "2026-11-23T10:00:00.000Z")
        let (thrice, c3) = DatasetMerge.merge(existing: twice, promoted: [fixed], time: "2026-11-23T10:00:00.000Z")
        #expect(c3.updated == [first.id])
        #expect(thrice[0].expected?.string == "B")
        #expect(thrice[0].provenance?.promotedAt == "2026-11-21T10:00:00.000Z")
        #expect(thrice[0].provenance?.updatedAt == "2026-11-23T10:00:00.000Z")
    }

    @Test("a promoted example whose input a hand-written example already has is skipped and named, not added twice")
    func duplicateInput() throws {
        let promoted = try promote([fb(.down, correction: .text("A"))])
        let (handWritten, _) = DatasetParser.parse(#"{"id":"hand-1","input":"# + promoted.input.compactJSON + #","expected":"A","status":"ready"}"# + "\n", source: "d.jsonl")
        #expect(handWritten.count == 1)
        let (merged, changes) = DatasetMerge.merge(existing: handWritten, promoted: [promoted], time: "t")
        #expect(merged.map(\.id) == ["hand-1"] && changes.isEmpty)
        #expect(changes.duplicates == [DatasetTools.Duplicate(id: promoted.id, sameAs: "hand-1")])
        #expect(DatasetTools.duplicateInputs(handWritten + [promoted]) == [DatasetTools.Duplicate(id: promoted.id, sameAs: "hand-1")])
    }

    @Test("an example is ready only when its component cases have their expected values too")
    func readiness() {
        let (examples, problems) = DatasetParser.parse(#"{"id":"a","input":"x","expected":"y","status":"ready","components":{"t":{"selector":"op=chat","expected":null,"status":"needs_expected"}}}"# + "\n", source: "d.jsonl")
        #expect(problems.isEmpty, "\(problems)")
        #expect(examples.first?.status == .ready && examples.first?.needsAnyExpected == true)
    }

    @Test("lines have a fixed key order and read back to the same bytes")
    func roundTrip() throws {
        let e = try promote([fb(.up)])
        let line = DatasetLine.encode(e)
        #expect(line.hasPrefix(#"{"id":""#))
        let keys = ["\"input\":", "\"expected\":", "\"status\":", "\"components\":", "\"metadata\":", "\"provenance\":"]
        let positions = keys.compactMap { line.range(of: $0)?.lowerBound }
        #expect(positions.count == keys.count && positions == positions.sorted())
        let (parsed, problems) = DatasetParser.parse(line + "\n", source: "d.jsonl")
        #expect(problems.isEmpty)
        #expect(parsed.map(DatasetLine.encode) == [line])
    }
}

@Suite("Dataset files")
struct DatasetParserTests {
    @Test("validate reports every problem as file:line: path: problem")
    func problems() {
        let text = """
            {"id":"a","input":"x","expected":"y","status":"ready"}
            {"id":"a","input":"x2","expected":"y"}
            not json
            {"id":"b","input":"x","status":"ready"}
            {"id":"c","input":"x","expected":"y","status":"needs_expected"}
            {"id":"d/e","input":"x","expcted":"y"}
            {"id":"f","input":"x","components":{"t":{"selector":"op=banana","expected":null}}}

            {"input":"x"}

            """
        let (examples, problems) = DatasetParser.parse(text, source: "Datasets/s.jsonl")
        let lines = problems.map(\.description)
        #expect(examples.map(\.id) == ["a"])
        #expect(lines.contains("Datasets/s.jsonl:2: id: duplicate id a (first on line 1)"))
        #expect(lines.contains { $0.hasPrefix("Datasets/s.jsonl:3: ") && $0.contains("not valid JSON") })
        #expect(lines.contains("Datasets/s.jsonl:4: expected: status is ready but expected is missing or null"))
        #expect(lines.contains("Datasets/s.jsonl:5: status: is needs_expected but an expected value is given"))
        #expect(lines.contains { $0.hasPrefix("Datasets/s.jsonl:6: expcted: unknown key") })
        #expect(lines.contains { $0.hasPrefix("Datasets/s.jsonl:6: id: expected 1 to 64") })
        #expect(lines.contains { $0.hasPrefix("Datasets/s.jsonl:7: components.t.selector: ") && $0.contains("unknown operation") })
        #expect(lines.contains("Datasets/s.jsonl:8: blank line (one example per line, no blank lines)"))
        #expect(lines.contains("Datasets/s.jsonl:9: id: missing"))
    }

    @Test("names that would leave Datasets/ are refused", arguments: ["../x", "a/b", "/etc/passwd", ".hidden", "Datasets/../x.jsonl", "", "a..b"])
    func badNames(name: String) {
        #expect(throws: AssayError.self) { try DatasetFolder().file(for: name) }
    }

    @Test("names and paths inside Datasets/ resolve to the same file", arguments: ["support", "support.jsonl", "Datasets/support.jsonl", "./Datasets/support.jsonl"])
    func goodNames(name: String) throws {
        #expect(try DatasetFolder().file(for: name).path == "Datasets/support.jsonl")
    }

    @Test("a split is reproducible from its seed and partitions the examples")
    func split() {
        let examples = (0..<50).map { DatasetExample(id: "e\($0)", input: .string("\($0)"), expected: .string("y"), components: [:], metadata: .object([]), provenance: nil) }
        let a = DatasetTools.split(examples, testFraction: 0.2, seed: 7)
        let b = DatasetTools.split(examples.reversed(), testFraction: 0.2, seed: 7)
        let c = DatasetTools.split(examples, testFraction: 0.2, seed: 8)
        #expect(a.test.count == 10 && a.train.count == 40)
        #expect(a.test.map(\.id) == b.test.map(\.id))
        #expect(a.test.map(\.id) != c.test.map(\.id))
        #expect(Set(a.test.map(\.id)).union(a.train.map(\.id)).count == 50)
    }

    @Test("CSV export quotes fields and defuses spreadsheet formulas")
    func csv() {
        let e = DatasetExample(id: "x", input: .string("=HYPERLINK(\"http://evil\")"), expected: .string("a,b\n\"c\""), components: [:],
                               metadata: .object([]), provenance: nil)
        let text = DatasetTools.csv([e])
        #expect(text == "id,status,input,expected,components,trace_id,promoted_at,turns\r\nx,ready,\"'=HYPERLINK(\"\"http://evil\"\")\",\"a,b\n\"\"c\"\"\",,,,\r\n")
    }
}
