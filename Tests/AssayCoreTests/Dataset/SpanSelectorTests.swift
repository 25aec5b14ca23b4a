import Testing
@testable import AssayCore

@Suite("Span selectors")
struct SpanSelectorTests {
    let trace = try! agentStore().trace(traceID(1))!

    @Test("selects by operation, name glob, tool, model, attribute, root and position", arguments: [
        ("op=chat", ["chat classify"]),
        ("name=*kb", ["retrieval kb"]),
        ("op=tool tool=lookup_*", ["execute_tool lookup_order"]),
        ("model=small", ["chat classify"]),
        ("attr.gen_ai.tool.name=lookup_order", ["execute_tool lookup_order"]),
        ("root", ["invoke_agent support"]),
        ("name=* first", ["invoke_agent support"]),
        ("name=* last", ["execute_tool lookup_order"]),
        ("name=* nth=2", ["chat classify"]),
        ("name=* nth=9", []),
        ("op=embeddings", []),
        (#"name="chat classify""#, ["chat classify"]),
    ])
    func select(selector: String, names: [String]) throws {
        let s = try SpanSelector.parse(selector)
        #expect(s.select(in: trace).map(\.span.name) == names)
        #expect(try SpanSelector.parse(s.description) == s, "the canonical text reads back")
    }

    @Test("explains bad selectors with the column of the clause", arguments: [
        ("", "empty selector"),
        ("op=banana", "unknown operation 'banana'"),
        ("first last", "more than one of first"),
        ("nth=0", "nth= needs a whole number"),
        ("colour=red", "unknown clause 'colour'"),
        (#"name="open"#, "unclosed quote"),
        ("attr.x", "needs =VALUE"),
    ])
    func errors(selector: String, message: String) {
        #expect { try SpanSelector.parse(selector) } throws: { ($0 as? SelectorError)?.message.contains(message) == true }
    }
}
