public import AssayCore
import AssayOTLP

extension Fuzz {
    /// Checks that spans a decoder accepted read back the same through both OTLP encoders: written as
    /// OTLP/JSON and read again, and written as protobuf and read again, they give the same value and
    /// no span is rejected. Traps otherwise.
    ///
    /// Values are compared with `==`, and, where that fails, by the bytes each encoder writes for them,
    /// so that a NaN attribute (never equal to itself) still counts as read back.
    public static func checkOTLPRoundTrips(_ data: TracesData) {
        let json = OTLPJSONEncoder.encode(data)
        do {
            let back = try OTLPJSONDecoder.decode(json)
            require(back.rejected.isEmpty, "OTLP/JSON written by the encoder has a rejected span: \(back.rejected[0])")
            require(back.data == data || OTLPJSONEncoder.encode(back.data) == json, "the OTLP/JSON round trip changed the spans")
        } catch {
            require(false, "OTLP/JSON written by the encoder does not read back: \(error)")
        }
        let proto = OTLPProtoEncoder.encode(data)
        do {
            let back = try OTLPProtoDecoder.decode(proto)
            require(back.rejected.isEmpty, "protobuf written by the encoder has a rejected span: \(back.rejected[0])")
            require(back.data == data || OTLPProtoEncoder.encode(back.data) == proto, "the protobuf round trip changed the spans")
        } catch {
            require(false, "protobuf written by the encoder does not read back: \(error)")
        }
    }
}
