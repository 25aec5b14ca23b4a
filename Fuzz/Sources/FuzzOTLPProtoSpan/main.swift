import AssayCore
import AssayOTLP
import FuzzSupport

Fuzz.main(testOneInput)

/// One protobuf `Span` message (`OTLPProtoDecoder.decodeSpan`, as stores read a span back); an accepted
/// span must read back the same from the protobuf and the OTLP/JSON its encoders write.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let span = try? OTLPProtoDecoder.decodeSpan(Fuzz.bytes(data, size)) else { return 0 }
    let proto = OTLPProtoEncoder.encode(span)
    do {
        let back = try OTLPProtoDecoder.decodeSpan(proto)
        Fuzz.require(back == span || OTLPProtoEncoder.encode(back) == proto, "the protobuf round trip changed the span")
    } catch {
        Fuzz.require(false, "a span written as protobuf does not read back: \(error)")
    }
    var writer = JSONWriter()
    OTLPJSONEncoder.write(span, to: &writer)
    do {
        let back = try OTLPJSONDecoder.decodeSpan(writer.bytes)
        var again = JSONWriter()
        OTLPJSONEncoder.write(back, to: &again)
        Fuzz.require(back == span || again.bytes == writer.bytes, "the OTLP/JSON round trip changed the span")
    } catch {
        Fuzz.require(false, "a span written as OTLP/JSON does not read back: \(error)")
    }
    return 0
}
