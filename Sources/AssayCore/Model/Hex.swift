/// Lower-case hexadecimal encoding and lenient decoding shared by the id types.
package enum Hex {
    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends the lower-case hex form of `value`, most significant nibble first, `count` bytes wide.
    package static func append(_ value: UInt64, bytes count: Int, to out: inout [UInt8]) {
        var shift = (count * 8) - 4
        while shift >= 0 {
            out.append(digits[Int((value >> UInt64(shift)) & 0xF)])
            shift -= 4
        }
    }

    /// The lower-case hex form of `bytes`.
    package static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes { append(UInt64(b), bytes: 1, to: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    /// The value of one hex digit in either case, or nil.
    @inline(__always)
    package static func nibble(_ c: UInt8) -> UInt64? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt64(c &- UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt64(c &- UInt8(ascii: "a") &+ 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt64(c &- UInt8(ascii: "A") &+ 10)
        default: return nil
        }
    }

    /// Parses exactly 16 hex digits of `utf8` starting at `start` into a big-endian UInt64.
    package static func parse64<C: Collection<UInt8>>(_ utf8: C, from start: C.Index) -> UInt64? {
        var value: UInt64 = 0
        var index = start
        for _ in 0..<16 {
            guard index != utf8.endIndex, let n = nibble(utf8[index]) else { return nil }
            value = (value << 4) | n
            index = utf8.index(after: index)
        }
        return value
    }
}
