import AssayCore
import AssayEval
import FuzzSupport

Fuzz.main(testOneInput)

/// A whole scorer file (`ScorerFileLoader.parse`, as `assay run` and `assay score` read `Scorers/`).
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    _ = try? ScorerFileLoader().parse(String(decoding: Fuzz.bytes(data, size), as: UTF8.self), source: "/nonexistent/fuzz.yaml")
    return 0
}
