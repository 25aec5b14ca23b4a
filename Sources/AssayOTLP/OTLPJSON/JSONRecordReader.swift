package import AssayCore
package import Foundation

/// Reads consecutive JSON values from a byte stream and decodes each with a `JSONCursor`:
/// JSON Lines (one value per line, the format of the OpenTelemetry file exporters), a single document
/// spread over many lines, or several concatenated.
///
/// Memory stays bounded by the largest single value plus one read chunk, so a multi-gigabyte JSON
/// Lines file streams in constant memory.
package struct JSONRecordReader {
    /// Fills the given space with the next bytes; returns how many (0 at the end of input).
    package typealias ByteSource = (UnsafeMutableRawBufferPointer) throws -> Int

    private let source: ByteSource
    private let chunkSize: Int
    /// The bytes read and not yet dropped: `buffer[0..<filled]`; its capacity is reused.
    private var buffer: [UInt8]
    private var filled = 0
    private var pos = 0
    private var line = 1
    private var atEOF = false
    private let interner = KeyInterner()
    /// Total bytes consumed from the source so far.
    package private(set) var bytesRead = 0

    /// Creates a reader over a byte source, reading at least `chunkSize` bytes at a time.
    package init(chunkSize: Int = 1 << 22, _ source: @escaping ByteSource) {
        self.source = source
        self.chunkSize = chunkSize
        buffer = []
    }

    /// Creates a reader over an open file descriptor (not closed by the reader); `name` is used in errors.
    package init(fileDescriptor fd: Int32, name: String, chunkSize: Int = 1 << 22) {
        self.init(chunkSize: chunkSize) { space in
            while true {
                let n = read(fd, space.baseAddress, space.count)
                if n >= 0 { return n }
                if errno != EINTR { throw IngestError.unreadable(path: name, reason: String(cString: strerror(errno))) }
            }
        }
    }

    /// Creates a reader over a file handle; `name` is used in errors.
    package init(handle: FileHandle, name: String = "input", chunkSize: Int = 1 << 22) {
        self.init(fileDescriptor: handle.fileDescriptor, name: name, chunkSize: chunkSize)
        retained = handle
    }

    /// The largest single JSON value read: a document larger than this must come as JSON Lines.
    package static let maxRecordBytes = 512 << 20

    /// Keeps a file handle open while the reader uses its descriptor.
    private var retained: FileHandle?

    /// Creates a reader over bytes already in memory.
    package init(bytes: [UInt8]) {
        var offset = 0
        self.init(chunkSize: max(1, bytes.count)) { space in
            let n = min(space.count, bytes.count - offset)
            if n > 0 {
                bytes.withUnsafeBytes { space.baseAddress!.copyMemory(from: $0.baseAddress! + offset, byteCount: n) }
            }
            offset += n
            return n
        }
    }

    /// A decoded value with where it was.
    package struct Record<Value> {
        /// What the decoder made of it.
        package var value: Value
        /// The 1-based line it starts on.
        package var line: Int
        /// Its size in bytes.
        package var byteCount: Int
    }

    /// Decodes the next value with `decode`; nil at the end of input.
    ///
    /// - Throws: `InputProblem` for a value that is malformed or that `decode` refuses (the reader then
    ///   moves past it, so a caller skipping invalid records can carry on); the chunk source's errors.
    package mutating func next<Value>(_ decode: (inout JSONCursor) throws(FieldError) -> Value) throws -> Record<Value>? {
        while true {
            skipWhitespace()
            if pos >= filled {
                if atEOF { return nil }
                try refill()
                continue
            }
            let start = pos, startLine = line
            let outcome: Result<(Value, Int, Int), FieldError> = buffer.withUnsafeBufferPointer { whole in
                let b = UnsafeBufferPointer(rebasing: whole[0..<filled])
                var cursor = JSONCursor(b, from: start, line: startLine, interner: interner)
                do throws(FieldError) {
                    let value = try decode(&cursor)
                    return .success((value, cursor.pos, cursor.line))
                } catch {
                    return .failure(error)
                }
            }
            switch outcome {
            case .success(let (value, end, endLine)):
                pos = end
                line = endLine
                return Record(value: value, line: startLine, byteCount: end - start)
            case .failure(let error) where error.isTruncated && !atEOF:
                try refill()
            case .failure(let error):
                try skipRecord(from: start, line: startLine, syntaxError: error.isSyntax)
                throw error.assayError
            }
        }
    }

    private mutating func skipWhitespace() {
        while pos < filled {
            let c = buffer[pos]
            if c == 0x0A { line += 1 } else if c != 0x20 && c != 0x09 && c != 0x0D { return }
            pos += 1
        }
    }

    /// Drops consumed bytes and reads at least one more chunk into the reused buffer; at least doubles
    /// what is pending, so a value larger than a chunk is re-read only a logarithmic number of times.
    private mutating func refill() throws {
        if pos > 0 {
            let keep = filled - pos
            if keep > 0 { buffer.withUnsafeMutableBytes { $0.baseAddress!.copyMemory(from: $0.baseAddress! + pos, byteCount: keep) } }
            filled = keep
            pos = 0
        }
        let pending = filled
        if pending >= Self.maxRecordBytes {
            throw AssayError.input([InputProblem(line: line, message: "a single JSON value larger than \(Self.maxRecordBytes >> 20) MiB; write one document per line (JSON Lines)")])
        }
        var added = 0
        repeat {
            let want = max(chunkSize, pending)
            if buffer.count - filled < want { buffer += [UInt8](repeating: 0, count: filled + want - buffer.count) }
            let n = try buffer.withUnsafeMutableBytes { raw in
                try source(UnsafeMutableRawBufferPointer(rebasing: raw[filled..<(filled + want)]))
            }
            if n == 0 {
                atEOF = true
                return
            }
            filled += n
            bytesRead += n
            added += n
        } while added < pending
    }

    /// Moves past a rejected value: over it when it is well-formed JSON, else to the next line that
    /// starts with `{` (the next JSON Lines record).
    private mutating func skipRecord(from recordStart: Int, line startLine: Int, syntaxError: Bool) throws {
        var start = recordStart
        while !syntaxError {
            let end: Result<(Int, Int), FieldError> = buffer.withUnsafeBufferPointer { whole in
                let b = UnsafeBufferPointer(rebasing: whole[0..<filled])
                var cursor = JSONCursor(b, from: start, line: startLine)
                do throws(FieldError) {
                    try cursor.skipValue()
                    return .success((cursor.pos, cursor.line))
                } catch {
                    return .failure(error)
                }
            }
            switch end {
            case .success(let (endPos, endLine)):
                pos = endPos
                line = endLine
                return
            case .failure(let error) where error.isTruncated && !atEOF:
                pos = start
                try refill()
                start = pos
                continue
            case .failure:
                break
            }
            break
        }
        pos = start
        line = startLine
        while true {
            while pos < filled, buffer[pos] != 0x0A { pos += 1 }
            if pos >= filled {
                if atEOF { return }
                try refill()
                continue
            }
            pos += 1
            line += 1
            if pos >= filled, !atEOF { try refill() }
            if pos < filled, buffer[pos] == UInt8(ascii: "{") { return }
        }
    }
}
