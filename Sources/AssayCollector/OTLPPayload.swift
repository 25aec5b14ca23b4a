import AssayCore
package import AssayOTLP
import CompressNIO
import Foundation
import NIOCore

/// The two OTLP/HTTP encodings, chosen by Content-Type (parameters such as `charset` ignored).
package enum OTLPEncoding: Sendable {
    case json, protobuf

    /// The encoding for a Content-Type header value, or nil when it is neither.
    package init?(contentType: String?) {
        guard let contentType else { return nil }
        let media = contentType.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        switch media {
        case "application/json": self = .json
        case "application/x-protobuf", "application/protobuf": self = .protobuf
        default: return nil
        }
    }

    /// The Content-Type of responses in this encoding.
    var contentType: String { self == .json ? "application/json" : "application/x-protobuf" }
}

/// Decompresses and decodes OTLP/HTTP trace request bodies.
package enum OTLPPayload {
    /// Undoes `Content-Encoding` (gzip, deflate, or none), never producing more than `limit` bytes,
    /// so a small compressed bomb is refused without exhausting memory.
    static func decompress(_ body: ByteBuffer, encoding: String?, limit: Int) throws(CollectorError) -> ByteBuffer {
        let name = (encoding ?? "identity").trimmingCharacters(in: .whitespaces).lowercased()
        var input = body
        do {
            switch name {
            case "", "identity":
                return body
            case "gzip", "x-gzip":
                return try input.decompress(with: .gzip(), maxSize: limit)
            case "deflate":
                // RFC 9110 "deflate" is the zlib format; some clients send raw deflate, so fall back to it.
                if let inflated = try? input.decompress(with: .zlib(), maxSize: limit) { return inflated }
                var raw = body
                return try raw.decompress(with: .deflate(), maxSize: limit)
            default:
                throw CollectorError.unsupportedEncoding(name)
            }
        } catch let error as CollectorError {
            throw error
        } catch let error as CompressNIOError where error == .bufferOverflow {
            throw .tooLarge(limit: limit, decompressed: true)
        } catch {
            throw .corruptCompression("the \(name) body does not decompress: \(error)")
        }
    }

    /// Decodes a request body in `encoding` into spans and per-span rejections, straight from the
    /// request's buffer.
    static func decode(_ body: ByteBuffer, as encoding: OTLPEncoding) throws(CollectorError) -> DecodedRecord {
        var result: Result<DecodedRecord, CollectorError>!
        body.withUnsafeReadableBytes { raw in
            let buffer = raw.bindMemory(to: UInt8.self)
            switch encoding {
            case .json:
                do throws(AssayError) {
                    result = .success(try OTLPJSONDecoder.decode(buffer: buffer, interner: KeyInterner(capacity: 256)))
                } catch {
                    result = .failure(.unparseable("invalid OTLP/JSON: " + error.description))
                }
            case .protobuf:
                do throws(AssayError) {
                    result = .success(try OTLPProtoDecoder.decode(buffer: buffer, interner: KeyInterner(capacity: 256)))
                } catch {
                    result = .failure(.unparseable("invalid OTLP protobuf: " + error.description))
                }
            }
        }
        return try result.get()
    }
}

extension OTLPPayload {
    /// Undoes `contentEncoding` and decodes the body, as `/v1/traces` does with a body it has read
    /// (the fuzz target `FuzzCollectorBody` calls this).
    package static func decode(_ body: [UInt8], contentEncoding: String?, as encoding: OTLPEncoding, limit: Int) throws(CollectorError) -> DecodedRecord {
        try decode(decompress(ByteBuffer(bytes: body), encoding: contentEncoding, limit: limit), as: encoding)
    }
}
