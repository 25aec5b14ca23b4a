import AssayCore
import AssayEval
import AssayRunner
import FuzzSupport

Fuzz.main(testOneInput)

/// A whole suite file (`SuiteLoader.parse`, as `assay run` reads `assay.yaml`). Relative paths in it
/// point into a folder that does not exist, so that the loader does not read the project's files.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let text = String(decoding: Fuzz.bytes(data, size), as: UTF8.self)
    _ = try? SuiteLoader(scorers: ScorerFileLoader()).parse(text, source: "/nonexistent/assay.yaml")
    return 0
}
