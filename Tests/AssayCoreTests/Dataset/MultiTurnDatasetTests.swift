import Testing
@testable import AssayCore

/// The multi-turn dataset format (docs/conversations.md, "The dataset format"): reading, checking and
/// writing examples with turns, and the dataset tools on them.
@Suite("Multi-turn examples")
struct MultiTurnDatasetTests {
    /// The example of docs/conversations.md, as a person might write it (keys in any order, spaces).
    static let written = #"""
        {"id":"thread-ana","metadata":{"tags":["conversation"]},"turns":[ {"components":{"triage":{"selector":"op=chat first","expected":{"label":"meeting"},"status":"ready"}},"user":"From: Ana ... Can we meet Thursday? Draft a reply accepting.","expected":"I sent your reply to Ana.","decisions":[{"text":"Hi Ana, Thursday 10:00 works.","decision":"edit"}]}, {"user":"Ana asks which day we agreed on. Answer her.","expected":"Thursday"}], "status":"ready","expected":"Thursday", "memory":[{"used_in":2,"given_in":1,"fact":"Thursday"}]}
        """#

    /// The same example as written by Assay: keys in the fixed order, sorted below.
    static let canonical = #"{"id":"thread-ana","turns":[{"user":"From: Ana ... Can we meet Thursday? Draft a reply accepting.","decisions":[{"decision":"edit","text":"Hi Ana, Thursday 10:00 works."}],"expected":"I sent your reply to Ana.","components":{"triage":{"expected":{"label":"meeting"},"selector":"op=chat first","status":"ready"}}},{"user":"Ana asks which day we agreed on. Answer her.","expected":"Thursday"}],"expected":"Thursday","status":"ready","memory":[{"fact":"Thursday","given_in":1,"used_in":2}],"metadata":{"tags":["conversation"]}}"#

    func parse(_ line: String) -> (examples: [DatasetExample], problems: [String]) {
        let (examples, problems) = DatasetParser.parse(line + "\n", source: "d.jsonl")
        return (examples, problems.map(\.description))
    }

    @Test("reads a multi-turn example and writes it with keys in the fixed order, without an input")
    func canonicalForm() throws {
        let (examples, problems) = parse(Self.written)
        #expect(problems.isEmpty, "\(problems)")
        let e = try #require(examples.first)
        #expect(e.isConversation && e.turns?.count == 2)
        #expect(e.input.string == "From: Ana ... Can we meet Thursday? Draft a reply accepting.", "input is the first turn's message")
        #expect(e.turns?[0].decisions == [HumanDecision(kind: .edit, text: "Hi Ana, Thursday 10:00 works.")])
        #expect(e.turns?[0].components["triage"]?.expected?.compactJSON == #"{"label":"meeting"}"#)
        #expect(e.turns?[1].expected?.string == "Thursday" && e.turns?[1].decisions.isEmpty == true)
        #expect(e.memory == [MemoryFact(fact: "Thursday", givenIn: 1, usedIn: 2)])
        #expect(DatasetLine.encode(e) == Self.canonical)
    }

    @Test("a written line reads back to the same bytes, with and without provenance")
    func roundTrip() throws {
        let withProvenance = String(Self.canonical.dropLast()) + #","provenance":{"feedbackIds":["fb-1"],"promotedAt":"2026-12-01T10:00:00.000Z","sessionId":"conv-ana","spanIds":["0000000000000001"],"traceId":"0000000000000000000000000000000b","turnTraceIds":["0000000000000000000000000000000b","0000000000000000000000000000000d"],"updatedAt":"2026-12-02T10:00:00.000Z"}}"#
        for line in [Self.canonical, withProvenance] {
            let (examples, problems) = parse(line)
            #expect(problems.isEmpty, "\(problems)")
            #expect(examples.map(DatasetLine.encode) == [line])
        }
        let p = try #require(parse(withProvenance).examples.first?.provenance)
        #expect(p.sessionID == "conv-ana" && p.turnTraceIDs.count == 2 && p.traceID == p.turnTraceIDs[0])
    }

    @Test("a turn without decisions, expected value or components is written as its message alone")
    func minimalTurn() throws {
        let (examples, problems) = parse(#"{"id":"t","turns":[{"user":{"text":"hi"},"decisions":[],"expected":null,"components":{}}],"expected":null}"#)
        #expect(problems.isEmpty, "\(problems)")
        #expect(examples.map(DatasetLine.encode) == [#"{"id":"t","turns":[{"user":{"text":"hi"}}],"expected":null,"status":"needs_expected","metadata":{}}"#])
    }

    @Test("every problem of a multi-turn example is located by its path", arguments: [
        (#"{"id":"a","input":"x","turns":[{"user":"x"}]}"#, "d.jsonl:1: input: a multi-turn example has no input (the turns carry the messages)"),
        (#"{"id":"a","turns":[{"user":"x"}],"components":{}}"#, "d.jsonl:1: components: a multi-turn example has no top-level components (give them per turn)"),
        (#"{"id":"a","turns":[]}"#, "d.jsonl:1: turns: expected a non-empty list of turns"),
        (#"{"id":"a","turns":"hello"}"#, "d.jsonl:1: turns: expected a non-empty list of turns"),
        (#"{"id":"a","turns":["hello"]}"#, "d.jsonl:1: turns[0]: expected an object with user, and optionally decisions, expected and components"),
        (#"{"id":"a","turns":[{"user":"x"},{"expected":"y"}]}"#, "d.jsonl:1: turns[1].user: missing"),
        (#"{"id":"a","turns":[{"user":null}]}"#, "d.jsonl:1: turns[0].user: must not be null"),
        (#"{"id":"a","turns":[{"user":"x","expcted":"y"}]}"#, "d.jsonl:1: turns[0].expcted: unknown key; expected user, decisions, expected, components"),
        (#"{"id":"a","turns":[{"user":"x","decisions":{"decision":"approve"}}]}"#, "d.jsonl:1: turns[0].decisions: expected a list of decisions"),
        (#"{"id":"a","turns":[{"user":"x","decisions":["approve"]}]}"#, "d.jsonl:1: turns[0].decisions[0]: expected an object with decision and optionally text"),
        (#"{"id":"a","turns":[{"user":"x","decisions":[{"text":"ok"}]}]}"#, "d.jsonl:1: turns[0].decisions[0].decision: missing"),
        (#"{"id":"a","turns":[{"user":"x","decisions":[{"decision":"maybe"}]}]}"#, #"d.jsonl:1: turns[0].decisions[0].decision: expected one of "approve", "reject", "edit""#),
        (#"{"id":"a","turns":[{"user":"x"},{"user":"y","decisions":[{"decision":"edit"}]}]}"#, "d.jsonl:1: turns[1].decisions[0].text: required for an edit"),
        (#"{"id":"a","turns":[{"user":"x","decisions":[{"decision":"edit","text":null}]}]}"#, "d.jsonl:1: turns[0].decisions[0].text: required for an edit"),
        (#"{"id":"a","turns":[{"user":"x","decisions":[{"decision":"reject","text":7}]}]}"#, "d.jsonl:1: turns[0].decisions[0].text: expected a string"),
        (#"{"id":"a","turns":[{"user":"x","decisions":[{"decision":"reject","reason":"no"}]}]}"#, "d.jsonl:1: turns[0].decisions[0].reason: unknown key; expected decision, text"),
        (#"{"id":"a","turns":[{"user":"x","components":{"t":{"selector":"op=banana"}}}]}"#, "d.jsonl:1: turns[0].components.t.selector: "),
        (#"{"id":"a","turns":[{"user":"x","components":{"t":{"selector":"op=chat","expected":"y","status":"needs_expected"}}}]}"#, "d.jsonl:1: turns[0].components.t.status: does not agree with expected"),
        (#"{"id":"a","turns":[{"user":"x","components":[]}]}"#, "d.jsonl:1: turns[0].components: expected an object of component names to cases"),
        (#"{"id":"a","turns":[{"user":"x"},{"user":"y"}],"memory":[{"fact":"f","given_in":2,"used_in":2}]}"#, "d.jsonl:1: memory[0].used_in: must be a later turn than given_in (2)"),
        (#"{"id":"a","turns":[{"user":"x"},{"user":"y"}],"memory":[{"fact":"f","given_in":1,"used_in":3}]}"#, "d.jsonl:1: memory[0].used_in: is turn 3 but the example has 2 turns"),
        (#"{"id":"a","turns":[{"user":"x"},{"user":"y"}],"memory":[{"fact":"f","given_in":0,"used_in":2}]}"#, "d.jsonl:1: memory[0].given_in: expected a turn number from 1"),
        (#"{"id":"a","turns":[{"user":"x"},{"user":"y"}],"memory":[{"fact":"f","given_in":1.5,"used_in":2}]}"#, "d.jsonl:1: memory[0].given_in: expected a turn number from 1"),
        (#"{"id":"a","turns":[{"user":"x"},{"user":"y"}],"memory":[{"fact":"f","used_in":2}]}"#, "d.jsonl:1: memory[0].given_in: missing"),
        (#"{"id":"a","turns":[{"user":"x"},{"user":"y"}],"memory":[{"given_in":1,"used_in":2}]}"#, "d.jsonl:1: memory[0].fact: missing"),
        (#"{"id":"a","turns":[{"user":"x"},{"user":"y"}],"memory":[{"fact":" ","given_in":1,"used_in":2}]}"#, "d.jsonl:1: memory[0].fact: must not be empty"),
        (#"{"id":"a","turns":[{"user":"x"},{"user":"y"}],"memory":[{"fact":"f","given_in":1,"used_in":2,"why":"x"}]}"#, "d.jsonl:1: memory[0].why: unknown key; expected fact, given_in, used_in"),
        (#"{"id":"a","turns":[{"user":"x"},{"user":"y"}],"memory":{"fact":"f"}}"#, "d.jsonl:1: memory: expected a list of facts"),
        (#"{"id":"a","input":"x","memory":[{"fact":"f","given_in":1,"used_in":2}]}"#, "d.jsonl:1: memory: only a multi-turn example (with turns) has memory"),
        (#"{"id":"a","turns":[{"user":"x"}],"provenance":{"traceId":"t","promotedAt":"p","turnTraceIds":"t"}}"#, "d.jsonl:1: provenance.turnTraceIds: expected a list of trace ids"),
        (#"{"id":"a","turns":[{"user":"x"}],"provenance":{"traceId":"t","promotedAt":"p","sessionId":5}}"#, "d.jsonl:1: provenance.sessionId: expected a string"),
        (#"{"id":"a","turns":[{"user":"x"}],"status":"ready"}"#, "d.jsonl:1: expected: status is ready but expected is missing or null"),
        (#"{"id":"a","expected":"y"}"#, "d.jsonl:1: input: missing (a multi-turn example has turns instead)"),
    ])
    func problems(line: String, problem: String) {
        let (examples, problems) = parse(line)
        #expect(examples.isEmpty, "an example with a problem is not read")
        #expect(problems.contains { $0.hasPrefix(problem) }, "\(problems)")
    }

    @Test("every problem of a line is reported, not only the first")
    func allProblems() {
        let (_, problems) = parse(#"{"id":"a","turns":[{"user":"x","decisions":[{"decision":"edit"}]},{"user":null}],"memory":[{"fact":"f","given_in":2,"used_in":1}]}"#)
        #expect(problems == ["d.jsonl:1: turns[0].decisions[0].text: required for an edit", "d.jsonl:1: turns[1].user: must not be null",
                             "d.jsonl:1: memory[0].used_in: must be a later turn than given_in (2)"])
    }

    @Test("a conversation is a duplicate only of one with the same messages, not of a single-turn example with its first message")
    func duplicates() throws {
        let lines = [
            #"{"id":"one","input":"hi","expected":"hello","status":"ready"}"#,
            #"{"id":"conv","turns":[{"user":"hi"},{"user":"bye"}],"expected":null}"#,
            #"{"id":"other","turns":[{"user":"hi"},{"user":"see you"}],"expected":null}"#,
            #"{"id":"again","turns":[{"user":"hi"},{"user":"bye"}],"expected":"ok","status":"ready"}"#,
        ]
        let (examples, problems) = DatasetParser.parse(lines.joined(separator: "\n") + "\n", source: "d.jsonl")
        #expect(problems.isEmpty && examples.count == 4)
        #expect(DatasetTools.duplicateInputs(examples) == [DatasetTools.Duplicate(id: "again", sameAs: "conv")])
    }

    @Test("diff names the turns that changed; CSV gives the first message and the number of turns; a split keeps the turns")
    func tools() throws {
        let before = try #require(parse(Self.canonical).examples.first)
        var after = before
        after.turns?[1].expected = .string("Thursday 10:00")
        after.memory = []
        let d = DatasetTools.diff([before], [after])
        #expect(d.changed.map(\.fields) == [["turns[1]", "memory"]])
        var longer = before
        longer.turns?.append(ExampleTurn(user: .string("Thanks")))
        #expect(DatasetTools.diff([before], [longer]).changed.map(\.fields) == [["turns"]])
        let csv = DatasetTools.csv([before])
        #expect(csv.hasPrefix("id,status,input,expected,components,trace_id,promoted_at,turns\r\n"))
        #expect(csv.contains("\r\nthread-ana,ready,From: Ana ... Can we meet Thursday? Draft a reply accepting.,Thursday,"))
        #expect(csv.hasSuffix(",,,2\r\n"))
        let split = DatasetTools.split([before], testFraction: 0.5, seed: 1)
        #expect(DatasetMerge.text(split.train + split.test) == Self.canonical + "\n")
    }
}
