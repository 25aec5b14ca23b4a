import Foundation

/// String values: fast scanning of plain runs, escapes, UTF-8 validation, interned keys.
extension JSONCursor {

    /// A string value; null reads as "".
    package mutating func string() throws(FieldError) -> String {
        switch peek() {
        case .string: return try rawString()
        case .null: try literal("null"); return ""
        default: throw mismatch("expected a string")
        }
    }

    /// A string value whose text is likely to repeat (an attribute key): shared through the interner.
    package mutating func internedString() throws(FieldError) -> String {
        guard let interner, peek() == .string else { return try string() }
        let start = pos + 1
        var p = start
        while p < end, base[p] != UInt8(ascii: "\""), base[p] != UInt8(ascii: "\\"), base[p] >= 0x20, base[p] < 0x80 { p += 1 }
        guard p < end, base[p] == UInt8(ascii: "\""),
              let s = interner.lookup(UnsafeBufferPointer(start: base + start, count: p - start)) else { return try string() }
        pos = p + 1
        return s
    }

    /// Advances `pos` over bytes that need no attention in a string body (printable ASCII other than
    /// `"` and `\\`), eight at a time.
    @inline(__always)
    package mutating func skipPlainASCII() {
        while end - pos >= 8 {
            let w = UnsafeRawPointer(base + pos).loadUnaligned(as: UInt64.self)
            let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
            let quote = w ^ (ones &* 0x22), backslash = w ^ (ones &* 0x5C)
            let special = ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | (w &- ones &* 0x20) | w
            if special & highs != 0 { return }
            pos += 8
        }
    }

    package mutating func rawString() throws(FieldError) -> String {
        pos += 1
        let start = pos
        var ascii = true
        skipPlainASCII()
        while pos < end {
            let c = base[pos]
            if c == UInt8(ascii: "\"") {
                let bytes = UnsafeBufferPointer(start: base + start, count: pos - start)
                pos += 1
                return try makeString(bytes, ascii: ascii)
            }
            if c == UInt8(ascii: "\\") { return try escapedString(from: start, ascii: ascii) }
            if c < 0x20 { throw syntaxError("control character \(Self.show(c)) must be escaped in a string") }
            if c >= 0x80 { ascii = false }
            pos += 1
            skipPlainASCII()
        }
        throw truncated("unterminated string")
    }

    package func makeString(_ bytes: UnsafeBufferPointer<UInt8>, ascii: Bool) throws(FieldError) -> String {
        if ascii { return String(decoding: bytes, as: UTF8.self) }
        guard let s = String(validating: bytes, as: UTF8.self) else { throw syntaxError("invalid UTF-8 in a string") }
        return s
    }

    package mutating func escapedString(from start: Int, ascii seenASCII: Bool) throws(FieldError) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((pos - start) * 2 + 32)
        var run = start
        var ascii = seenASCII
        while pos < end {
            let c = base[pos]
            if c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") || c < 0x20 {
                if pos > run { out.append(contentsOf: UnsafeBufferPointer(start: base + run, count: pos - run)) }
                if c == UInt8(ascii: "\"") {
                    pos += 1
                    var result: String?
                    var failure: FieldError?
                    out.withUnsafeBufferPointer { buffer in
                        do throws(FieldError) { result = try makeString(buffer, ascii: ascii) } catch { failure = error }
                    }
                    if let failure { throw failure }
                    return result!
                }
                if c < 0x20 { throw syntaxError("control character \(Self.show(c)) must be escaped in a string") }
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
                    appendUTF8(scalar, to: &out)
                default:
                    pos -= 1
                    throw syntaxError("invalid escape '\\\(Self.show(e))'")
                }
                run = pos
                continue
            }
            if c >= 0x80 { ascii = false }
            pos += 1
            skipPlainASCII()
        }
        throw truncated("unterminated string")
    }

    package func appendUTF8(_ scalar: Unicode.Scalar, to out: inout [UInt8]) {
        let v = scalar.value
        switch v {
        case ..<0x80: out.append(UInt8(v))
        case ..<0x800: out += [UInt8(0xC0 | (v >> 6)), UInt8(0x80 | (v & 0x3F))]
        case ..<0x10000: out += [UInt8(0xE0 | (v >> 12)), UInt8(0x80 | ((v >> 6) & 0x3F)), UInt8(0x80 | (v & 0x3F))]
        default: out += [UInt8(0xF0 | (v >> 18)), UInt8(0x80 | ((v >> 12) & 0x3F)), UInt8(0x80 | ((v >> 6) & 0x3F)), UInt8(0x80 | (v & 0x3F))]
        }
    }

    package mutating func hex4() throws(FieldError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard pos < end else { throw truncated("unfinished \\u escape") }
            guard let n = Hex.nibble(base[pos]) else { throw syntaxError("expected 4 hex digits after \\u") }
            value = (value << 4) | UInt32(n)
            pos += 1
        }
        return value
    }

    package mutating func unicodeEscape() throws(FieldError) -> Unicode.Scalar {
        let first = try hex4()
        if (0xD800..<0xDC00).contains(first) {
            guard pos + 2 <= end else { throw truncated("unfinished surrogate pair") }
            guard base[pos] == UInt8(ascii: "\\"), base[pos + 1] == UInt8(ascii: "u") else {
                throw syntaxError("a high surrogate must be followed by a low surrogate")
            }
            pos += 2
            let second = try hex4()
            guard (0xDC00..<0xE000).contains(second) else { throw syntaxError("a high surrogate must be followed by a low surrogate") }
            return Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))!
        }
        guard let scalar = Unicode.Scalar(first) else { throw syntaxError("lone low surrogate \\u\(String(first, radix: 16))") }
        return scalar
    }
}
