import AssayCore
import FuzzSupport

Fuzz.main(testOneInput)

/// A JSONPath (`JSONPath.init`, as scorer files give one) on its first line, a JSON document after it:
/// the path is looked up in the document, and a path accepted, printed with every member name
/// quoted, must read back to the same steps.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = Fuzz.bytes(data, size)
    let newline = input.firstIndex(of: UInt8(ascii: "\n")) ?? input.endIndex
    guard let path = try? JSONPath(String(decoding: input[..<newline], as: UTF8.self)) else { return 0 }
    if newline < input.endIndex, let document = try? JSONCursor.parse(Array(input[(newline + 1)...])) {
        _ = path.value(in: document)
    }
    let quoted = quotedText(path)
    do {
        let back = try JSONPath(quoted)
        Fuzz.require(back.components == path.components, "the path \(quoted) reads back to other steps")
    } catch {
        Fuzz.require(false, "the path \(quoted) is refused: \(error.problem)")
    }
    return 0
}

/// The path with every member name as `["name"]` (backslash and quote escaped) and indexes as `[n]`.
func quotedText(_ path: JSONPath) -> String {
    "$" + path.components.map { component in
        switch component {
        case .key(let name): "[\"" + name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"]"
        case .index(let n): "[\(n)]"
        }
    }.joined()
}
