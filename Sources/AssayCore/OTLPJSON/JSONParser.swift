/// A strict-where-it-matters, lenient-where-producers-differ JSON parser over raw UTF-8 bytes.
///
/// It accepts standard JSON plus the bare `NaN`, `Infinity` and `-Infinity` tokens that some
/// encoders write for doubles, validates UTF-8, limits nesting depth (so hostile input cannot
/// overflow the stack), and reports the line of every problem.
package struct JSONParser {
    /// The deepest nesting of arrays and objects accepted.
    package static let maxDepth = 512

    private let base: UnsafePointer<UInt8>
    private let end: Int
    private var pos: Int
    private var line: Int
    private var depth = 0

    private init(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int, line: Int) {
        self.base = buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!
        self.end = buffer.count
        self.pos = start
        self.line = line
    }

    /// Parses one value starting at `start` (after optional whitespace).
    ///
    /// - Returns: the value, the offset just after it, and the line it ended on.
    /// - Throws: `JSONSyntaxError`; `isTruncated` is set when the buffer ended inside the value.
    package static func parseValue(
        in buffer: UnsafeBufferPointer<UInt8>, from start: Int, line: Int
    ) throws(JSONSyntaxError) -> (value: JSONValue, end: Int, line: Int) {
        var parser = JSONParser(buffer, from: start, line: line)
        let value = try parser.value()
        return (value, parser.pos, parser.line)
    }

    /// Parses a whole text holding exactly one JSON value.
    package static func parse(_ bytes: [UInt8]) throws(JSONSyntaxError) -> JSONValue {
        let result: Result<JSONValue, JSONSyntaxError> = bytes.withUnsafeBufferPointer { buffer in
            var parser = JSONParser(buffer, from: 0, line: 1)
            do throws(JSONSyntaxError) {
                let value = try parser.value()
                parser.skipWhitespace()
                if parser.pos < parser.end { throw parser.fail("unexpected text after the JSON value") }
                return .success(value)
            } catch { return .failure(error) }
        }
        return try result.get()
    }

    // MARK: - Values

    private mutating func value() throws(JSONSyntaxError) -> JSONValue {
        skipWhitespace()
        guard pos < end else { throw truncated("expected a value") }
        switch base[pos] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "N"): try literal("NaN"); return .number("NaN")
        case UInt8(ascii: "I"): try literal("Infinity"); return .number("Infinity")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw fail("unexpected character \(Self.show(base[pos]))")
        }
    }

    private mutating func object() throws(JSONSyntaxError) -> JSONValue {
        let startLine = Int32(clamping: line)
        try enter()
        pos += 1
        var members: [JSONMember] = []
        skipWhitespace()
        if pos < end, base[pos] == UInt8(ascii: "}") {
            pos += 1
            depth -= 1
            return .object(members, line: startLine)
        }
        while true {
            skipWhitespace()
            guard pos < end else { throw truncated("expected a member name") }
            guard base[pos] == UInt8(ascii: "\"") else { throw fail("expected a quoted member name, found \(Self.show(base[pos]))") }
            let keyLine = Int32(clamping: line)
            let key = try string()
            skipWhitespace()
            guard pos < end else { throw truncated("expected ':'") }
            guard base[pos] == UInt8(ascii: ":") else { throw fail("expected ':' after member name, found \(Self.show(base[pos]))") }
            pos += 1
            let value = try value()
            members.append(JSONMember(key: key, value: value, line: keyLine))
            skipWhitespace()
            guard pos < end else { throw truncated("expected ',' or '}'") }
            let c = base[pos]
            pos += 1
            if c == UInt8(ascii: ",") { continue }
            if c == UInt8(ascii: "}") { break }
            pos -= 1
            throw fail("expected ',' or '}' in an object, found \(Self.show(c))")
        }
        depth -= 1
        return .object(members, line: startLine)
    }

    private mutating func array() throws(JSONSyntaxError) -> JSONValue {
        let startLine = Int32(clamping: line)
        try enter()
        pos += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if pos < end, base[pos] == UInt8(ascii: "]") {
            pos += 1
            depth -= 1
            return .array(elements, line: startLine)
        }
        while true {
            elements.append(try value())
            skipWhitespace()
            guard pos < end else { throw truncated("expected ',' or ']'") }
            let c = base[pos]
            pos += 1
            if c == UInt8(ascii: ",") { continue }
            if c == UInt8(ascii: "]") { break }
            pos -= 1
            throw fail("expected ',' or ']' in an array, found \(Self.show(c))")
        }
        depth -= 1
        return .array(elements, line: startLine)
    }

    private mutating func enter() throws(JSONSyntaxError) {
        depth += 1
        if depth > Self.maxDepth { throw fail("nesting deeper than \(Self.maxDepth) levels") }
    }

    private mutating func literal(_ word: StaticString) throws(JSONSyntaxError) {
        let count = word.utf8CodeUnitCount
        let text = word.utf8Start
        for i in 0..<count {
            guard pos + i < end else { throw truncated("unfinished literal") }
            if base[pos + i] != text[i] { throw fail("unexpected character \(Self.show(base[pos + i]))") }
        }
        pos += count
    }

    private mutating func number() throws(JSONSyntaxError) -> String {
        let start = pos
        if base[pos] == UInt8(ascii: "-") {
            pos += 1
            if pos < end, base[pos] == UInt8(ascii: "I") {
                try literal("Infinity")
                return "-Infinity"
            }
        }
        let digitsStart = pos
        while pos < end, isDigit(base[pos]) { pos += 1 }
        if pos == digitsStart { throw pos < end ? fail("expected a digit") : truncated("unfinished number") }
        if pos < end, base[pos] == UInt8(ascii: ".") {
            pos += 1
            let fraction = pos
            while pos < end, isDigit(base[pos]) { pos += 1 }
            if pos == fraction { throw pos < end ? fail("expected a digit after '.'") : truncated("unfinished number") }
        }
        if pos < end, base[pos] == UInt8(ascii: "e") || base[pos] == UInt8(ascii: "E") {
            pos += 1
            if pos < end, base[pos] == UInt8(ascii: "+") || base[pos] == UInt8(ascii: "-") { pos += 1 }
            let exponent = pos
            while pos < end, isDigit(base[pos]) { pos += 1 }
            if pos == exponent { throw pos < end ? fail("expected a digit in the exponent") : truncated("unfinished number") }
        }
        // At the very end of the buffer a number may continue in the next chunk.
        if pos == end { throw truncated("number at the end of input") }
        return String(decoding: UnsafeBufferPointer(start: base + start, count: pos - start), as: UTF8.self)
    }

    @inline(__always) private func isDigit(_ c: UInt8) -> Bool { c &- UInt8(ascii: "0") < 10 }

    // MARK: - Strings

    private mutating func string() throws(JSONSyntaxError) -> String {
        pos += 1
        let start = pos
        var ascii = true
        while pos < end {
            let c = base[pos]
            if c == UInt8(ascii: "\"") {
                let bytes = UnsafeBufferPointer(start: base + start, count: pos - start)
                pos += 1
                return try makeString(bytes, ascii: ascii, at: start)
            }
            if c == UInt8(ascii: "\\") { return try escapedString(from: start) }
            if c < 0x20 { throw fail("control character \(Self.show(c)) must be escaped in a string") }
            if c >= 0x80 { ascii = false }
            pos += 1
        }
        throw truncated("unterminated string")
    }

    private func makeString(_ bytes: UnsafeBufferPointer<UInt8>, ascii: Bool, at offset: Int) throws(JSONSyntaxError) -> String {
        if ascii { return String(decoding: bytes, as: UTF8.self) }
        guard let s = String(validating: bytes, as: UTF8.self) else {
            throw JSONSyntaxError(line: line, offset: offset, message: "invalid UTF-8 in a string", isTruncated: false)
        }
        return s
    }

    private mutating func escapedString(from start: Int) throws(JSONSyntaxError) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(pos - start + 16)
        out.append(contentsOf: UnsafeBufferPointer(start: base + start, count: pos - start))
        var ascii = !out.contains { $0 >= 0x80 }
        while pos < end {
            let c = base[pos]
            if c == UInt8(ascii: "\"") {
                pos += 1
                let result: Result<String, JSONSyntaxError> = out.withUnsafeBufferPointer { buffer in
                    do throws(JSONSyntaxError) { return .success(try makeString(buffer, ascii: ascii, at: start)) } catch { return .failure(error) }
                }
                return try result.get()
            }
            if c < 0x20 { throw fail("control character \(Self.show(c)) must be escaped in a string") }
            if c != UInt8(ascii: "\\") {
                if c >= 0x80 { ascii = false }
                out.append(c)
                pos += 1
                continue
            }
            pos += 1
            guard pos < end else { throw truncated("unterminated escape") }
            let e = base[pos]
            pos += 1
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                let scalar = try unicodeEscape()
                if scalar.value >= 0x80 { ascii = false }
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
            default:
                pos -= 1
                throw fail("invalid escape '\\\(Self.show(e))'")
            }
        }
        throw truncated("unterminated string")
    }

    private mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard pos < end else { throw truncated("unfinished \\u escape") }
            guard let n = Hex.nibble(base[pos]) else { throw fail("expected 4 hex digits after \\u") }
            value = (value << 4) | UInt32(n)
            pos += 1
        }
        return value
    }

    private mutating func unicodeEscape() throws(JSONSyntaxError) -> Unicode.Scalar {
        let first = try hex4()
        if (0xD800..<0xDC00).contains(first) {
            guard pos + 2 <= end else { throw truncated("unfinished surrogate pair") }
            guard base[pos] == UInt8(ascii: "\\"), base[pos + 1] == UInt8(ascii: "u") else {
                throw fail("a high surrogate \\u\(String(first, radix: 16)) must be followed by a low surrogate")
            }
            pos += 2
            let second = try hex4()
            guard (0xDC00..<0xE000).contains(second) else {
                throw fail("a high surrogate must be followed by a low surrogate, found \\u\(String(second, radix: 16))")
            }
            return Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))!
        }
        guard let scalar = Unicode.Scalar(first) else {
            throw fail("lone low surrogate \\u\(String(first, radix: 16))")
        }
        return scalar
    }

    // MARK: - Whitespace and errors

    package mutating func skipWhitespace() {
        while pos < end {
            let c = base[pos]
            if c == 0x20 || c == 0x09 || c == 0x0D {
                pos += 1
            } else if c == 0x0A {
                pos += 1
                line += 1
            } else {
                return
            }
        }
    }

    private func fail(_ message: String) -> JSONSyntaxError {
        JSONSyntaxError(line: line, offset: pos, message: message, isTruncated: false)
    }

    private func truncated(_ message: String) -> JSONSyntaxError {
        JSONSyntaxError(line: line, offset: pos, message: "unexpected end of input: \(message)", isTruncated: true)
    }

    /// A byte shown safely in an error message: printable ASCII as itself, anything else as hex.
    static func show(_ c: UInt8) -> String {
        (0x20..<0x7F).contains(c) ? "'\(Character(Unicode.Scalar(c)))'" : "byte 0x\(String(c, radix: 16, uppercase: true))"
    }
}
