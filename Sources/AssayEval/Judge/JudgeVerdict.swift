import AssayCore

/// How a judge grades: a number from 0 to 1, or pass/fail.
package enum JudgeScale: String, Sendable, Hashable, CaseIterable {
    /// `{"pass": true|false, "reason": "…"}`, scored 1 or 0.
    case passFail = "pass_fail"
    /// `{"score": 0…1, "reason": "…"}`, scored as the number.
    case score
}

/// A judge's structured verdict, parsed strictly.
struct JudgeVerdict: Sendable {
    /// The value, 0 to 1 (1 or 0 for pass/fail).
    var value: Double
    /// The judge's reason.
    var reason: String
    /// The verdict as a JSON object with exactly its keys, as cached.
    var json: JSONValue

    /// Parses a message's content: a JSON object with exactly the scale's keys (`score` and `reason`,
    /// or `pass` and `reason`), surrounding whitespace and one ```` ```json ```` code fence allowed.
    /// - Throws: a sentence saying what is wrong, quoting at most 80 characters of the content.
    static func parse(content: String, scale: JudgeScale) throws(EvalError) -> JudgeVerdict {
        let text = unfenced(content.trimmingWhitespace)
        guard let json = try? JSONValue.parse(text), let members = json.members else {
            throw EvalError.malformedAnswer("expected a JSON object, got \(JudgeText.quote(content))")
        }
        return try parse(members, scale: scale)
    }

    /// Checks a parsed verdict object (also used for cached verdicts).
    static func parse(_ members: [JSONMember], scale: JudgeScale) throws(EvalError) -> JudgeVerdict {
        let valueKey = scale == .score ? "score" : "pass"
        let keys = members.map(\.key)
        guard Set(keys).count == keys.count else { throw EvalError.malformedAnswer("a key is repeated in \(keys.joined(separator: ", "))") }
        guard Set(keys) == [valueKey, "reason"] else {
            throw EvalError.malformedAnswer("expected exactly the keys \(valueKey) and reason, got \(keys.isEmpty ? "none" : keys.map { JudgeText.quote($0, limit: 20) }.joined(separator: ", "))")
        }
        let byKey = Dictionary(members.map { ($0.key, $0.value) }, uniquingKeysWith: { _, b in b })
        guard let reason = byKey["reason"]?.string else { throw EvalError.malformedAnswer("reason must be a string, got \(byKey["reason"]!.typeName)") }
        let raw = byKey[valueKey]!
        let value: Double
        let normalized: JSONValue
        switch scale {
        case .score:
            guard let d = raw.double else { throw EvalError.malformedAnswer("score must be a number, got \(raw.typeName)") }
            guard (0...1).contains(d) else { throw EvalError.malformedAnswer("score must be from 0 to 1, got \(d)") }
            value = d
            normalized = raw
        case .passFail:
            guard case .bool(let passed) = raw else { throw EvalError.malformedAnswer("pass must be true or false, got \(raw.typeName)") }
            value = passed ? 1 : 0
            normalized = raw
        }
        return JudgeVerdict(value: value, reason: reason, json: .object([(valueKey, normalized), ("reason", .string(reason))]))
    }

    /// The inside of a ```` ``` ```` or ```` ```json ```` fence wrapping the whole text, else the text.
    private static func unfenced(_ text: String) -> String {
        guard text.hasPrefix("```"), text.hasSuffix("```"), text.count >= 6 else { return text }
        var inner = text.dropFirst(3).dropLast(3)
        if inner.lowercased().hasPrefix("json") { inner = inner.dropFirst(4) }
        guard inner.first?.isNewline == true else { return text }
        return String(inner).trimmingWhitespace
    }
}


extension StringProtocol {
    /// Without leading and trailing whitespace and newlines.
    var trimmingWhitespace: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
