/// A selector that does not parse: the problem and the 1-based column of the clause.
public struct SelectorError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The column (in characters) where the bad clause starts.
    public var column: Int
    /// What is wrong.
    public var message: String
    public var description: String { "selector column \(column): \(message)" }
}

extension SpanSelector {
    /// Parses a selector such as `op=chat name=classify* first`.
    ///
    /// - Throws: `SelectorError` naming the clause.
    public static func parse(_ text: String) throws(SelectorError) -> SpanSelector {
        var conditions: [Condition] = []
        var position: Position?
        for (column, clause) in try clauses(text) {
            func fail(_ message: String) -> SelectorError { SelectorError(column: column, message: message) }
            let (key, value) = clause
            func setPosition(_ p: Position) throws(SelectorError) {
                if position != nil { throw fail("more than one of first, last, all, nth") }
                position = p
            }
            switch key {
            case "first", "last", "all", "root":
                if value != nil { throw fail("'\(key)' takes no value") }
                if key == "root" { conditions.append(.root) } else { try setPosition(key == "first" ? .first : key == "last" ? .last : .all) }
            case "nth":
                guard let value, let n = Int(value), n >= 1 else { throw fail("nth= needs a whole number from 1") }
                try setPosition(.nth(n))
            case "name", "op", "operation", "tool", "model":
                guard let value, !value.isEmpty else { throw fail("'\(key)=' needs a value") }
                switch key {
                case "name": conditions.append(.name(value))
                case "tool": conditions.append(.tool(value))
                case "model": conditions.append(.model(value))
                default:
                    guard let op = SpanOperation(label: value) else {
                        throw fail("unknown operation '\(DisplayFormat.safe(value, limit: 30))'; expected one of \(SpanOperation.allCases.map(\.label).joined(separator: ", "))")
                    }
                    conditions.append(.operation(op))
                }
            default:
                guard key.hasPrefix("attr."), key.count > 5 else {
                    throw fail("unknown clause '\(DisplayFormat.safe(key, limit: 30))'; expected name=, op=, tool=, model=, attr.KEY=, root, first, last, all or nth=")
                }
                guard let value else { throw fail("'\(key)' needs =VALUE") }
                conditions.append(.attribute(key: String(key.dropFirst(5)), value: value))
            }
        }
        if conditions.isEmpty && position == nil { throw SelectorError(column: 1, message: "empty selector; give at least one clause such as op=chat") }
        return SpanSelector(conditions: conditions, position: position ?? .all)
    }

    /// Splits the text into (column, (key, value)) clauses, honouring double quotes in values.
    private static func clauses(_ text: String) throws(SelectorError) -> [(Int, (String, String?))] {
        var result: [(Int, (String, String?))] = []
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            if chars[i] == " " || chars[i] == "\t" || chars[i] == "," { i += 1; continue }
            let start = i
            var key = ""
            while i < chars.count, chars[i] != "=", chars[i] != " ", chars[i] != "\t", chars[i] != "," { key.append(chars[i]); i += 1 }
            guard i < chars.count, chars[i] == "=" else {
                result.append((start + 1, (key, nil)))
                continue
            }
            i += 1
            var value = ""
            if i < chars.count, chars[i] == "\"" || chars[i] == "'" {
                let quote = chars[i]
                i += 1
                var closed = false
                while i < chars.count {
                    if chars[i] == "\\", i + 1 < chars.count { value.append(chars[i + 1]); i += 2; continue }
                    if chars[i] == quote { closed = true; i += 1; break }
                    value.append(chars[i])
                    i += 1
                }
                if !closed { throw SelectorError(column: start + 1, message: "unclosed quote in '\(DisplayFormat.safe(key, limit: 30))='") }
            } else {
                while i < chars.count, chars[i] != " ", chars[i] != "\t", chars[i] != "," { value.append(chars[i]); i += 1 }
            }
            result.append((start + 1, (key, value)))
        }
        return result
    }
}
