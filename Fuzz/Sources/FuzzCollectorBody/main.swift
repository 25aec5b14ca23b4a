import AssayCollector
import AssayCore
import AssayOTLP
import FuzzSupport

Fuzz.main(testOneInput)

/// A request body of the collector's routes, read as the route reads it. The first byte chooses the
/// route and headers (`Route`); the rest is the body.
///
/// `/v1/traces` bodies are decompressed and decoded (`OTLPPayload.decode`) and made into the batch
/// the store is given, whose resources, scopes and spans must read back as the spans they came from;
/// `/v1/feedback` bodies are decoded by `FeedbackRoute.decode`.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = Fuzz.bytes(data, size)
    guard let first = input.first else { return 0 }
    let route = Route(first)
    let body = Array(input.dropFirst())
    if let contentType = route.feedbackContentType {
        _ = FeedbackRoute.decode(String(decoding: body, as: UTF8.self), lines: contentType != "application/json", now: 1)
        return 0
    }
    guard let encoding = OTLPEncoding(contentType: route.tracesContentType),
          let decoded = try? OTLPPayload.decode(body, contentEncoding: route.contentEncoding, as: encoding, limit: 1 << 20)
    else { return 0 }
    checkBatch(IngestBatch(decoded), of: decoded.data)
    return 0
}

/// Checks that every stored part of the batch decodes to the value it was made from.
func checkBatch(_ batch: IngestBatch, of data: TracesData) {
    Fuzz.require(batch.spans.count == data.allSpans.count, "the batch has \(batch.spans.count) of \(data.allSpans.count) spans")
    for (prepared, original) in zip(batch.spans, data.allSpans) {
        let span = try? OTLPProtoDecoder.decodeSpan(prepared.payload)
        Fuzz.require(span == original || span.map(OTLPProtoEncoder.encode) == OTLPProtoEncoder.encode(original),
                     "a stored span payload does not decode to its span")
    }
    for body in batch.resources {
        let resource = try? OTLPProtoDecoder.decodeResourceBody(body)
        Fuzz.require(resource.map { OTLPProtoEncoder.encodeResourceBody($0.0, schemaURL: $0.1) } == body, "a stored resource does not read back")
    }
    for body in batch.scopes {
        let scope = try? OTLPProtoDecoder.decodeScopeBody(body)
        Fuzz.require(scope.map { OTLPProtoEncoder.encodeScopeBody($0.0, schemaURL: $0.1) } == body, "a stored scope does not read back")
    }
}

/// The route and headers a first byte stands for: bits 0-1 the route and Content-Type, bits 2-3 the
/// Content-Encoding.
struct Route {
    var tracesContentType: String?
    var feedbackContentType: String?
    var contentEncoding: String?

    init(_ byte: UInt8) {
        switch byte & 3 {
        case 0: tracesContentType = "application/json"
        case 1: tracesContentType = "application/x-protobuf"
        case 2: feedbackContentType = "application/json"
        default: feedbackContentType = "application/x-ndjson"
        }
        contentEncoding = [nil, "gzip", "deflate", "identity"][Int(byte >> 2 & 3)]
    }
}
