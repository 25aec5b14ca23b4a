package import AssayCore
/// Reads protobuf wire format from a byte buffer, field by field, with bounds checks on every read.
/// Problems are `ProtoError`s naming the byte offset.
package struct ProtoReader {
    private let base: UnsafePointer<UInt8>
    private let end: Int
    /// The current offset from the start of the outermost buffer.
    package private(set) var pos: Int

    /// Shares repeated attribute keys, when given.
    let interner: KeyInterner?

    package init(_ buffer: UnsafeBufferPointer<UInt8>, interner: KeyInterner? = nil) {
        base = buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!
        end = buffer.count
        pos = 0
        self.interner = interner
    }

    private init(base: UnsafePointer<UInt8>, from: Int, to: Int, interner: KeyInterner?) {
        self.base = base
        pos = from
        end = to
        self.interner = interner
    }

    /// Wire types.
    package enum WireType: UInt64 { case varint = 0, fixed64 = 1, lengthDelimited = 2, startGroup = 3, endGroup = 4, fixed32 = 5 }

    /// The bytes not read yet.
    package var remainingBytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base + pos, count: end - pos) }

    /// The next field's number and wire type; nil at the end of this message.
    package mutating func nextField() throws(ProtoError) -> (field: Int, wire: WireType)? {
        guard pos < end else { return nil }
        let key = try varint()
        guard let wire = WireType(rawValue: key & 7) else { throw ProtoError(offset: pos, message: "unknown wire type \(key & 7)") }
        let field = key >> 3
        guard field > 0, field <= 536_870_911 else { throw ProtoError(offset: pos, message: "invalid field number \(field)") }
        return (Int(field), wire)
    }

    package mutating func varint() throws(ProtoError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard pos < end else { throw ProtoError(offset: pos, message: "truncated varint") }
            let b = base[pos]
            pos += 1
            if shift == 63 && b > 1 { throw ProtoError(offset: pos - 1, message: "varint longer than 64 bits") }
            result |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return result }
            shift += 7
            if shift > 63 { throw ProtoError(offset: pos, message: "varint longer than 10 bytes") }
        }
    }

    package mutating func fixed64() throws(ProtoError) -> UInt64 {
        guard end - pos >= 8 else { throw ProtoError(offset: pos, message: "truncated fixed64") }
        var v: UInt64 = 0
        for i in 0..<8 { v |= UInt64(base[pos + i]) << (8 * UInt64(i)) }
        pos += 8
        return v
    }

    package mutating func fixed32() throws(ProtoError) -> UInt32 {
        guard end - pos >= 4 else { throw ProtoError(offset: pos, message: "truncated fixed32") }
        var v: UInt32 = 0
        for i in 0..<4 { v |= UInt32(base[pos + i]) << (8 * UInt32(i)) }
        pos += 4
        return v
    }

    /// The raw bytes of a length-delimited field.
    package mutating func bytes() throws(ProtoError) -> UnsafeBufferPointer<UInt8> {
        let length = try varint()
        guard length <= UInt64(end - pos) else { throw ProtoError(offset: pos, message: "length \(length) runs past the end of the message") }
        let slice = UnsafeBufferPointer(start: base + pos, count: Int(length))
        pos += Int(length)
        return slice
    }

    /// A length-delimited field as UTF-8 text, validated.
    package mutating func string() throws(ProtoError) -> String {
        let at = pos
        let raw = try bytes()
        guard let s = String(validating: raw, as: UTF8.self) else { throw ProtoError(offset: at, message: "invalid UTF-8 in a string") }
        return s
    }

    /// A reader over a nested message.
    package mutating func message() throws(ProtoError) -> ProtoReader {
        let length = try varint()
        guard length <= UInt64(end - pos) else { throw ProtoError(offset: pos, message: "length \(length) runs past the end of the message") }
        let sub = ProtoReader(base: base, from: pos, to: pos + Int(length), interner: interner)
        pos += Int(length)
        return sub
    }

    /// Skips a field of a type the caller does not read (unknown fields must be ignored).
    package mutating func skip(_ wire: WireType) throws(ProtoError) {
        switch wire {
        case .varint: _ = try varint()
        case .fixed64: _ = try fixed64()
        case .fixed32: _ = try fixed32()
        case .lengthDelimited: _ = try bytes()
        case .startGroup, .endGroup: throw ProtoError(offset: pos, message: "groups are not used by OTLP")
        }
    }

    /// Throws unless the field has the expected wire type.
    package func expect(_ wire: WireType, _ expected: WireType, field: String) throws(ProtoError) {
        if wire != expected { throw ProtoError(offset: pos, message: "\(field): wire type \(wire.rawValue), expected \(expected.rawValue)") }
    }
}

/// Malformed protobuf, located by byte offset and field path.
///
/// The reader's internal carrier, not an error callers see: the decoder's entry points turn it into
/// an ``AssayError/input(_:)`` (``assayError``), and a span's content problem into a rejection.
package struct ProtoError: Error, Sendable, CustomStringConvertible {
    /// The byte offset of the problem.
    package var offset: Int
    /// The path of fields to the problem, e.g. `resourceSpans[0].scopeSpans[1].spans[3].traceId`.
    package var path = ""
    /// What is wrong.
    package var message: String
    /// The wire format is intact but a value is invalid (a bad id, invalid UTF-8): only the span is rejected.
    package var isContentProblem = false

    package init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }

    package var description: String { "byte \(offset): " + (path.isEmpty ? "" : path + ": ") + message }

    /// The located problem (protobuf has no lines: line 0, the byte offset in the message).
    package var inputProblem: InputProblem { InputProblem(line: 0, path: path, message: "\(message) (byte \(offset))") }

    /// The located problem as the core's error.
    package var assayError: AssayError { .input([inputProblem]) }

    /// The same error seen from the enclosing field `name` (an index in brackets, or a field name).
    package func under(_ name: String) -> ProtoError {
        var copy = self
        copy.path = path.isEmpty ? name : (path.hasPrefix("[") ? name + path : name + "." + path)
        return copy
    }
}
