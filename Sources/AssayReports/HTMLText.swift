import Foundation

/// The one escaping helper of the HTML report: every string from a run, a trace or a dataset goes
/// through it, in text and in attribute values alike (inline SVG included).
enum HTMLText {
    /// The text with `&` `<` `>` `"` `'` escaped and control characters other than tab, newline and
    /// carriage return removed (they have no business in a page and some render as nothing).
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// The link to a trace in the trace browser (`traces.html#trace=ID`, relative), percent-encoded for a
    /// URL fragment and escaped for an attribute.
    static func traceLink(_ traceID: String, browser: String) -> String {
        let id = traceID.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return escape("\(browser)#trace=\(id)")
    }

    /// A stable, safe element id from any text: `prefix-` and the hex of a 64-bit FNV-1a hash.
    static func id(_ prefix: String, _ text: String) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return "\(prefix)-\(String(hash, radix: 16))"
    }
}

/// Shorthand for `HTMLText.escape`.
func esc(_ text: String) -> String { HTMLText.escape(text) }
