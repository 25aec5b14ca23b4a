import AssayCore
import AssayOTLP
import FuzzSupport

Fuzz.main(testOneInput)

/// One OTLP/JSON document (`OTLPJSONDecoder.decode`, as `assay ingest` and `/v1/traces` read it);
/// the spans it accepts must read back the same through both encoders.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let decoded = try? OTLPJSONDecoder.decode(Fuzz.bytes(data, size)) else { return 0 }
    Fuzz.checkOTLPRoundTrips(decoded.data)
    return 0
}
