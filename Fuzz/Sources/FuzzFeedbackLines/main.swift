import AssayCore
import FuzzSupport

Fuzz.main(testOneInput)

/// Feedback in JSON Lines (`FeedbackLines.parse`, as `assay feedback import` reads a file); each item
/// accepted, written as its line (`FeedbackJSON.line`, as listings and exports print it) and read
/// again, must give the same feedback.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let text = String(decoding: Fuzz.bytes(data, size), as: UTF8.self)
    guard case .success(let items) = FeedbackLines.parse(text, source: "fuzz", now: 1, defaultAuthor: "fuzz") else { return 0 }
    for item in items {
        let line = FeedbackJSON.line(item)
        switch FeedbackLines.parse(line, source: "again", now: 2, defaultAuthor: "other") {
        case .success(let back):
            Fuzz.require(back == [item], "feedback written as a line reads back different: \(line)")
        case .failure(let problems):
            Fuzz.require(false, "feedback written as a line does not read back: \(problems)")
        }
    }
    return 0
}
