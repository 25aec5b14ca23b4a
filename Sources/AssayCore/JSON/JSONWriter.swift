/// Appends JSON text to a byte buffer. Strings are escaped per RFC 8259; non-ASCII is written as UTF-8.
package struct JSONWriter {
    /// The bytes written so far.
    package var bytes: [UInt8] = []

    /// Creates an empty writer with room reserved for `capacity` bytes.
    package init(capacity: Int = 1024) { bytes.reserveCapacity(capacity) }

    @inline(__always) package mutating func raw(_ s: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    @inline(__always) package mutating func byte(_ b: UInt8) { bytes.append(b) }

    /// Writes a quoted, escaped string.
    package mutating func string(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { utf8 in
            var runStart = 0
            for i in 0..<utf8.count {
                let c = utf8[i]
                guard c < 0x20 || c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") else { continue }
                if i > runStart { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i])) }
                runStart = i + 1
                switch c {
                case UInt8(ascii: "\""): raw("\\\"")
                case UInt8(ascii: "\\"): raw("\\\\")
                case 0x0A: raw("\\n")
                case 0x0D: raw("\\r")
                case 0x09: raw("\\t")
                case 0x08: raw("\\b")
                case 0x0C: raw("\\f")
                default:
                    raw("\\u00")
                    let digits: StaticString = "0123456789abcdef"
                    bytes.append(digits.utf8Start[Int(c >> 4)])
                    bytes.append(digits.utf8Start[Int(c & 0xF)])
                }
            }
            if runStart < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...])) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// The string as a JSON string literal, quoted and escaped as `string(_:)` writes it: for JSON text
    /// put together by hand, where the layout matters (the baseline file).
    package static func quoted(_ s: String) -> String {
        var w = JSONWriter(capacity: s.utf8.count + 2)
        w.string(s)
        return String(decoding: w.bytes, as: UTF8.self)
    }

    /// Writes a bare integer.
    package mutating func integer(_ n: some BinaryInteger) { bytes.append(contentsOf: String(n).utf8) }

    /// Writes an integer as a quoted decimal string (how OTLP/JSON writes 64-bit integers).
    package mutating func quotedInteger(_ n: some BinaryInteger) {
        bytes.append(UInt8(ascii: "\""))
        integer(n)
        bytes.append(UInt8(ascii: "\""))
    }

    /// Writes a double; NaN and the infinities become the strings proto3 JSON uses.
    package mutating func double(_ d: Double) {
        if d.isNaN { raw("\"NaN\"") } else if d == .infinity { raw("\"Infinity\"") } else if d == -.infinity { raw("\"-Infinity\"") } else {
            bytes.append(contentsOf: d.description.utf8)
        }
    }

    /// Writes a member name and its colon.
    @inline(__always) package mutating func key(_ s: StaticString) {
        bytes.append(UInt8(ascii: "\""))
        raw(s)
        raw("\":")
    }
}
