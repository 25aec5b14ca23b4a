import AssayCore
import AssayOTLP
import Hummingbird

/// Builds OTLP/HTTP responses in the request's encoding (docs/specification.md "OTLP/HTTP Response"):
/// an `ExportTraceServiceResponse` on success, with `partialSuccess` when spans were rejected, and a
/// `google.rpc.Status` on failure.
enum OTLPResponse {
    /// 200 with an empty response, or a partial success naming the rejected spans.
    static func success(rejected: Int, message: String, encoding: OTLPEncoding) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = encoding.contentType
        switch encoding {
        case .json:
            var w = JSONWriter(capacity: 128)
            if rejected == 0 {
                w.raw("{}")
            } else {
                w.raw("{\"partialSuccess\":{\"rejectedSpans\":")
                w.quotedInteger(rejected)
                w.raw(",\"errorMessage\":")
                w.string(message)
                w.raw("}}")
            }
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: w.bytes)))
        case .protobuf:
            var w = ProtoWriter(capacity: 128)
            if rejected > 0 {
                w.messageField(1) { p in
                    p.varintField(1, UInt64(rejected))
                    p.stringField(2, message)
                }
            }
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: w.bytes)))
        }
    }

    /// A failure with a `google.rpc.Status` body (JSON when the request's encoding is unknown).
    static func failure(_ status: HTTPResponse.Status, _ message: String, encoding: OTLPEncoding?, extraHeaders: HTTPFields = [:]) -> Response {
        var headers = extraHeaders
        let encoding = encoding ?? .json
        headers[.contentType] = encoding.contentType
        let code = grpcCode(for: status)
        switch encoding {
        case .json:
            var w = JSONWriter(capacity: 128)
            w.raw("{\"code\":")
            w.integer(code)
            w.raw(",\"message\":")
            w.string(message)
            w.raw("}")
            return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: w.bytes)))
        case .protobuf:
            var w = ProtoWriter(capacity: 128)
            w.varintField(1, UInt64(code))
            w.stringField(2, message)
            return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: w.bytes)))
        }
    }

    /// The gRPC status code that matches an HTTP status (google.rpc.Code).
    static func grpcCode(for status: HTTPResponse.Status) -> Int {
        switch status.code {
        case 400: 3  // INVALID_ARGUMENT
        case 401: 16  // UNAUTHENTICATED
        case 404: 5  // NOT_FOUND
        case 408: 4  // DEADLINE_EXCEEDED
        case 413: 8  // RESOURCE_EXHAUSTED
        case 415: 3  // INVALID_ARGUMENT
        case 429: 8  // RESOURCE_EXHAUSTED
        case 503: 14  // UNAVAILABLE
        default: 13  // INTERNAL
        }
    }
}
