/// Text made safe for XML 1.0: illegal characters removed, markup characters escaped, huge text cut.
///
/// XML 1.0 allows only `#x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]`
/// (XML 1.0 §2.2, production 2). Other characters break every JUnit reader even when written as
/// character references (`&#27;` is just as illegal as a raw ESC), so they are dropped, not escaped.
/// Swift strings never hold lone surrogates, so only C0 controls and U+FFFE/U+FFFF remain to remove.
public enum XMLText {
    /// Whether XML 1.0 allows the character at all.
    public static func isLegal(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD: true
        case 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }

    /// The text without the characters XML 1.0 forbids.
    public static func clean(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { !isLegal($0) }) else { return text }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: text.unicodeScalars.lazy.filter(isLegal))
        return String(scalars)
    }

    /// Cleaned text for element content: `&`, `<` and `>` escaped (so `]]>` cannot occur).
    public static func text(_ text: String) -> String {
        escape(clean(text), attribute: false)
    }

    /// Cleaned text for a double-quoted attribute value: also `"` and `'`, and tab, newline and carriage
    /// return as character references, so that attribute-value normalization keeps them.
    public static func attribute(_ text: String) -> String {
        escape(clean(text), attribute: true)
    }

    /// The text cut to at most `maxBytes` bytes of UTF-8 at a character boundary, followed by a note of
    /// how much was cut, e.g. `… [truncated: 1,048,576 bytes, 1,044,480 cut]`; unchanged when it fits.
    /// The note is not counted in `maxBytes`.
    public static func truncate(_ text: String, maxBytes: Int) -> String {
        let total = text.utf8.count
        guard total > maxBytes else { return text }
        var kept = 0
        var end = text.startIndex
        for index in text.indices {
            let size = text[index].utf8.count
            if kept + size > maxBytes { break }
            kept += size
            end = text.index(after: index)
        }
        return "\(text[..<end])… [truncated: \(ReportFormat.grouped(total)) bytes, \(ReportFormat.grouped(total - kept)) cut]"
    }

    private static func escape(_ text: String, attribute: Bool) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where attribute: out += "&quot;"
            case "'" where attribute: out += "&apos;"
            case "\t" where attribute: out += "&#9;"
            case "\n" where attribute: out += "&#10;"
            case "\r" where attribute: out += "&#13;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
