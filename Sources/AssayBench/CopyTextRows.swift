import NIOCore

/// Rows in PostgreSQL's `COPY … FROM STDIN` text format: columns separated by tabs, rows by newlines,
/// `\N` for NULL, backslash, tab, newline and carriage return escaped, bytea as `\\x` and hex
/// (https://www.postgresql.org/docs/15/sql-copy.html#id-1.9.3.55.9.2).
struct CopyTextRows {
    /// The encoded rows so far.
    private(set) var bytes: [UInt8] = []
    private var atRowStart = true
    private static let hex = Array("0123456789abcdef".utf8)

    /// Starts empty, with room for about `capacity` bytes.
    init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    /// The rows as one buffer for `PostgresCopyFromWriter.write`.
    var buffer: ByteBuffer { ByteBuffer(bytes: bytes) }

    /// A NULL.
    mutating func null() {
        separate()
        bytes += [0x5C, 0x4E]
    }

    /// An integer.
    mutating func int(_ value: Int64) {
        separate()
        bytes += String(value).utf8
    }

    /// Text, escaped (it must not hold NUL, which PostgreSQL text cannot).
    mutating func text(_ value: String) {
        separate()
        for byte in value.utf8 {
            switch byte {
            case 0x5C: bytes += [0x5C, 0x5C]
            case 0x09: bytes += [0x5C, 0x74]
            case 0x0A: bytes += [0x5C, 0x6E]
            case 0x0D: bytes += [0x5C, 0x72]
            default: bytes.append(byte)
            }
        }
    }

    /// Text, or NULL when nil.
    mutating func text(_ value: String?) {
        if let value { text(value) } else { null() }
    }

    /// A bytea value in hex.
    mutating func bytea(_ value: [UInt8]) {
        separate()
        bytes += [0x5C, 0x5C, 0x78]
        for byte in value {
            bytes.append(Self.hex[Int(byte >> 4)])
            bytes.append(Self.hex[Int(byte & 0x0F)])
        }
    }

    /// Ends the current row.
    mutating func endRow() {
        bytes.append(0x0A)
        atRowStart = true
    }

    private mutating func separate() {
        if !atRowStart { bytes.append(0x09) }
        atRowStart = false
    }
}
