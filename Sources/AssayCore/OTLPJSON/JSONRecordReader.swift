package import Foundation

/// One top-level JSON value read from a stream, with the line it starts on.
package struct JSONRecord: Sendable {
    /// The parsed value.
    package var value: JSONValue
    /// The 1-based line its first character is on.
    package var line: Int
    /// How many bytes of input it took.
    package var byteCount: Int
}

/// Reads consecutive JSON values from a byte stream: JSON Lines (one value per line, the format of the
/// OpenTelemetry file exporters), a single document spread over many lines, or several concatenated.
///
/// Memory stays bounded by the largest single value plus one read chunk, so a multi-gigabyte JSON Lines
/// file streams in constant memory.
package struct JSONRecordReader {
    /// The source of bytes: returns the next chunk, or an empty array at the end.
    package typealias ChunkSource = () throws -> [UInt8]

    private let nextChunk: ChunkSource
    private var buffer: [UInt8] = []
    private var pos = 0
    private var line = 1
    private var atEOF = false
    /// Total bytes consumed from the source so far.
    package private(set) var bytesRead = 0

    /// Creates a reader over a chunk source.
    package init(_ nextChunk: @escaping ChunkSource) { self.nextChunk = nextChunk }

    /// Creates a reader over a file handle, reading `chunkSize` bytes at a time.
    package init(handle: FileHandle, chunkSize: Int = 1 << 22) {
        self.init {
            guard let data = try handle.read(upToCount: chunkSize) else { return [] }
            return [UInt8](data)
        }
    }

    /// Creates a reader over bytes already in memory.
    package init(bytes: [UInt8]) {
        var handed = false
        self.init {
            if handed { return [] }
            handed = true
            return bytes
        }
    }

    /// The next value, or nil at the end of input.
    ///
    /// - Throws: `JSONSyntaxError` for malformed input (its line is absolute in the stream). After a
    ///   syntax error the reader moves on to the next line that starts with `{`, so that a caller
    ///   skipping invalid records can carry on.
    package mutating func next() throws -> JSONRecord? {
        while true {
            skipWhitespace()
            if pos >= buffer.count {
                if atEOF { return nil }
                try refill()
                continue
            }
            let startLine = line
            let start = pos
            let outcome: Result<(value: JSONValue, end: Int, line: Int), JSONSyntaxError> = buffer.withUnsafeBufferPointer { b in
                do throws(JSONSyntaxError) { return .success(try JSONParser.parseValue(in: b, from: start, line: startLine)) } catch { return .failure(error) }
            }
            switch outcome {
            case .success(let parsed):
                pos = parsed.end
                line = parsed.line
                return JSONRecord(value: parsed.value, line: startLine, byteCount: parsed.end - start)
            case .failure(let error) where error.isTruncated && !atEOF:
                try refill()
            case .failure(let error):
                resynchronize(after: start)
                throw error
            }
        }
    }

    private mutating func skipWhitespace() {
        while pos < buffer.count {
            let c = buffer[pos]
            if c == 0x0A { line += 1 } else if c != 0x20 && c != 0x09 && c != 0x0D { return }
            pos += 1
        }
    }

    /// Drops consumed bytes and appends at least one more chunk; at least doubles what is pending, so a
    /// value larger than a chunk is re-parsed only a logarithmic number of times.
    private mutating func refill() throws {
        if pos > 0 {
            buffer.removeSubrange(0..<pos)
            pos = 0
        }
        let pending = buffer.count
        var added = 0
        repeat {
            let chunk = try nextChunk()
            if chunk.isEmpty {
                atEOF = true
                return
            }
            bytesRead += chunk.count
            added += chunk.count
            buffer.append(contentsOf: chunk)
        } while added < pending
    }

    /// Skips to the start of the next line that begins with `{`, counting lines on the way.
    private mutating func resynchronize(after start: Int) {
        pos = start
        while true {
            while pos < buffer.count, buffer[pos] != 0x0A { pos += 1 }
            if pos >= buffer.count {
                if atEOF { return }
                guard (try? refill()) != nil else { atEOF = true; return }
                continue
            }
            pos += 1
            line += 1
            if pos >= buffer.count, !atEOF { _ = try? refill() }
            if pos < buffer.count, buffer[pos] == UInt8(ascii: "{") { return }
        }
    }
}
