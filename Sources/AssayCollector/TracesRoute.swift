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
            return failure(.unsupportedMediaType("Content-Type must be application/json or application/x-protobuf"), spans: 0, encoding: nil)
        }
        guard inFlight.enter(limit: configuration.maxConcurrentRequests) else {
            return failure(.tooManyRequests, spans: 0, encoding: encoding)
        }
        defer { inFlight.leave() }
        let decoded: DecodedRecord
        do throws(CollectorError) {
            let body = try await RequestBody.read(request, limit: configuration.maxBodyBytes, timeoutSeconds: configuration.readTimeoutSeconds)
            let plain = try OTLPPayload.decompress(body, encoding: request.headers[.contentEncoding], limit: configuration.maxBodyBytes)
            decoded = try OTLPPayload.decode(plain, as: encoding)
        } catch {
            return failure(error, spans: 0, encoding: encoding)
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
        } catch let error as CollectorError {
            return failure(error, spans: batch.spans.count, encoding: encoding)
        } catch {
            logger.error("store write failed", metadata: ["error": "\(error)"])
            return failure(.storeFailed("spans"), spans: batch.spans.count, encoding: encoding)
        }
    }

    /// Answers a failure with the status the error chooses, counting the spans it turned away.
    private func failure(_ error: CollectorError, spans: Int, encoding: OTLPEncoding?) -> Response {
        metrics.rejected(spans, reason: error.metricReason)
        var headers = HTTPFields()
        if error.retryable { headers[.retryAfter] = "1" }
        return OTLPResponse.failure(error.status, error.description, encoding: encoding, extraHeaders: headers)
    }

    /// The first rejections, located (paths and problems, never span content), for `errorMessage`.
    static func rejectionMessage(_ rejected: [InputProblem]) -> String {
        guard !rejected.isEmpty else { return "" }
        let shown = rejected.prefix(5).map(\.description)
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
