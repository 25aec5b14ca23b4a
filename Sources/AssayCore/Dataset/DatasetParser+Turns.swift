/// The parts of a multi-turn example (docs/conversations.md, "The dataset format"): its turns, their
/// scripted decisions, and the memory facts that tie a later turn to an earlier one.
extension DatasetParser {
    /// The turns of `turns`, a non-empty list; problems are located as `turns[N].key`.
    static func parseTurns(_ value: JSONValue, problem: inout LineProblems) -> [ExampleTurn] {
        guard let list = value.elements, !list.isEmpty else {
            problem("turns", "expected a non-empty list of turns")
            return []
        }
        return list.enumerated().map { index, item in
            let path = "turns[\(index)]"
            guard let members = item.members else {
                problem(path, "expected an object with user, and optionally decisions, expected and components")
                return ExampleTurn(user: .null)
            }
            for m in members where !DatasetLine.turnKeys.contains(m.key) {
                problem(path + "." + DisplayFormat.safe(m.key, limit: 40), "unknown key; expected \(DatasetLine.turnKeys.joined(separator: ", "))")
            }
            let user = item["user"] ?? .null
            if item["user"] == nil { problem(path + ".user", "missing") } else if user.isNull { problem(path + ".user", "must not be null") }
            return ExampleTurn(user: user, decisions: parseDecisions(item["decisions"], path: path + ".decisions", problem: &problem),
                               expected: item["expected"].flatMap { $0.isNull ? nil : $0 },
                               components: parseComponents(item["components"], path: path + ".components", problem: &problem))
        }
    }

    /// A turn's scripted decisions: `{"decision": "approve" | "reject" | "edit", "text": ...}`, `edit` with text.
    static func parseDecisions(_ value: JSONValue?, path: String, problem: inout LineProblems) -> [HumanDecision] {
        guard let value, !value.isNull else { return [] }
        guard let list = value.elements else {
            problem(path, "expected a list of decisions")
            return []
        }
        let kinds = HumanDecision.Kind.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
        return list.enumerated().compactMap { index, item in
            let place = "\(path)[\(index)]"
            guard let members = item.members else {
                problem(place, "expected an object with decision and optionally text")
                return nil
            }
            for m in members where m.key != "decision" && m.key != "text" {
                problem(place + "." + DisplayFormat.safe(m.key, limit: 40), "unknown key; expected decision, text")
            }
            var text: String?
            if let t = item["text"], !t.isNull {
                if let s = t.string { text = s } else { problem(place + ".text", "expected a string") }
            }
            guard let name = item["decision"]?.string, let kind = HumanDecision.Kind(rawValue: name) else {
                problem(place + ".decision", item["decision"] == nil ? "missing" : "expected one of \(kinds)")
                return nil
            }
            if kind == .edit && item["text"].map(\.isNull) ?? true {
                problem(place + ".text", "required for an edit")
            }
            return HumanDecision(kind: kind, text: text)
        }
    }

    /// The memory facts: each given in one turn and used in a later one, both within the example's turns.
    static func parseMemory(_ value: JSONValue?, turnCount: Int, problem: inout LineProblems) -> [MemoryFact] {
        guard let value, !value.isNull else { return [] }
        guard let list = value.elements else {
            problem("memory", "expected a list of facts")
            return []
        }
        return list.enumerated().compactMap { index, item in
            let place = "memory[\(index)]"
            guard let members = item.members else {
                problem(place, "expected an object with fact, given_in and used_in")
                return nil
            }
            for m in members where !["fact", "given_in", "used_in"].contains(m.key) {
                problem(place + "." + DisplayFormat.safe(m.key, limit: 40), "unknown key; expected fact, given_in, used_in")
            }
            let fact = item["fact"]?.string
            if let fact {
                if fact.allSatisfy(\.isWhitespace) { problem(place + ".fact", "must not be empty") }
            } else {
                problem(place + ".fact", item["fact"] == nil ? "missing" : "expected a string")
            }
            let turns = turnCount == 1 ? "1 turn" : "\(turnCount) turns"
            func turn(_ key: String) -> Int? {
                guard let v = item[key] else { problem(place + "." + key, "missing"); return nil }
                guard case .number(let text) = v, let n = Int(text), n >= 1 else { problem(place + "." + key, "expected a turn number from 1"); return nil }
                if n > turnCount { problem(place + "." + key, "is turn \(n) but the example has \(turns)") }
                return n
            }
            let given = turn("given_in"), used = turn("used_in")
            if let used, let given, used <= given { problem(place + ".used_in", "must be a later turn than given_in (\(given))") }
            guard let fact, let given, let used else { return nil }
            return MemoryFact(fact: fact, givenIn: given, usedIn: used)
        }
    }
}
