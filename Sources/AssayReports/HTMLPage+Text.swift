import AssayCore
import Foundation

/// Every string from a run, a trace or a dataset goes into the HTML report through `esc`, in text and in
/// attribute values alike (inline SVG included).
extension HTMLPage {
    /// The link to a trace in the trace browser (`traces.html#trace=ID`, relative), percent-encoded for a
    /// URL fragment and escaped for an attribute.
    static func traceLink(_ traceID: String, browser: String) -> String {
        let id = traceID.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return esc("\(browser)#trace=\(id)")
    }

    /// A stable, safe element id from any text: `prefix-` and the hex of a 64-bit FNV-1a hash.
    static func id(_ prefix: String, _ text: String) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return "\(prefix)-\(String(hash, radix: 16))"
    }
}

/// Shorthand for `MarkupText.html`: the text with `&` `<` `>` `"` `'` escaped and control characters
/// other than tab, newline and carriage return removed.
func esc(_ text: String) -> String { MarkupText.html(text) }
