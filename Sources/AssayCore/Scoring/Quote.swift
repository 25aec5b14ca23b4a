/// Short, single-line quotes of trace text for explanations, so that a score never carries long
/// prompt or output text (reports escape what remains).
package enum Quote {
    /// `text` in double quotes on one line, cut to `limit` characters with an ellipsis.
    package static func short(_ text: String, limit: Int = 80) -> String {
        var out = ""
        var count = 0
        for c in text {
            if count == limit { return "\"" + out + "…\"" }
            out.append(c.isNewline || c == "\t" ? " " : c)
            count += 1
        }
        return "\"" + out + "\""
    }

    /// Up to `limit` items, each quoted briefly, then how many more.
    package static func list(_ items: [String], limit: Int = 5) -> String {
        let shown = items.prefix(limit).map { short($0, limit: 40) }.joined(separator: ", ")
        return items.count > limit ? shown + " and \(items.count - limit) more" : shown
    }
}
