import CLibFuzzer
import Foundation

/// What the fuzz targets share: running libFuzzer, and the checks whose failure is a finding.
///
/// A target's `main.swift` defines `LLVMFuzzerTestOneInput` and hands it to `main`:
///
/// ```swift
/// Fuzz.main(testOneInput)
///
/// @_cdecl("LLVMFuzzerTestOneInput")
/// public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
///     let bytes = Fuzz.bytes(data, size)
///     // parse `bytes`; trap with `Fuzz.require` when a round trip does not give the same value
///     return 0
/// }
/// ```
public enum Fuzz {
    /// Runs libFuzzer with the process's command line, calling `test` once per input, and exits with
    /// libFuzzer's status (non-zero when it found a crash, a trap, a time-out or ran out of memory).
    public static func main(_ test: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Never {
        exit(assay_fuzz_run(CommandLine.argc, CommandLine.unsafeArgv, test))
    }

    /// The input as an array (libFuzzer may pass a null pointer for the empty input).
    public static func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
        guard let data, size > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: size))
    }

    /// Traps, so that libFuzzer reports the input, when `condition` is false.
    ///
    /// - Parameter message: what did not hold, e.g. "the JSON round trip changed the spans".
    public static func require(_ condition: Bool, _ message: @autoclosure () -> String) {
        if !condition { fatalError("fuzz check failed: " + message()) }
    }
}
