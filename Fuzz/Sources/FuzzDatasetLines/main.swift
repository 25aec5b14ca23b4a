import AssayCore
import FuzzSupport

Fuzz.main(testOneInput)

/// A dataset file (`DatasetParser.parse`, as `assay dataset check` and the runner read one); each
/// example accepted, written as its line (`DatasetLine.encode`, as promotion writes it) and read again,
/// must be accepted and write the same line.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let text = String(decoding: Fuzz.bytes(data, size), as: UTF8.self)
    for example in DatasetParser.parse(text, source: "fuzz").examples {
        let line = DatasetLine.encode(example)
        let again = DatasetParser.parse(line + "\n", source: "again")
        Fuzz.require(again.problems.isEmpty, "a dataset line written by the encoder is refused: \(again.problems[0])")
        Fuzz.require(again.examples.count == 1 && DatasetLine.encode(again.examples[0]) == line,
                     "a dataset line written by the encoder reads back different: \(line)")
    }
    return 0
}
