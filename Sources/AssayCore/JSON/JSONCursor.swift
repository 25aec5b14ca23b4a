import Foundation

/// A pull reader over raw JSON bytes: the OTLP decoder walks a document with it and builds the
/// trace model directly, with no intermediate tree, so decoding allocates little beyond the model.
///
/// It accepts standard JSON plus the bare `NaN` / `Infinity` tokens some encoders write for doubles,
/// validates UTF-8, limits nesting, and counts lines for error messages. Problems are thrown as
/// `FieldError`s; `isSyntax` marks malformed JSON (as opposed to well-formed JSON of the wrong shape),
/// and `isTruncated` input that ended too early.
package struct JSONCursor {
    package let base: UnsafePointer<UInt8>
    package let end: Int
    /// The current byte offset.
    package var pos: Int
    /// The current 1-based line.
    package private(set) var line: Int
    private var depth = 0
    /// Shares the strings of repeated attribute keys, when given.
    package let interner: KeyInterner?

    package init(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int = 0, line: Int = 1, interner: KeyInterner? = nil) {
        base = buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!
        end = buffer.count
        pos = start
        self.line = line
        self.interner = interner
    }

    /// A place to come back to (to skip a rejected span after an error inside it).
    package struct Mark {
        fileprivate var pos: Int
        fileprivate var line: Int
        fileprivate var depth: Int
    }

    package var mark: Mark { Mark(pos: pos, line: line, depth: depth) }

    package mutating func rewind(to mark: Mark) {
        pos = mark.pos
        line = mark.line
        depth = mark.depth
    }

    // MARK: - Structure

    /// The kind of the next value, for dispatch and error messages.
    package enum Token { case object, array, string, number, bool, null, end, invalid }

    package mutating func peek() -> Token {
        skipWhitespace()
        guard pos < end else { return .end }
        switch base[pos] {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "N"), UInt8(ascii: "I"): return .number
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        default: return .invalid
        }
    }

    /// A name for the next value's type in messages ("a string", ...).
    package mutating func nextTypeName() -> String {
        switch peek() {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        case .end: "the end of input"
        case .invalid: "invalid JSON"
        }
    }

    /// Consumes `null` when it is next; true when it did.
    package mutating func skipNull() throws(FieldError) -> Bool {
        guard peek() == .null else { return false }
        try literal("null")
        return true
    }

    /// Walks an object: calls `member` with each key; `member` must consume the value.
    /// `null` is an empty object. Anything else is a shape error "expected `what`".
    package mutating func object(_ what: String, _ member: (inout JSONCursor, Key) throws(FieldError) -> Void) throws(FieldError) {
        if try skipNull() { return }
        guard peek() == .object else { throw mismatch("expected \(what)") }
        try enter()
        pos += 1
        skipWhitespace()
        if pos < end, base[pos] == UInt8(ascii: "}") {
            pos += 1
            depth -= 1
            return
        }
        while true {
            skipWhitespace()
            guard pos < end else { throw truncated("expected a member name") }
            guard base[pos] == UInt8(ascii: "\"") else { throw syntaxError("expected a quoted member name, found \(Self.show(base[pos]))") }
            let key = try keyToken()
            skipWhitespace()
            guard pos < end else { throw truncated("expected ':'") }
            guard base[pos] == UInt8(ascii: ":") else { throw syntaxError("expected ':' after member name, found \(Self.show(base[pos]))") }
            pos += 1
            try member(&self, key)
            skipWhitespace()
            guard pos < end else { throw truncated("expected ',' or '}'") }
            let c = base[pos]
            pos += 1
            if c == UInt8(ascii: ",") { continue }
            if c == UInt8(ascii: "}") { break }
            pos -= 1
            throw syntaxError("expected ',' or '}' in an object, found \(Self.show(c))")
        }
        depth -= 1
    }

    /// Walks an array: calls `element` with each index; `element` must consume the value.
    /// `null` is an empty array.
    package mutating func array(_ element: (inout JSONCursor, Int) throws(FieldError) -> Void) throws(FieldError) {
        if try skipNull() { return }
        guard peek() == .array else { throw mismatch("expected an array") }
        try enter()
        pos += 1
        skipWhitespace()
        if pos < end, base[pos] == UInt8(ascii: "]") {
            pos += 1
            depth -= 1
            return
        }
        var index = 0
        while true {
            try element(&self, index)
            index += 1
            skipWhitespace()
            guard pos < end else { throw truncated("expected ',' or ']'") }
            let c = base[pos]
            pos += 1
            if c == UInt8(ascii: ",") { continue }
            if c == UInt8(ascii: "]") { break }
            pos -= 1
            throw syntaxError("expected ',' or ']' in an array, found \(Self.show(c))")
        }
        depth -= 1
    }

    /// Skips one value of any type, checking that it is well-formed.
    package mutating func skipValue() throws(FieldError) {
        switch peek() {
        case .object: try object("an object") { c, _ throws(FieldError) in try c.skipValue() }
        case .array: try array { c, _ throws(FieldError) in try c.skipValue() }
        case .string: _ = try rawString()
        case .number: _ = try numberToken()
        case .bool: if base[pos] == UInt8(ascii: "t") { try literal("true") } else { try literal("false") }
        case .null: try literal("null")
        case .end: throw truncated("expected a value")
        case .invalid: throw syntaxError("unexpected character \(Self.show(base[pos]))")
        }
    }

    /// Parses the next value into a `JSONValue` tree (for small embedded documents).
    package mutating func value() throws(FieldError) -> JSONValue {
        let line = Int32(clamping: self.line)
        switch peek() {
        case .object:
            var members: [JSONMember] = []
            try object("an object") { c, key throws(FieldError) in
                let keyLine = Int32(clamping: c.line)
                members.append(JSONMember(key: key.name, value: try c.value(), line: keyLine))
            }
            return .object(members, line: line)
        case .array:
            var elements: [JSONValue] = []
            try array { c, _ throws(FieldError) in elements.append(try c.value()) }
            return .array(elements, line: line)
        case .string: return .string(try rawString())
        case .number: return .number(String(decoding: try numberToken(), as: UTF8.self))
        case .bool: return .bool(try bool())
        case .null: try literal("null"); return .null
        case .end: throw truncated("expected a value")
        case .invalid: throw syntaxError("unexpected character \(Self.show(base[pos]))")
        }
    }

    /// Parses a whole text holding one JSON value.
    package static func parse(_ bytes: [UInt8]) throws(FieldError) -> JSONValue {
        var result: Result<JSONValue, FieldError>!
        bytes.withUnsafeBufferPointer { buffer in
            var cursor = JSONCursor(buffer)
            do throws(FieldError) {
                let value = try cursor.value()
                if !cursor.atEnd() { throw cursor.syntaxError("unexpected text after the JSON value") }
                result = .success(value)
            } catch {
                result = .failure(error)
            }
        }
        return try result.get()
    }

    /// The deepest nesting of arrays and objects accepted: room for attribute values nested
    /// `AttributeValue.maxNesting` deep, four JSON levels each (`{"kvlistValue":{"values":[{"key":…,"value":{`),
    /// under the dozen levels of the OTLP envelope around an event's attributes.
    package static let maxDepth = 4 * AttributeValue.maxNesting + 32

    /// A byte shown safely in an error message: printable ASCII as itself, anything else as hex.
    package static func show(_ c: UInt8) -> String {
        (0x20..<0x7F).contains(c) ? "'\(Character(Unicode.Scalar(c)))'" : "byte 0x\(String(c, radix: 16, uppercase: true))"
    }

    private mutating func enter() throws(FieldError) {
        depth += 1
        if depth > Self.maxDepth { throw syntaxError("nesting deeper than \(Self.maxDepth) levels") }
    }

    // MARK: - Keys

    /// A member name: its raw bytes when it had no escapes (the usual case), else its decoded text.
    package struct Key {
        fileprivate let start: UnsafePointer<UInt8>
        fileprivate let count: Int
        fileprivate let decoded: String?

        /// Whether the name is exactly `s`.
        @inline(__always) package func `is`(_ s: StaticString) -> Bool {
            if let decoded { return decoded == s.description }
            return count == s.utf8CodeUnitCount && memcmp(start, s.utf8Start, count) == 0
        }

        /// The name as text.
        package var name: String { decoded ?? String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self) }

        /// The name for an error path: as it is when it is a plain identifier, else a placeholder, so
        /// that hostile member names cannot put escape sequences or content into messages.
        package var pathName: String {
            let text = name
            let plain = text.utf8.count <= 64 && !text.isEmpty && text.utf8.allSatisfy { c in
                (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
                    || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "_")
            }
            return plain ? text : "[member]"
        }

        /// Whether the name is either of two spellings (lowerCamelCase and the proto's snake_case).
        @inline(__always) package func `is`(_ a: StaticString, _ b: StaticString) -> Bool { self.is(a) || self.is(b) }
    }

    private mutating func keyToken() throws(FieldError) -> Key {
        pos += 1
        let start = pos
        while pos < end {
            let c = base[pos]
            if c == UInt8(ascii: "\"") {
                pos += 1
                return Key(start: base + start, count: pos - 1 - start, decoded: nil)
            }
            if c == UInt8(ascii: "\\") || c < 0x20 || c >= 0x80 { break }
            pos += 1
        }
        pos = start - 1
        let text = try string()
        return Key(start: base, count: 0, decoded: text)
    }

    // MARK: - Scalars

    /// The raw text of a number token (or of a string, for numbers sent as strings); no allocation.
    package mutating func numberText() throws(FieldError) -> UnsafeBufferPointer<UInt8>? {
        switch peek() {
        case .number: return try numberToken()
        case .string:
            pos += 1
            let start = pos
            while pos < end, base[pos] != UInt8(ascii: "\"") {
                if base[pos] == UInt8(ascii: "\\") || base[pos] < 0x20 { pos = start - 1; return nil }
                pos += 1
            }
            guard pos < end else { throw truncated("unterminated string") }
            pos += 1
            return UnsafeBufferPointer(start: base + start, count: pos - 1 - start)
        default:
            return nil
        }
    }

    package mutating func numberToken() throws(FieldError) -> UnsafeBufferPointer<UInt8> {
        let start = pos
        if base[pos] == UInt8(ascii: "N") { try literal("NaN"); return UnsafeBufferPointer(start: base + start, count: 3) }
        if base[pos] == UInt8(ascii: "I") { try literal("Infinity"); return UnsafeBufferPointer(start: base + start, count: 8) }
        if base[pos] == UInt8(ascii: "-") {
            pos += 1
            if pos < end, base[pos] == UInt8(ascii: "I") {
                try literal("Infinity")
                return UnsafeBufferPointer(start: base + start, count: 9)
            }
        }
        let digits = pos
        while pos < end, base[pos] &- UInt8(ascii: "0") < 10 { pos += 1 }
        if pos == digits { throw pos < end ? syntaxError("expected a digit") : truncated("unfinished number") }
        if pos < end, base[pos] == UInt8(ascii: ".") {
            pos += 1
            let fraction = pos
            while pos < end, base[pos] &- UInt8(ascii: "0") < 10 { pos += 1 }
            if pos == fraction { throw pos < end ? syntaxError("expected a digit after '.'") : truncated("unfinished number") }
        }
        if pos < end, base[pos] == UInt8(ascii: "e") || base[pos] == UInt8(ascii: "E") {
            pos += 1
            if pos < end, base[pos] == UInt8(ascii: "+") || base[pos] == UInt8(ascii: "-") { pos += 1 }
            let exponent = pos
            while pos < end, base[pos] &- UInt8(ascii: "0") < 10 { pos += 1 }
            if pos == exponent { throw pos < end ? syntaxError("expected a digit in the exponent") : truncated("unfinished number") }
        }
        if pos == end { throw truncated("number at the end of input") }
        return UnsafeBufferPointer(start: base + start, count: pos - start)
    }

    /// `true` or `false` (also as the strings "true" / "false"); null reads as false.
    package mutating func bool() throws(FieldError) -> Bool {
        switch peek() {
        case .bool:
            if base[pos] == UInt8(ascii: "t") { try literal("true"); return true }
            try literal("false")
            return false
        case .null: try literal("null"); return false
        case .string:
            let s = try rawString()
            if s == "true" { return true }
            if s == "false" { return false }
            throw shapeError("expected a boolean, got a string")
        default: throw mismatch("expected a boolean")
        }
    }

    package mutating func literal(_ word: StaticString) throws(FieldError) {
        let count = word.utf8CodeUnitCount
        for i in 0..<count {
            guard pos + i < end else { throw truncated("unfinished literal") }
            if base[pos + i] != word.utf8Start[i] { throw syntaxError("unexpected character \(Self.show(base[pos + i]))") }
        }
        pos += count
    }

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

    /// True when only whitespace remains.
    package mutating func atEnd() -> Bool {
        skipWhitespace()
        return pos >= end
    }

    // MARK: - Errors

    /// Well-formed JSON of the wrong shape.
    package func shapeError(_ message: String) -> FieldError { FieldError(message, line: line) }

    /// The next value is not what was `expected`: a shape error, or truncation when the input ended first.
    package mutating func mismatch(_ expected: String) -> FieldError {
        switch peek() {
        case .end: truncated(expected)
        case .invalid: syntaxError("\(expected), found \(Self.show(base[pos]))")
        default: shapeError("\(expected), got \(nextTypeName())")
        }
    }

    /// Malformed JSON.
    package func syntaxError(_ message: String) -> FieldError {
        var e = FieldError("invalid JSON: " + message, line: line)
        e.isSyntax = true
        return e
    }

    /// Input that ended inside a value.
    package func truncated(_ message: String) -> FieldError {
        var e = FieldError("unexpected end of input: " + message, line: line)
        e.isSyntax = true
        e.isTruncated = true
        return e
    }
}
