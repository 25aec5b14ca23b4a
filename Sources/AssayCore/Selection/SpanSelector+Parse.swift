extension SpanSelector {
    /// Parses a selector such as `op=chat name=classify* first`.
    ///
    /// - Throws: `AssayError.setting` naming the clause's column.
    public static func parse(_ text: String) throws(AssayError) -> SpanSelector {
        var conditions: [Condition] = []
        var position: Position?
        for (offset, clause) in try clauses(text) {
            func fail(_ message: String) -> AssayError { AssayError.setting(place: "selector column \(column(offset, in: text))", problem: message) }
            let (key, value) = clause
            func setPosition(_ p: Position) throws(AssayError) {
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
            case "status":
                guard value == "ok" || value == "error" else { throw fail("status= takes ok or error") }
                conditions.append(.failed(value == "error"))
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
                // By scalars: a key that starts with a combining mark joins the `.` into one character.
                let name = key.unicodeScalars.dropFirst(5)
                guard key.unicodeScalars.starts(with: "attr.".unicodeScalars), !name.isEmpty else {
                    throw fail("unknown clause '\(DisplayFormat.safe(key, limit: 30))'; expected name=, op=, tool=, model=, status=, attr.KEY=, root, first, last, all or nth=")
                }
                guard let value else { throw fail("'\(key)' needs =VALUE") }
                conditions.append(.attribute(key: String(String.UnicodeScalarView(name)), value: value))
            }
        }
        if conditions.isEmpty && position == nil { throw AssayError.setting(place: "selector column 1", problem: "empty selector; give at least one clause such as op=chat") }
        return SpanSelector(conditions: conditions, position: position ?? .all)
    }

    /// The column, in characters, of the Unicode scalar at `offset`.
    private static func column(_ offset: Int, in text: String) -> Int {
        String(String.UnicodeScalarView(text.unicodeScalars.prefix(offset))).count + 1
    }

    /// Splits the text into (scalar offset, (key, value)) clauses, honouring quotes in values and attribute keys.
    ///
    /// The text is read by Unicode scalars, not characters: a value that starts with a combining mark
    /// would otherwise join the `=` or the quote before it into one character.
    private static func clauses(_ text: String) throws(AssayError) -> [(Int, (String, String?))] {
        var result: [(Int, (String, String?))] = []
        let chars = Array(text.unicodeScalars)
        func isSeparator(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" || c == "," }
        /// The quoted text starting at `i` (on the quote), unescaped; `i` ends after the closing quote.
        func quoted(_ i: inout Int, start: Int, key: String.UnicodeScalarView) throws(AssayError) -> String.UnicodeScalarView {
            let quote = chars[i]
            i += 1
            var value = String.UnicodeScalarView()
            while i < chars.count {
                if chars[i] == "\\", i + 1 < chars.count { value.append(chars[i + 1]); i += 2; continue }
                if chars[i] == quote { i += 1; return value }
                value.append(chars[i])
                i += 1
            }
            throw AssayError.setting(place: "selector column \(column(start, in: text))", problem: "unclosed quote in '\(DisplayFormat.safe(String(key), limit: 30))='")
        }
        var i = 0
        while i < chars.count {
            if isSeparator(chars[i]) { i += 1; continue }
            let start = i
            var key = String.UnicodeScalarView()
            while i < chars.count, chars[i] != "=", !isSeparator(chars[i]) {
                if i - start == 5, chars[i] == "\"" || chars[i] == "'", String(key) == "attr." {
                    key.append(contentsOf: try quoted(&i, start: start, key: key))
                    break
                }
                key.append(chars[i])
                i += 1
            }
            guard i < chars.count, chars[i] == "=" else {
                // Only a quoted attribute key can end elsewhere than at `=`, a separator or the end.
                if i < chars.count, !isSeparator(chars[i]) {
                    throw AssayError.setting(place: "selector column \(column(start, in: text))", problem: "expected '=' after the quoted key of '\(DisplayFormat.safe(String(key), limit: 30))'")
                }
                result.append((start, (String(key), nil)))
                continue
            }
            i += 1
            var value = String.UnicodeScalarView()
            if i < chars.count, chars[i] == "\"" || chars[i] == "'" {
                value = try quoted(&i, start: start, key: key)
            } else {
                while i < chars.count, !isSeparator(chars[i]) { value.append(chars[i]); i += 1 }
            }
            result.append((start, (String(key), String(value))))
        }
        return result
    }
}
