import Testing
@testable import AssayCore
import AssayTestSupport
import AssayOTLP

/// One exchange of a conversation: a trace whose root carries the session id, with a triage call.
func exchangeSpans(trace: UInt64, session: String, start: UInt64, input: String, output: String, root extra: [Attribute] = []) -> [Span] {
    [
        .stub(trace: trace, id: 1, name: "invoke_agent mail", start: start, end: start + 900,
              attributes: [Attribute("gen_ai.operation.name", .string("invoke_agent")), Attribute("gen_ai.conversation.id", .string(session)),
                           Attribute("input.value", .string(input)), Attribute("output.value", .string(output))] + extra),
        .stub(trace: trace, id: 2, parent: 1, name: "chat classify", start: start + 100, end: start + 200,
              attributes: [Attribute("gen_ai.operation.name", .string("chat")), Attribute("gen_ai.request.model", .string("small")),
                           Attribute("output.value", .string("meeting"))]),
    ]
}

/// A store with two conversations and a trace of none:
/// - `conv-ana`: trace 11 asks to approve a draft, trace 12 answers the interrupt (an edit), trace 13 is the second turn;
/// - `conv-ben`: trace 21, one turn;
/// - trace 31, without a session.
func conversationStore() throws -> InMemoryTraceStore {
    let store = InMemoryTraceStore()
    let spans = exchangeSpans(trace: 11, session: "conv-ana", start: 1_000, input: "From: Ana ... Can we meet Thursday? Draft a reply accepting.",
                              output: #"{"interrupt":{"id":"draft-1","kind":"approval","message":"Send this reply to Ana?"}}"#)
        + exchangeSpans(trace: 12, session: "conv-ana", start: 2_000,
                        input: #"{"resume":{"interrupt_id":"draft-1","decision":"edit","text":"Hi Ana, Thursday 10:00 works."}}"#,
                        output: "I sent your reply to Ana.")
        + exchangeSpans(trace: 13, session: "conv-ana", start: 3_000, input: "Ana asks which day we agreed on. Answer her.", output: "Thursday")
        + exchangeSpans(trace: 21, session: "conv-ben", start: 4_000, input: "Ben: lunch?", output: "Sure.")
        + agentSpans(trace: 31, input: "Where is my refund?", output: "It is on its way.")
    _ = try store.write { try $0.write(IngestBatch(TracesData.stub(spans))) }
    return store
}

@Suite("Promotion of sessions")
struct SessionPromotionTests {
    let promotion = Promotion(components: [Promotion.Component(name: "triage", selector: try! SpanSelector.parse("op=chat first"))],
                              tags: ["prod"], time: "2026-12-01T10:00:00.000Z")

    func review(_ trace: UInt64, session: String? = nil, _ rating: Rating? = nil, correction: String? = nil, flag: Bool = false,
                author: String = "ana", time: UInt64) -> Feedback {
        Feedback(traceID: traceID(trace), sessionID: session, rating: rating, correction: correction.map(Correction.text), needsReview: flag,
                 author: author, source: .human, timeUnixNano: time)
    }

    /// The reviews of `conv-ana`: a thumbs-up on the answer after the edit, a flagged correction of the
    /// second turn, and a correction of the end state on the whole session.
    func reviewAna(_ store: InMemoryTraceStore) throws {
        try store.add([review(12, .up, time: 10), review(13, .down, correction: "Thursday 10:00", flag: true, time: 11),
                       review(11, session: "conv-ana", correction: "Thursday at 10:00", time: 12)])
    }

    func promote(_ ids: [String], _ store: InMemoryTraceStore, time: String = "2026-12-01T10:00:00.000Z") throws -> (examples: [DatasetExample], skipped: [Promotion.SkippedSession]) {
        var p = promotion
        p.time = time
        return p.examples(fromSessions: try ids.map { try #require(try Promotion.readSession($0, from: store)) })
    }

    @Test("a session becomes one example: a resume is the decision of the turn before, each turn's expected comes from its feedback, the end state from the session's")
    func conversation() throws {
        let store = try conversationStore()
        try reviewAna(store)
        let (examples, skipped) = try promote(["conv-ana"], store)
        #expect(skipped.isEmpty)
        let e = try #require(examples.first)
        let turns = try #require(e.turns)
        #expect(turns.map(\.user.text) == ["From: Ana ... Can we meet Thursday? Draft a reply accepting.", "Ana asks which day we agreed on. Answer her."])
        #expect(turns[0].decisions == [HumanDecision(kind: .edit, text: "Hi Ana, Thursday 10:00 works.")] && turns[1].decisions.isEmpty)
        #expect(turns[0].expected?.string == "I sent your reply to Ana.", "the thumbs-up on the answer after the decision")
        #expect(turns[1].expected?.string == "Thursday 10:00", "the correction of the second turn")
        #expect(turns[0].components["triage"]?.expected?.string == "meeting", "the thumbs-up vouches for the turn's components")
        #expect(turns[1].components["triage"]?.expected == nil && turns[1].components["triage"]?.selector == "op=chat first")
        #expect(e.expected?.string == "Thursday at 10:00" && e.status == .ready)
        #expect(e.id == DatasetExample.id(forTurns: turns.map(\.user)) && e.id.hasPrefix("s-") && e.id.count == 18)
        #expect(e.input.canonicalJSON == turns[0].user.canonicalJSON && e.components.isEmpty && e.memory.isEmpty)
        let p = try #require(e.provenance)
        #expect(p.sessionID == "conv-ana" && p.traceID == traceID(11).description)
        #expect(p.turnTraceIDs == [traceID(11), traceID(13)].map(\.description))
        #expect(p.feedbackIDs.count == 3)
        #expect(e.metadata["session"]?.string == "conv-ana" && e.metadata["models"]?.compactJSON == #"["small"]"#)
        let feedback = try #require(e.metadata["feedback"]?.elements)
        #expect(feedback.map { $0["turn"]?.compactJSON ?? "-" } == ["1", "2", "-"], "turn feedback names its turn; the session's does not")
    }

    @Test("a line of a promoted session has the fixed key order and reads back to the same bytes")
    func roundTrip() throws {
        let store = try conversationStore()
        try reviewAna(store)
        let line = DatasetLine.encode(try #require(try promote(["conv-ana"], store).examples.first))
        let keys = [#""turns":"#, #""expected":"#, #""status":"#, #""metadata":"#, #""provenance":"#]
        let positions = keys.compactMap { line.range(of: $0)?.lowerBound }
        #expect(line.hasPrefix(#"{"id":"s-"#) && positions.count == keys.count && positions == positions.sorted())
        #expect(!line.contains(#""input":"#) && !line.contains(#""components":{}"#))
        let (parsed, problems) = DatasetParser.parse(line + "\n", source: "d.jsonl")
        #expect(problems.isEmpty, "\(problems)")
        #expect(parsed.map(DatasetLine.encode) == [line])
    }

    @Test("promoting again leaves the file byte for byte; a changed turn correction rewrites that example's one line, keeping promotedAt and hand-written memory")
    func idempotent() throws {
        let store = try conversationStore()
        try reviewAna(store)
        let (first, _) = try promote(["conv-ana", "conv-ben"], store)
        let (merged, c1) = DatasetMerge.merge(existing: [], promoted: first, time: "2026-12-01T10:00:00.000Z")
        #expect(c1.added.count == 2)
        // A person adds a memory fact to the conversation by hand.
        let ana = try #require(merged.first { $0.provenance?.sessionID == "conv-ana" })
        var edited = DatasetMerge.text(merged)
        let withMemory = DatasetLine.encode(ana).replacingOccurrences(of: #","metadata":"#, with: #","memory":[{"fact":"Thursday","given_in":1,"used_in":2}],"metadata":"#)
        edited = edited.replacingOccurrences(of: DatasetLine.encode(ana), with: withMemory)
        let file = DatasetParser.parse(edited, source: "d.jsonl")
        #expect(file.problems.isEmpty, "\(file.problems)")

        let (again, _) = try promote(["conv-ana", "conv-ben"], store, time: "2026-12-02T10:00:00.000Z")
        let (same, c2) = DatasetMerge.merge(existing: file.examples, promoted: again, time: "2026-12-02T10:00:00.000Z")
        #expect(c2.isEmpty && c2.unchanged.count == 2)
        #expect(DatasetMerge.text(same) == edited, "the file is left byte for byte")

        try store.add([review(13, .down, correction: "Thursday, 10:00", flag: true, time: 20)])
        let (fixed, _) = try promote(["conv-ana", "conv-ben"], store, time: "2026-12-03T10:00:00.000Z")
        let (updated, c3) = DatasetMerge.merge(existing: same, promoted: fixed, time: "2026-12-03T10:00:00.000Z")
        #expect(c3.updated == [ana.id] && c3.added.isEmpty)
        let before = edited.split(separator: "\n"), after = DatasetMerge.text(updated).split(separator: "\n")
        let changed = zip(before, after).filter { $0.0 != $0.1 }
        #expect(before.count == after.count && changed.count == 1, "exactly one line changes")
        let line = try #require(changed.first?.1)
        #expect(line.hasPrefix(#"{"id":"\#(ana.id)""#))
        let now = try #require(updated.first { $0.id == ana.id })
        #expect(now.turns?[1].expected?.string == "Thursday, 10:00")
        #expect(now.provenance?.promotedAt == "2026-12-01T10:00:00.000Z" && now.provenance?.updatedAt == "2026-12-03T10:00:00.000Z")
        #expect(now.memory == [MemoryFact(fact: "Thursday", givenIn: 1, usedIn: 2)], "the hand-written memory is kept")
    }

    @Test("flagged sessions are found from the flagged traces: a flagged turn, or a flag on the whole session")
    func flaggedSessions() throws {
        let store = try conversationStore()
        try store.add([review(13, flag: true, time: 1), review(21, session: "conv-ben", flag: true, time: 2), review(31, flag: true, time: 3)])
        var query = TraceQuery(limit: 100)
        query.feedback.flagged = true
        let flagged = try store.traces(matching: query)
        #expect(Set(flagged.map(\.traceID)) == [traceID(13), traceID(21), traceID(31)])
        #expect(Set(try Promotion.sessionIDs(of: flagged, in: store)) == ["conv-ana", "conv-ben"])
        let ben = try #require(try Promotion.readSession("conv-ben", from: store))
        #expect(ben.session.isFlagged && ben.session.feedback.count == 1 && ben.session.turns[0].feedback.isEmpty)
        #expect(try Promotion.readSession("conv-nobody", from: store) == nil)
    }

    @Test("without reviews a session's turns have no expected value and its end state is needed; nothing is invented")
    func unreviewed() throws {
        let store = try conversationStore()
        try store.add([review(12, .up, time: 1), review(12, .down, author: "ben", time: 2)])
        let e = try #require(try promote(["conv-ana"], store).examples.first)
        #expect(e.expected == nil && e.status == .needsExpected)
        #expect(e.turns?.allSatisfy { $0.expected == nil } == true, "a thumbs-down beside the thumbs-up objects")
        #expect(DatasetLine.encode(e).contains(#""expected":null,"status":"needs_expected""#))
        let ben = try #require(try promote(["conv-ben"], store).examples.first)
        #expect(ben.turns?.count == 1 && ben.turns?[0].decisions.isEmpty == true && ben.expected == nil)
    }

    @Test("the runner's turns are read from assay.exchange and assay.decision on the root")
    func runnerTurns() throws {
        let store = InMemoryTraceStore()
        let spans = exchangeSpans(trace: 41, session: "run-1/thread/mid/0#1", start: 1_000, input: "Book a room.",
                                  output: #"{"interrupt":{"id":"i1","message":"Book room 4?"}}"#, root: [Attribute("assay.exchange", .string("message"))])
            + exchangeSpans(trace: 42, session: "run-1/thread/mid/0#1", start: 2_000, input: "", output: "Booked.",
                            root: [Attribute("assay.exchange", .string("resume")), Attribute("assay.decision", .string("reject"))])
        _ = try store.write { try $0.write(IngestBatch(TracesData.stub(spans))) }
        try store.add([review(42, session: nil, .up, time: 1), review(41, session: "run-1/thread/mid/0#1", .up, time: 2)])
        let e = try #require(try promote(["run-1/thread/mid/0#1"], store).examples.first)
        #expect(e.turns?.count == 1 && e.turns?[0].decisions == [HumanDecision(kind: .reject)])
        #expect(e.turns?[0].expected?.string == "Booked." && e.expected?.string == "Booked.", "the last answer, on a thumbs-up of the session")
    }

    @Test("a session whose resume carries no readable decision is skipped, naming the turn", arguments: [
        #"{"resume":{"interrupt_id":"draft-1","decision":"perhaps"}}"#,
        #"{"resume":{"interrupt_id":"draft-1","decision":"edit"}}"#,
        #"{"resume":{"interrupt_id":"draft-1"}}"#,
    ])
    func unreadableDecision(input: String) throws {
        let store = InMemoryTraceStore()
        let spans = exchangeSpans(trace: 51, session: "s", start: 1_000, input: "Draft a reply.", output: #"{"interrupt":{"id":"draft-1"}}"#)
            + exchangeSpans(trace: 52, session: "s", start: 2_000, input: input, output: "Sent.")
        _ = try store.write { try $0.write(IngestBatch(TracesData.stub(spans))) }
        let (examples, skipped) = try promote(["s"], store)
        #expect(examples.isEmpty)
        #expect(skipped.map(\.sessionID) == ["s"] && skipped.first?.reason.hasPrefix("turn 2 answers an interrupt, but its decision cannot be read") == true,
                "\(skipped)")
    }
}
