/// Trace name patterns for PostgreSQL: the store's glob syntax (`*`, `?`, `[a-z]`, `[^x]`) as an
/// anchored regular expression, and the literal prefix before the first wildcard as a `LIKE` that the
/// name index can use.
enum PostgresPatterns {
    /// An anchored PostgreSQL regular expression matching what `Glob.matches` matches.
    static func regex(glob: String) -> String {
        var out = "^"
        var chars = Array(glob.unicodeScalars)[...]
        while let c = chars.popFirst() {
            switch c {
            case "*": out += ".*"
            case "?": out += "."
            case "[":
                guard let close = chars.dropFirst().firstIndex(of: "]") else { out += "\\["; continue }
                var body = chars[chars.startIndex..<close]
                chars = chars[(close + 1)...]
                out += "["
                if body.first == "^" { out += "^"; body = body.dropFirst() }
                for b in body { out += b == "\\" ? "\\\\" : String(b) }
                out += "]"
            default:
                out += "^$.|?*+()[]{}\\".unicodeScalars.contains(c) ? "\\" + String(c) : String(c)
            }
        }
        return out + "$"
    }

    /// `LIKE` text for the names starting with `prefix` (its `%`, `_` and `\` escaped).
    static func likePrefix(_ prefix: String) -> String {
        var out = ""
        for c in prefix { out += c == "%" || c == "_" || c == "\\" ? "\\" + String(c) : String(c) }
        return out + "%"
    }

    /// The glob's literal prefix, before its first wildcard.
    static func literalPrefix(glob: String) -> String {
        String(glob.prefix { !"*?[".contains($0) })
    }
}
