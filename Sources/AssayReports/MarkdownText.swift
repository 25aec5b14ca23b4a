/// Data made inert for GitHub/GitLab Markdown in a table cell.
enum MarkdownText {
    /// One line of text: control characters and line breaks become spaces, runs of spaces shrink to one,
    /// at most `limit` characters (then `…`), and the characters Markdown or HTML would act on escaped:
    /// `\` `` ` `` `*` `_` `[` `]` `~` `|` as backslash escapes, `<` `>` `&` as entities, and `@` followed
    /// by a zero-width space so that names in data do not mention anyone.
    static func escape(_ text: String, limit: Int = 120) -> String {
        var line = ""
        var lastSpace = false
        for scalar in text.unicodeScalars {
            let isSpace = scalar.value < 0x20 || scalar.value == 0x7F || scalar == " " || scalar == "\u{2028}" || scalar == "\u{2029}"
            if isSpace {
                if !lastSpace { line += " " }
                lastSpace = true
            } else {
                line.unicodeScalars.append(scalar)
                lastSpace = false
            }
        }
        var trimmed = line.trimmingSpaces
        if trimmed.count > limit { trimmed = String(trimmed.prefix(limit - 1)) + "…" }
        var out = ""
        for c in trimmed.unicodeScalars {
            switch c {
            case "\\", "`", "*", "_", "[", "]", "~", "|", "#": out += "\\\(c)"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "@": out += "@\u{200B}"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}

extension String {
    /// Without leading and trailing spaces.
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
