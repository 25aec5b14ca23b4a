import AssayCore

/// Fills the trace browser template: the title HTML-escaped, the data JSON escaped for a script
/// element, both substituted in one pass so neither can inject the other's placeholder.
package enum BrowserPage {
    /// A problem with the template itself (never with the data).
    package struct TemplateError: Error, CustomStringConvertible {
        package var description: String
    }

    /// The complete page.
    ///
    /// - Parameters:
    ///   - title: shown in the browser tab; control and bidi characters are removed, then it is HTML-escaped.
    ///   - dataJSON: the data document (DATA-FORMAT.md); `<`, `>`, `&`, U+2028 and U+2029 are escaped so
    ///     that nothing in it can close the script element.
    package static func render(title: String, dataJSON: [UInt8]) throws -> [UInt8] {
        try render(template: template, title: title, dataJSON: dataJSON)
    }

    /// The page (Page/Resources/browser.html), compiled into the binary so that `assay` stays one file.
    static var template: String { String(decoding: PackageResources.browser_html, as: UTF8.self) }

    static func render(template: String, title: String, dataJSON: [UInt8]) throws -> [UInt8] {
        let titleMark = Array("{{ASSAY_TITLE}}".utf8), dataMark = Array("{{ASSAY_DATA}}".utf8)
        let bytes = Array(template.utf8)
        let titleAt = ranges(of: titleMark, in: bytes), dataAt = ranges(of: dataMark, in: bytes)
        guard titleAt.count == 1, dataAt.count == 1, titleAt[0] < dataAt[0] else {
            throw TemplateError(description: "the browser template must hold {{ASSAY_TITLE}} then {{ASSAY_DATA}}, once each")
        }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + dataJSON.count + dataJSON.count / 16)
        out += bytes[..<titleAt[0]]
        out += Array(MarkupText.html(cleanTitle(title)).utf8)
        out += bytes[(titleAt[0] + titleMark.count)..<dataAt[0]]
        appendScriptSafe(dataJSON, to: &out)
        out += bytes[(dataAt[0] + dataMark.count)...]
        return out
    }

    private static func ranges(of needle: [UInt8], in haystack: [UInt8]) -> [Int] {
        guard haystack.count >= needle.count else { return [] }
        var found: [Int] = []
        var i = 0
        while i <= haystack.count - needle.count {
            if haystack[i] == needle[0], Array(haystack[i..<(i + needle.count)]) == needle {
                found.append(i)
                i += needle.count
            } else {
                i += 1
            }
        }
        return found
    }

    /// JSON made safe inside `<script type="application/json">`: these characters only occur inside
    /// JSON strings, where their `\u` escapes mean the same.
    static func appendScriptSafe(_ json: [UInt8], to out: inout [UInt8]) {
        var i = 0
        while i < json.count {
            let c = json[i]
            switch c {
            case UInt8(ascii: "<"): out += Array("\\u003c".utf8)
            case UInt8(ascii: ">"): out += Array("\\u003e".utf8)
            case UInt8(ascii: "&"): out += Array("\\u0026".utf8)
            case 0xE2 where i + 2 < json.count && json[i + 1] == 0x80 && (json[i + 2] == 0xA8 || json[i + 2] == 0xA9):
                out += Array((json[i + 2] == 0xA8 ? "\\u2028" : "\\u2029").utf8)
                i += 2
            default: out.append(c)
            }
            i += 1
        }
    }

    static func cleanTitle(_ title: String) -> String {
        String(String.UnicodeScalarView(title.unicodeScalars.filter { s in
            let v = s.value
            return !(v < 0x20 || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
                     || v == 0x200E || v == 0x200F || v == 0x061C)
        }))
    }
}
