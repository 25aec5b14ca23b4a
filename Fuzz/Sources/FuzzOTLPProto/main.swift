import AssayCore
import AssayOTLP
import FuzzSupport

Fuzz.main(testOneInput)

/// One OTLP protobuf `ExportTraceServiceRequest` (`OTLPProtoDecoder.decode`, as `/v1/traces` reads
/// it); the spans it accepts must read back the same through both encoders, and each accepted span's
/// own message bytes must decode to that span.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let decoded = try? OTLPProtoDecoder.decode(Fuzz.bytes(data, size)) else { return 0 }
    Fuzz.checkOTLPRoundTrips(decoded.data)
    let spans = decoded.data.allSpans
    if let messages = decoded.spanMessages {
        Fuzz.require(messages.count == spans.count, "\(messages.count) span messages for \(spans.count) spans")
        for (message, span) in zip(messages, spans) {
            let again = try? OTLPProtoDecoder.decodeSpan(message)
            Fuzz.require(again == span || again.map(OTLPProtoEncoder.encode) == OTLPProtoEncoder.encode(span),
                         "a span's stored message does not decode to the span")
        }
    }
    return 0
}
