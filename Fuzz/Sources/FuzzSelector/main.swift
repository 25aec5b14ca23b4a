import AssayCore
import FuzzSupport

Fuzz.main(testOneInput)

/// A span selector's text (`SpanSelector.parse`, as dataset lines and scorer files give it); a
/// selector accepted must read back equal from its own text (`description`, which promotion writes
/// into dataset lines).
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let text = String(decoding: Fuzz.bytes(data, size), as: UTF8.self)
    guard let selector = try? SpanSelector.parse(text) else { return 0 }
    do {
        let back = try SpanSelector.parse(selector.description)
        Fuzz.require(back == selector, "the selector \(selector.description) reads back different")
    } catch {
        Fuzz.require(false, "the selector's own text \(selector.description) is refused: \(error)")
    }
    return 0
}
