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

    @Test("prints a canonical text that parses back to the same selector", arguments: [
        (SpanSelector(conditions: []), "all"),
        (SpanSelector(conditions: [.name("a,b")]), #"name="a,b""#),
        (SpanSelector(conditions: [.tool("'x")]), #"tool="'x""#),
        (SpanSelector(conditions: [.model(#"say "hi"\now"#)], position: .first), #"model="say \"hi\"\\now" first"#),
        (SpanSelector(conditions: [.attribute(key: "my key", value: "")], position: .nth(3)), #"attr."my key"="" nth=3"#),
        (SpanSelector(conditions: [.attribute(key: "k=v", value: "a=b")]), #"attr."k=v"="a=b""#),
        (SpanSelector(conditions: [.name("\u{301}x"), .root], position: .last), "name=\u{301}x root last"),
        (SpanSelector(conditions: [.operation(.tool), .name("classify*")]), "op=tool name=classify*"),
    ])
    func canonical(selector: SpanSelector, text: String) throws {
        #expect(selector.description == text)
        #expect(try SpanSelector.parse(text) == selector)
    }

    @Test("every selector reads back from its own text (seeded, 5,000 selectors)")
    func roundTrip() throws {
        // Scalars that separate, quote, escape, glob, or join the scalar before them into one character.
        let alphabet: [Unicode.Scalar] = ["a", "Z", "0", "_", ".", "*", "?", "[", "]", "-", " ", "\t", ",", "=", "\"", "'", "\\", "\n", "\r",
                                          "é", "漢", "🙂", "\u{301}", "\u{600}", "\u{200D}", "\u{A0}", "\u{2028}", "\u{1F1FA}", "\u{1100}", "\u{1161}"]
        var rng = SplitMix64(seed: 7)
        func text(nonEmpty: Bool) -> String {
            var out = String.UnicodeScalarView()
            for _ in 0..<(Int(rng.next() % 7) + (nonEmpty ? 1 : 0)) { out.append(alphabet[Int(rng.next() % UInt64(alphabet.count))]) }
            return String(out)
        }
        for _ in 0..<5_000 {
            var conditions: [SpanSelector.Condition] = []
            for _ in 0..<Int(rng.next() % 4) {
                switch rng.next() % 6 {
                case 0: conditions.append(.name(text(nonEmpty: true)))
                case 1: conditions.append(.operation(SpanOperation.allCases[Int(rng.next() % UInt64(SpanOperation.allCases.count))]))
                case 2: conditions.append(.tool(text(nonEmpty: true)))
                case 3: conditions.append(.model(text(nonEmpty: true)))
                case 4: conditions.append(.attribute(key: text(nonEmpty: true), value: text(nonEmpty: false)))
                default: conditions.append(.root)
                }
            }
            let positions: [SpanSelector.Position] = [.all, .first, .last, .nth(Int(rng.next() % 1_000) + 1), .nth(Int.max)]
            let selector = SpanSelector(conditions: conditions, position: positions[Int(rng.next() % UInt64(positions.count))])
            let again = try? SpanSelector.parse(selector.description)
            #expect(again == selector, "\(selector.conditions) \(selector.position) printed as \(selector.description)")
            if again != selector { break }
        }
    }

    @Test("explains bad selectors with the column of the clause", arguments: [
        ("", "empty selector"),
        ("op=banana", "unknown operation 'banana'"),
        ("first last", "more than one of first"),
        ("nth=0", "nth= needs a whole number"),
        ("colour=red", "unknown clause 'colour'"),
        (#"name="open"#, "unclosed quote"),
        ("attr.x", "needs =VALUE"),
        (#"attr."x"y=1"#, "expected '=' after the quoted key"),
        (#"attr."x=1"#, "unclosed quote"),
    ])
    func errors(selector: String, message: String) {
        #expect { try SpanSelector.parse(selector) } throws: { ($0 as? AssayError)?.problem.contains(message) == true }
    }
}
