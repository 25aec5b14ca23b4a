/// Reads and checks a dataset file: every problem is reported as `file:line: path: problem`.
public enum DatasetParser {
    /// The problems of one line, each with its JSON path.
    struct LineProblems {
        let source: String
        let line: Int
        var items: [InputProblem] = []

        /// Records a problem at `path` (empty for the whole line).
        mutating func callAsFunction(_ path: String, _ message: String) {
            items.append(InputProblem(source: source, line: line, path: path, message: message))
        }
    }

    /// The examples of a dataset text, or every problem found (in line order).
    public static func parse(_ text: String, source: String) -> (examples: [DatasetExample], problems: [InputProblem]) {
        var examples: [DatasetExample] = []
        var problems: [InputProblem] = []
        var seen: [String: Int] = [:]
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, raw) in lines.enumerated() {
            if index == lines.count - 1 && raw.isEmpty { break }
            var problem = LineProblems(source: source, line: index + 1)
            let example = parseLine(raw, seen: &seen, problem: &problem)
            if let example, problem.items.isEmpty { examples.append(example) }
            problems += problem.items
        }
        return (examples, problems)
    }

    /// One line's example; nil, with the problems recorded, when it cannot be read at all.
    static func parseLine(_ raw: Substring, seen: inout [String: Int], problem: inout LineProblems) -> DatasetExample? {
        if raw.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) {
            problem("", "blank line (one example per line, no blank lines)")
            return nil
        }
        let value: JSONValue
        do { value = try JSONCursor.parse(Array(raw.utf8)) } catch {
            problem(error.path, "not valid JSON: \(error.message)")
            return nil
        }
        guard let members = value.members else {
            problem("", "expected a JSON object (one example per line)")
            return nil
        }
        let known = DatasetLine.keys + DatasetLine.conversationKeys.filter { !DatasetLine.keys.contains($0) }
        for m in members where !known.contains(m.key) {
            problem(DisplayFormat.safe(m.key, limit: 40), "unknown key; expected \(known.joined(separator: ", "))")
        }
        let id = value["id"]?.string ?? ""
        if value["id"] == nil { problem("id", "missing") } else if !validID(id) {
            problem("id", "expected 1 to 64 letters, digits or . _ - :")
        } else if let first = seen[id] {
            problem("id", "duplicate id \(id) (first on line \(first))")
        } else {
            seen[id] = problem.line
        }
        // A multi-turn example has turns instead of an input (docs/conversations.md, "The dataset format").
        var turns: [ExampleTurn]?
        var memory: [MemoryFact] = []
        let input: JSONValue
        if let t = value["turns"], !t.isNull {
            if value["input"] != nil { problem("input", "a multi-turn example has no input (the turns carry the messages)") }
            if value["components"] != nil { problem("components", "a multi-turn example has no top-level components (give them per turn)") }
            let parsed = parseTurns(t, problem: &problem)
            memory = parseMemory(value["memory"], turnCount: parsed.count, problem: &problem)
            turns = parsed
            input = parsed.first?.user ?? .null
        } else {
            guard let i = value["input"] else {
                problem("input", "missing (a multi-turn example has turns instead)")
                return nil
            }
            if i.isNull { problem("input", "must not be null") }
            if let m = value["memory"], !m.isNull { problem("memory", "only a multi-turn example (with turns) has memory") }
            input = i
        }
        let expected = value["expected"].flatMap { $0.isNull ? nil : $0 }
        let status = value["status"]?.string
        switch status {
        case nil: if value["status"] != nil { problem("status", "expected \"ready\" or \"needs_expected\"") }
        case "ready"?: if expected == nil { problem("expected", "status is ready but expected is missing or null") }
        case "needs_expected"?: if expected != nil { problem("status", "is needs_expected but an expected value is given") }
        default: problem("status", "expected \"ready\" or \"needs_expected\"")
        }
        let components = turns == nil ? parseComponents(value["components"], path: "components", problem: &problem) : [:]
        let metadata = value["metadata"] ?? .object([])
        if metadata.members == nil { problem("metadata", "expected an object") }
        let provenance = parseProvenance(value["provenance"], problem: &problem)
        return DatasetExample(id: id, input: input, expected: expected, components: components, metadata: metadata,
                              provenance: provenance, turns: turns, memory: memory)
    }

    /// The component cases under `path` (`components`, or a turn's `turns[N].components`).
    static func parseComponents(_ value: JSONValue?, path: String, problem: inout LineProblems) -> [String: ComponentCase] {
        guard let value, !value.isNull else { return [:] }
        guard let list = value.members else {
            problem(path, "expected an object of component names to cases")
            return [:]
        }
        var components: [String: ComponentCase] = [:]
        for m in list {
            let place = path + "." + DisplayFormat.safe(m.key, limit: 40)
            guard m.value.members != nil else { problem(place, "expected an object with selector and expected"); continue }
            guard let selectorText = m.value["selector"]?.string else { problem(place + ".selector", "missing"); continue }
            do { _ = try SpanSelector.parse(selectorText) } catch { problem(place + ".selector", error.description) }
            let exp = m.value["expected"].flatMap { $0.isNull ? nil : $0 }
            if let s = m.value["status"]?.string, s != (exp == nil ? "needs_expected" : "ready") {
                problem(place + ".status", "does not agree with expected")
            }
            components[m.key] = ComponentCase(selector: selectorText, input: m.value["input"], expected: exp)
        }
        return components
    }

    static func parseProvenance(_ value: JSONValue?, problem: inout LineProblems) -> Provenance? {
        guard let p = value, !p.isNull else { return nil }
        guard let trace = p["traceId"]?.string, let at = p["promotedAt"]?.string else {
            problem("provenance", "expected traceId and promotedAt")
            return nil
        }
        var provenance = Provenance(traceID: trace, spanIDs: p["spanIds"]?.elements?.compactMap(\.string) ?? [],
                                    feedbackIDs: p["feedbackIds"]?.elements?.compactMap(\.string) ?? [],
                                    promotedAt: at, updatedAt: p["updatedAt"]?.string)
        if let s = p["sessionId"], !s.isNull {
            if let text = s.string { provenance.sessionID = text } else { problem("provenance.sessionId", "expected a string") }
        }
        if let list = p["turnTraceIds"], !list.isNull {
            if let ids = list.elements?.compactMap(\.string), ids.count == list.elements?.count {
                provenance.turnTraceIDs = ids
            } else {
                problem("provenance.turnTraceIds", "expected a list of trace ids")
            }
        }
        return provenance
    }

    /// Whether an id is well formed.
    public static func validID(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= 64 && id.utf8.allSatisfy {
            ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2E || $0 == 0x5F || $0 == 0x2D || $0 == 0x3A
        }
    }
}
