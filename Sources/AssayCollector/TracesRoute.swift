import AssayCore
import AssayOTLP
import Foundation
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// `POST /v1/traces`: OTLP/HTTP trace export (shared/reference/formats.md, section 2).
struct TracesRoute: Sendable {
    let writer: SpanWriter
    let configuration: CollectorConfiguration
    let metrics: CollectorMetrics
    let inFlight = InFlightLimit()

    func handle(_ request: Request, context: some RequestContext) async throws -> Response {
        let started = ContinuousClock.now
        let response = await answer(request, logger: context.logger)
        metrics.request(path: "/v1/traces", status: response.status.code)
        let elapsed = ContinuousClock.now - started
        context.logger.info("export", metadata: [
            "status": "\(response.status.code)",
            "ms": "\(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)",
        ])
        return response
    }

    private func answer(_ request: Request, logger: Logger) async -> Response {
        guard let encoding = OTLPEncoding(contentType: request.headers[.contentType]) else {
            metrics.rejected(0, reason: "unsupported_media_type")
            return OTLPResponse.failure(.unsupportedMediaType,
                                        "Content-Type must be application/json or application/x-protobuf", encoding: nil)
        }
        guard inFlight.enter(limit: configuration.maxConcurrentRequests) else {
            metrics.rejected(0, reason: "too_many_requests")
            return OTLPResponse.failure(.serviceUnavailable, "too many export requests at once; retry later", encoding: encoding, extraHeaders: Self.retryAfter)
        }
        defer { inFlight.leave() }
        let body: ByteBuffer
        do {
            body = try await RequestBody.read(request, limit: configuration.maxBodyBytes, timeoutSeconds: configuration.readTimeoutSeconds)
        } catch is NIOTooManyBytesError {
            return OTLPResponse.failure(.contentTooLarge, "the request body is over \(configuration.maxBodyBytes) bytes", encoding: encoding)
        } catch is RequestBody.Timeout {
            return OTLPResponse.failure(.requestTimeout, "the request body took longer than \(configuration.readTimeoutSeconds) s", encoding: encoding)
        } catch {
            return OTLPResponse.failure(.badRequest, "the request body could not be read", encoding: encoding)
        }
        let decoded: DecodedRecord
        do {
            let plain = try OTLPPayload.decompress(body, encoding: request.headers[.contentEncoding], limit: configuration.maxBodyBytes)
            decoded = try OTLPPayload.decode(plain, as: encoding)
        } catch {
            return failure(error, encoding: encoding)
        }
        let batch = IngestBatch(decoded)
        metrics.rejected(decoded.rejected.count, reason: "invalid")
        let message = Self.rejectionMessage(decoded.rejected)
        guard !batch.spans.isEmpty else {
            return OTLPResponse.success(rejected: decoded.rejected.count, message: message, encoding: encoding)
        }
        do {
            let counts = try await writer.submit(batch)
            metrics.accepted(counts.spansNew + counts.spansPresent)
            logger.debug("committed", metadata: ["new": "\(counts.spansNew)", "present": "\(counts.spansPresent)", "rejected": "\(decoded.rejected.count)"])
            return OTLPResponse.success(rejected: decoded.rejected.count, message: message, encoding: encoding)
        } catch SpanWriter.Failure.queueFull {
            metrics.rejected(batch.spans.count, reason: "queue_full")
            return OTLPResponse.failure(.serviceUnavailable, "the write queue is full; retry later", encoding: encoding, extraHeaders: Self.retryAfter)
        } catch SpanWriter.Failure.shuttingDown {
            metrics.rejected(batch.spans.count, reason: "shutting_down")
            return OTLPResponse.failure(.serviceUnavailable, "the collector is shutting down; retry later", encoding: encoding, extraHeaders: Self.retryAfter)
        } catch {
            metrics.rejected(batch.spans.count, reason: "store_error")
            logger.error("store write failed", metadata: ["error": "\(error)"])
            return OTLPResponse.failure(.serviceUnavailable, "the store could not commit the spans; retry later", encoding: encoding, extraHeaders: Self.retryAfter)
        }
    }

    private static var retryAfter: HTTPFields {
        var headers = HTTPFields()
        headers[.retryAfter] = "1"
        return headers
    }

    private func failure(_ error: PayloadError, encoding: OTLPEncoding) -> Response {
        switch error {
        case .tooLarge(let limit):
            metrics.rejected(0, reason: "too_large")
            return OTLPResponse.failure(.contentTooLarge, "the decompressed request body is over \(limit) bytes", encoding: encoding)
        case .unsupportedEncoding(let name):
            return OTLPResponse.failure(.unsupportedMediaType, "Content-Encoding \(name) is not supported (use gzip or deflate)", encoding: encoding)
        case .corruptCompression(let message), .unparseable(let message):
            metrics.rejected(0, reason: "unparseable")
            return OTLPResponse.failure(.badRequest, message, encoding: encoding)
        }
    }

    /// The first rejections, located (paths and problems, never span content), for `errorMessage`.
    static func rejectionMessage(_ rejected: [InputError]) -> String {
        guard !rejected.isEmpty else { return "" }
        let shown = rejected.prefix(5).map { e in e.line > 0 ? e.description : (e.path.isEmpty ? "" : e.path + ": ") + e.message }
        let more = rejected.count > 5 ? "; and \(rejected.count - 5) more" : ""
        return "\(rejected.count) spans rejected: " + shown.joined(separator: "; ") + more
    }
}

/// Counts export requests being handled, to turn away those over the limit.
final class InFlightLimit: Sendable {
    private let count = Mutex(0)

    /// Takes a place; false when `limit` are taken.
    func enter(limit: Int) -> Bool {
        count.withLock { n in
            guard n < limit else { return false }
            n += 1
            return true
        }
    }

    /// Gives a place back.
    func leave() { count.withLock { $0 -= 1 } }
}
