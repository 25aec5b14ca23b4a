import AssayCore
import AssayOTLP
import FuzzSupport

Fuzz.main(testOneInput)

/// A stream of OTLP/JSON records (JSON Lines or concatenated documents, as `assay ingest` reads a file
/// or standard input, `JSONRecordReader`). The stream is read twice, in chunks of a few bytes (the
/// input's first byte sets how many) and in one chunk: both readings must give the same records and
/// errors, on the same lines. (The round trips of the records' spans are `FuzzOTLPJSON`'s.)
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = Fuzz.bytes(data, size)
    guard let first = input.first else { return 0 }
    let stream = Array(input.dropFirst())
    let small = read(stream, chunkSize: 1 + Int(first % 64))
    let whole = read(stream, chunkSize: 1 << 20)
    Fuzz.require(small == whole, "reading in chunks of \(1 + Int(first % 64)) bytes gave other records than in one chunk")
    return 0
}

/// What the reader made of one record.
enum Outcome: Equatable {
    case record(TracesData, line: Int, rejected: Int)
    case error(String)

    /// Records are equal when they are on the same line, reject as many spans and encode to the same
    /// OTLP/JSON (a NaN attribute is never `==` to itself).
    static func == (a: Outcome, b: Outcome) -> Bool {
        switch (a, b) {
        case let (.record(x, line, rejected), .record(y, line2, rejected2)):
            return line == line2 && rejected == rejected2 && (x == y || OTLPJSONEncoder.encode(x) == OTLPJSONEncoder.encode(y))
        case let (.error(x), .error(y)): return x == y
        default: return false
        }
    }
}

/// Reads every record of `stream`, handing the reader at most `chunkSize` bytes at a time.
func read(_ stream: [UInt8], chunkSize: Int) -> [Outcome] {
    var offset = 0
    var reader = JSONRecordReader(chunkSize: chunkSize) { space in
        let n = min(space.count, chunkSize, stream.count - offset)
        if n > 0 { stream.withUnsafeBytes { space.baseAddress!.copyMemory(from: $0.baseAddress! + offset, byteCount: n) } }
        offset += n
        return n
    }
    var outcomes: [Outcome] = []
    while outcomes.count < 10_000 {
        do {
            guard let record = try reader.next(OTLPJSONDecoder.decodeRecord) else { break }
            outcomes.append(.record(record.value.data, line: record.line, rejected: record.value.rejected.count))
        } catch {
            outcomes.append(.error("\(error)"))
        }
    }
    return outcomes
}
