/// The JSON Lines form of dataset examples: one example per line, keys in a fixed order at the top
/// (`id`, `input`, `expected`, `status`, `components`, `metadata`, `provenance`; for a multi-turn
/// example `id`, `turns`, `expected`, `status`, `memory`, `metadata`, `provenance`) and sorted below,
/// so that the same content always gives the same bytes and a change shows as a small diff.
public enum DatasetLine {
    /// The top-level keys of a single-turn example, in the order they are written.
    public static let keys = ["id", "input", "expected", "status", "components", "metadata", "provenance"]
    /// The top-level keys of a multi-turn example, in the order they are written (docs/conversations.md).
    public static let conversationKeys = ["id", "turns", "expected", "status", "memory", "metadata", "provenance"]
    /// The keys of one turn, in the order they are written.
    public static let turnKeys = ["user", "decisions", "expected", "components"]

    /// The example as one line (without the newline).
    public static func encode(_ e: DatasetExample) -> String {
        var w = JSONWriter(capacity: 512)
        w.raw("{\"id\":")
        w.string(e.id)
        if let turns = e.turns {
            w.raw(",\"turns\":[")
            for (i, t) in turns.enumerated() {
                if i > 0 { w.byte(UInt8(ascii: ",")) }
                write(t, to: &w)
            }
            w.byte(UInt8(ascii: "]"))
        } else {
            w.raw(",\"input\":")
            e.input.writeCanonical(to: &w)
        }
        w.raw(",\"expected\":")
        (e.expected ?? .null).writeCanonical(to: &w)
        w.raw(",\"status\":")
        w.string(e.status.rawValue)
        if e.turns == nil {
            w.raw(",\"components\":")
            components(e.components).writeCanonical(to: &w)
        } else if !e.memory.isEmpty {
            w.raw(",\"memory\":")
            memory(e.memory).writeCanonical(to: &w)
        }
        w.raw(",\"metadata\":")
        e.metadata.writeCanonical(to: &w)
        if let p = e.provenance {
            w.raw(",\"provenance\":")
            provenance(p).writeCanonical(to: &w)
        }
        w.byte(UInt8(ascii: "}"))
        return String(decoding: w.bytes, as: UTF8.self)
    }

    /// The line without its promotion times: equal for examples whose content did not change.
    public static func content(_ e: DatasetExample) -> String {
        var copy = e
        copy.provenance?.promotedAt = ""
        copy.provenance?.updatedAt = nil
        return encode(copy)
    }

    static func components(_ c: [String: ComponentCase]) -> JSONValue {
        .object(c.keys.sorted().map { name in
            let k = c[name]!
            var pairs: [(String, JSONValue)] = [("selector", .string(k.selector)), ("expected", k.expected ?? .null),
                                                ("status", .string(k.status.rawValue))]
            if let input = k.input { pairs.append(("input", input)) }
            return (name, .object(pairs))
        })
    }

    /// One turn, its keys in the fixed order: `user`, then `decisions`, `expected` and `components`
    /// when it has them (sorted below, like the top level).
    static func write(_ t: ExampleTurn, to w: inout JSONWriter) {
        w.raw("{\"user\":")
        t.user.writeCanonical(to: &w)
        if !t.decisions.isEmpty {
            w.raw(",\"decisions\":")
            JSONValue.array(t.decisions.map(\.json)).writeCanonical(to: &w)
        }
        if let expected = t.expected {
            w.raw(",\"expected\":")
            expected.writeCanonical(to: &w)
        }
        if !t.components.isEmpty {
            w.raw(",\"components\":")
            components(t.components).writeCanonical(to: &w)
        }
        w.byte(UInt8(ascii: "}"))
    }

    /// One turn as written, for comparing turns.
    static func turnText(_ t: ExampleTurn) -> String {
        var w = JSONWriter(capacity: 128)
        write(t, to: &w)
        return String(decoding: w.bytes, as: UTF8.self)
    }

    static func memory(_ facts: [MemoryFact]) -> JSONValue {
        .array(facts.map { .object([("fact", .string($0.fact)), ("given_in", .number(String($0.givenIn))), ("used_in", .number(String($0.usedIn)))]) })
    }

    static func provenance(_ p: Provenance) -> JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("traceId", .string(p.traceID)), ("spanIds", .array(p.spanIDs.map(JSONValue.string))),
            ("feedbackIds", .array(p.feedbackIDs.map(JSONValue.string))), ("promotedAt", .string(p.promotedAt)),
        ]
        if let u = p.updatedAt { pairs.append(("updatedAt", .string(u))) }
        // A promoted session's (docs/conversations.md, "Promotion").
        if let s = p.sessionID { pairs.append(("sessionId", .string(s))) }
        if !p.turnTraceIDs.isEmpty { pairs.append(("turnTraceIds", .array(p.turnTraceIDs.map(JSONValue.string)))) }
        return .object(pairs)
    }
}
