import Foundation

/// Reuses one `String` for each attribute key seen again (keys such as `gen_ai.usage.input_tokens`
/// repeat on every span), saving an allocation per attribute and making key comparisons pointer-fast.
///
/// A fixed-size open-addressing table; when it is three quarters full it stops adding, so keys of high
/// cardinality cannot make it grow without bound. Used by one thread at a time.
package final class KeyInterner {
    private var hashes: [UInt64]
    private var strings: [String?]
    private var count = 0
    private let mask: Int
    /// Keys longer than this are not interned.
    package static let maxLength = 96

    package init(capacity: Int = 4096) {
        let size = 1 << (Int.bitWidth - (capacity - 1).leadingZeroBitCount)
        hashes = Array(repeating: 0, count: size)
        strings = Array(repeating: nil, count: size)
        mask = size - 1
    }

    /// The interned string for these bytes (which must be valid UTF-8 without escapes), or nil when
    /// the key is too long or the table is full and the key is new.
    package func lookup(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard bytes.count <= Self.maxLength, let base = bytes.baseAddress else { return nil }
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        h |= 1
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let stored = hashes[slot]
            if stored == 0 { break }
            if stored == h, var candidate = strings[slot] {
                let same = candidate.withUTF8 { $0.count == bytes.count && memcmp($0.baseAddress!, base, bytes.count) == 0 }
                if same { return candidate }
            }
            slot = (slot + 1) & mask
        }
        guard count * 4 < (mask + 1) * 3 else { return nil }
        let string = String(decoding: bytes, as: UTF8.self)
        hashes[slot] = h
        strings[slot] = string
        count += 1
        return string
    }
}
