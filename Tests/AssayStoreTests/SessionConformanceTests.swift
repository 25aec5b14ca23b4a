import Foundation
import Testing
import AssayCore
import AssayOTLP
import AssaySQLite
import AssayTestSupport

/// Sessions in every store, checked against the reference in-memory store: the list with its
/// filters, one session's turns, and feedback on a whole session.
@Suite("Sessions in the stores")
struct SessionConformanceTests {
    static let second: UInt64 = 1_000_000_000

    /// One turn: a root span carrying the session id under `key`, with a model call (tokens) and,
    /// when `fails`, a failed tool call.
    static func turn(_ trace: UInt64, session: String?, key: String = "session.id", start: UInt64, user: String? = nil,
                     input: String = "hi", fails: Bool = false) -> [Span] {
        let id = TraceID(high: 0, low: trace)!
        var attributes = [Attribute("input.value", .string(input)), Attribute("output.value", .string("answer \(trace)"))]
        if let session { attributes.append(Attribute(key, .string(session))) }
        if let user { attributes.append(Attribute("user.id", .string(user))) }
        var spans = [
            Span(traceID: id, spanID: SpanID(trace * 10 + 1)!, name: "agent", startTimeUnixNano: start, endTimeUnixNano: start + 3 * second,
                 attributes: attributes),
            Span(traceID: id, spanID: SpanID(trace * 10 + 2)!, parentSpanID: SpanID(trace * 10 + 1)!, name: "chat gpt-4o-mini",
                 startTimeUnixNano: start + 1, endTimeUnixNano: start + second,
                 attributes: [Attribute("gen_ai.operation.name", .string("chat")), Attribute("gen_ai.request.model", .string("gpt-4o-mini")),
                              Attribute("gen_ai.usage.input_tokens", .int(Int64(100 + trace))), Attribute("gen_ai.usage.output_tokens", .int(10))]),
        ]
        if fails {
            spans.append(Span(traceID: id, spanID: SpanID(trace * 10 + 3)!, parentSpanID: SpanID(trace * 10 + 1)!, name: "execute_tool lookup",
                              startTimeUnixNano: start + second, endTimeUnixNano: start + 2 * second,
                              attributes: [Attribute("gen_ai.operation.name", .string("execute_tool")), Attribute("gen_ai.tool.name", .string("lookup"))],
                              status: SpanStatus(code: .error, message: "timeout")))
        }
        return spans
    }

    /// Three sessions (one per convention attribute, `b` with a failed turn and a user), and a
    /// trace without a session; `a`'s turns arrive out of order.
    static let traffic: [[Span]] = [
        turn(3, session: "a", key: "gen_ai.conversation.id", start: 300 * second, input: "third"),
        turn(1, session: "a", key: "gen_ai.conversation.id", start: 100 * second, input: "first"),
        turn(2, session: "a", key: "gen_ai.conversation.id", start: 200 * second, input: "second"),
        turn(4, session: "b", start: 150 * second, user: "ana"),
        turn(5, session: "b", start: 250 * second, user: "ben", fails: true),
        turn(6, session: "c", key: "traceloop.association.properties.session_id", start: 50 * second),
        turn(7, session: nil, start: 400 * second),
    ]

    static func fill(_ store: any TraceStore) throws {
        var builder = IngestBatchBuilder()
        for spans in traffic { builder.add(TracesData(resourceSpans: [ResourceSpans(scopeSpans: [ScopeSpans(spans: spans)])])) }
        _ = try store.write { try $0.write(builder.batch) }
    }

    func stores(_ kind: StoreKind) throws -> (any AssayStore, InMemoryTraceStore) {
        let store = try kind.make(), memory = InMemoryTraceStore()
        try Self.fill(store)
        try Self.fill(memory)
        return (store, memory)
    }

    func id(_ n: UInt64) -> TraceID { TraceID(high: 0, low: n)! }

    static let queries: [SessionQuery] = [
        SessionQuery(), SessionQuery(limit: 2), SessionQuery(limit: 0), SessionQuery(startFrom: 240 * second),
        SessionQuery(startBefore: 120 * second), SessionQuery(startFrom: 140 * second, startBefore: 160 * second),
        SessionQuery(startFrom: 1000 * second), SessionQuery(flagged: true), SessionQuery(startFrom: 200 * second, flagged: true),
    ]

    @Test("lists sessions as the reference store does: turns, times, tokens, errors, users, newest activity first", arguments: StoreKind.allCases)
    func listMatchesReference(kind: StoreKind) throws {
        let (store, memory) = try stores(kind)
        let all = try memory.sessions(matching: SessionQuery())
        #expect(all == [
            SessionSummary(id: "a", traceCount: 3, startTimeUnixNano: 100 * Self.second, endTimeUnixNano: 303 * Self.second,
                           inputTokens: 306, outputTokens: 30),
            SessionSummary(id: "b", traceCount: 2, startTimeUnixNano: 150 * Self.second, endTimeUnixNano: 253 * Self.second,
                           inputTokens: 209, outputTokens: 20, errorTraces: 1, userID: "ana"),
            SessionSummary(id: "c", traceCount: 1, startTimeUnixNano: 50 * Self.second, endTimeUnixNano: 53 * Self.second,
                           inputTokens: 106, outputTokens: 10),
        ])
        try store.add([Feedback(traceID: id(5), needsReview: true, author: "ana", source: .human, timeUnixNano: 1)])
        try memory.add([Feedback(traceID: id(5), needsReview: true, author: "ana", source: .human, timeUnixNano: 1)])
        for query in Self.queries {
            #expect(try store.sessions(matching: query) == memory.sessions(matching: query), "\(query)")
        }
        #expect(try memory.sessions(matching: SessionQuery(startFrom: 240 * Self.second)).map(\.id) == ["a", "b"])
        #expect(try memory.sessions(matching: SessionQuery(startFrom: 140 * Self.second, startBefore: 160 * Self.second)).map(\.id) == ["b"])
        #expect(try memory.sessions(matching: SessionQuery(flagged: true)).map(\.id) == ["b"])
    }

    @Test("orders sessions with the same last activity by id, bytes descending", arguments: StoreKind.allCases)
    func ties(kind: StoreKind) throws {
        let store = try kind.make(), memory = InMemoryTraceStore()
        for target in [store, memory as any TraceStore] {
            var builder = IngestBatchBuilder()
            for (n, session) in ["B", "a", "b", "A", "é"].enumerated() {
                builder.add(TracesData(resourceSpans: [ResourceSpans(scopeSpans: [ScopeSpans(spans: Self.turn(UInt64(n + 1), session: session, start: Self.second))])]))
            }
            _ = try target.write { try $0.write(builder.batch) }
        }
        #expect(try memory.sessions(matching: SessionQuery()).map(\.id) == ["é", "b", "a", "B", "A"])
        #expect(try store.sessions(matching: SessionQuery()).map(\.id) == ["é", "b", "a", "B", "A"])
    }

    @Test("a session is flagged by a current review of the session or of a turn; a newer review by the same author clears it",
          arguments: StoreKind.allCases)
    func flagged(kind: StoreKind) throws {
        let (store, memory) = try stores(kind)
        func flaggedIDs() throws -> [String] {
            let ids = try store.sessions(matching: SessionQuery(flagged: true)).map(\.id)
            #expect(ids == (try memory.sessions(matching: SessionQuery(flagged: true)).map(\.id)))
            return ids
        }
        func add(_ items: [Feedback]) throws {
            try store.add(items)
            try memory.add(items)
        }
        #expect(try flaggedIDs() == [])
        // A turn's review flags its session; the same author's newer review replaces it.
        try add([Feedback(traceID: id(2), needsReview: true, author: "ana", source: .human, timeUnixNano: 10)])
        #expect(try flaggedIDs() == ["a"])
        try add([Feedback(traceID: id(2), rating: .up, author: "ana", source: .human, timeUnixNano: 20)])
        #expect(try flaggedIDs() == [])
        // A review of the whole session is a target of its own: a later review of the first turn by the
        // same author leaves it current.
        try add([Feedback(traceID: id(1), sessionID: "a", needsReview: true, author: "ana", source: .human, timeUnixNano: 30)])
        try add([Feedback(traceID: id(1), rating: .up, author: "ana", source: .human, timeUnixNano: 40)])
        #expect(try flaggedIDs() == ["a"])
        #expect(try store.sessions(matching: SessionQuery()).first { $0.id == "a" }?.isFlagged == true)
        try add([Feedback(traceID: id(1), sessionID: "a", rating: .down, author: "ana", source: .human, timeUnixNano: 50)])
        #expect(try flaggedIDs() == [])
    }

    @Test("loads a session's turns in start order, with turn feedback apart from feedback on the whole session", arguments: StoreKind.allCases)
    func loadsSession(kind: StoreKind) throws {
        let (store, _) = try stores(kind)
        #expect(try store.sessionAnchor("a") == id(1))
        #expect(try store.sessionAnchor("nope") == nil)
        #expect(try store.session("nope") == nil)
        let onSession = Feedback(traceID: id(1), sessionID: "a", rating: .down, correction: .text("Thursday"), author: "ana", source: .human,
                                 timeUnixNano: 5)
        let onTurn = Feedback(traceID: id(3), rating: .up, author: "ben", source: .human, timeUnixNano: 6)
        let onSpan = Feedback(traceID: id(1), spanID: SpanID(12)!, scores: ["acc": 0.5], author: "judge", source: .model, timeUnixNano: 7)
        #expect(try store.add([onSession, onTurn, onSpan]) == FeedbackCounts(added: 3))
        let session = try #require(try store.session("a"))
        #expect(session.turns.map(\.index) == [1, 2, 3])
        #expect(session.turns.map(\.trace.traceID) == [id(1), id(2), id(3)])
        #expect(session.turns.map(\.input) == ["first", "second", "third"])
        #expect(session.turns.map(\.answer) == ["answer 1", "answer 2", "answer 3"])
        #expect(session.feedback.map(\.feedback) == [onSession])
        #expect(session.turns[0].feedback.map(\.feedback) == [onSpan])
        #expect(session.turns[2].feedback.map(\.feedback) == [onTurn])
        let b = try #require(try store.session("b"))
        #expect(b.turns[1].tools == ["lookup"] && b.turns[1].errors == ["execute_tool lookup: timeout"])
        #expect(b.turns.map(\.callInputTokens) == [[104], [105]])
        // Stored with its session id, which survives a read back as JSON.
        let read = try store.feedback(for: [id(1)])[id(1)] ?? []
        #expect(read.first { $0.feedback.id == onSession.id }?.feedback == onSession)
    }

    @Test("refuses feedback on a session whose trace is not one of its turns, writing none of the batch", arguments: StoreKind.allCases)
    func refusesOtherSession(kind: StoreKind) throws {
        let (store, _) = try stores(kind)
        let good = Feedback(traceID: id(1), sessionID: "a", rating: .up, author: "a", source: .human, timeUnixNano: 1)
        let wrong = Feedback(traceID: id(4), sessionID: "a", rating: .up, author: "a", source: .human, timeUnixNano: 1)
        do {
            try store.add([good, wrong])
            Issue.record("stored feedback on session a anchored on a trace of session b")
        } catch let error as AssayError {
            #expect(error.unknownTargets == [UnknownFeedbackTarget(index: 1, traceID: id(4), spanID: nil, sessionID: "a")])
            #expect(error.description == "trace \(id(4)) is not a turn of session a")
        }
        #expect(try store.feedback(for: [id(1), id(4)]).isEmpty)
    }

    @Test("a store copy carries feedback on sessions: the copy lists the same sessions, flagged alike", arguments: StoreKind.allCases)
    func copied(kind: StoreKind) throws {
        let (source, _) = try stores(kind)
        try source.add([Feedback(traceID: id(1), sessionID: "a", needsReview: true, author: "ana", source: .human, timeUnixNano: 3),
                        Feedback(traceID: id(1), rating: .up, author: "ana", source: .human, timeUnixNano: 4)])
        let target = try (kind == .memory ? StoreKind.sqlite : kind == .sqlite ? .postgres : .memory).make()
        let counts = try StoreCopy(from: source, to: target).run()
        #expect(counts.feedbackNew == 2)
        #expect(try target.sessions(matching: SessionQuery()) == source.sessions(matching: SessionQuery()))
        #expect(try target.sessions(matching: SessionQuery(flagged: true)).map(\.id) == ["a"])
        let copied = try #require(try target.session("a"))
        #expect(copied.feedback.map(\.feedback.sessionID) == ["a"] && copied.isFlagged)
        #expect(copied.turns[0].feedback.map(\.feedback.rating) == [.up])
    }

    @Test("SQLite lists sessions through its indexes")
    func sqlitePlans() throws {
        let store = try #require(try StoreKind.sqlite.make() as? SQLiteTraceStore)
        for (name, plan) in try store.explainSessionQueries() {
            #expect(plan.contains("traces_by_session"), "\(name): \(plan)")
            for step in plan.components(separatedBy: "; ") where step.hasPrefix("SCAN t") || step.hasPrefix("SCAN w") {
                #expect(step.contains("INDEX"), "\(name): \(plan)")
            }
        }
    }
}
