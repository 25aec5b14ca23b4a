/// Text made safe for HTML and XML 1.0: the one escaper of the package (the HTML run report, the trace
/// browser's title, JUnit XML).
///
/// Every context drops the characters XML 1.0 forbids. XML 1.0 allows only `#x9 | #xA | #xD |
/// [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]` (XML 1.0 §2.2, production 2). Other characters
/// break every XML reader even when written as character references (`&#27;` is just as illegal as a raw
/// ESC), so they are dropped, not escaped. Swift strings never hold lone surrogates, so only C0 controls
/// and U+FFFE/U+FFFF remain to remove. Escaping goes by Unicode scalar, so a combining mark cannot hide a
/// `<` or `&` inside a larger character.
package enum MarkupText {
    /// Whether XML 1.0 allows the character at all.
    package static func isLegal(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD: true
        case 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }

    /// The text without the characters XML 1.0 forbids.
    package static func clean(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { !isLegal($0) }) else { return text }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: text.unicodeScalars.lazy.filter(isLegal))
        return String(scalars)
    }

    /// Cleaned text for XML element content: `&`, `<` and `>` escaped (so `]]>` cannot occur).
    package static func xmlText(_ text: String) -> String {
        escape(text, quotes: nil, lineBreaksAsReferences: false, dropsC1Controls: false)
    }

    /// Cleaned text for a double-quoted XML attribute value: also `"` and `'` (as `&apos;`), and tab,
    /// newline and carriage return as character references, so that attribute-value normalization keeps
    /// them.
    package static func xmlAttribute(_ text: String) -> String {
        escape(text, quotes: "&apos;", lineBreaksAsReferences: true, dropsC1Controls: false)
    }

    /// Text for HTML, in element content and quoted attribute values alike (inline SVG included): `&` `<`
    /// `>` `"` `'` (as `&#39;`) escaped, and besides what XML forbids the C1 controls U+007F–U+009F
    /// removed too (they have no business in a page and some render as nothing). Tab, newline and carriage
    /// return are kept.
    package static func html(_ text: String) -> String {
        escape(text, quotes: "&#39;", lineBreaksAsReferences: false, dropsC1Controls: true)
    }

    /// The one escaping loop: markup characters escaped, quotes when `quotes` gives the apostrophe's
    /// reference, and illegal characters dropped.
    private static func escape(_ text: String, quotes apostrophe: String?, lineBreaksAsReferences: Bool, dropsC1Controls: Bool) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"", "'":
                if let apostrophe { out += scalar == "'" ? apostrophe : "&quot;" } else { out.unicodeScalars.append(scalar) }
            case "\t" where lineBreaksAsReferences: out += "&#9;"
            case "\n" where lineBreaksAsReferences: out += "&#10;"
            case "\r" where lineBreaksAsReferences: out += "&#13;"
            default:
                guard isLegal(scalar), !(dropsC1Controls && (0x7F...0x9F).contains(scalar.value)) else { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
