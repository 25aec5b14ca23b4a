package import AssayCore
import Foundation
import Hummingbird
import NIOCore

/// `POST /v1/feedback`: feedback as JSON (one object or an array of objects) or JSON Lines
/// (`application/x-ndjson`), in the format of `assay feedback import` (docs/feedback.md).
///
/// All or nothing: 200 `{"accepted": n, "alreadyStored": m, "ids": [...]}`; 400 with every problem
/// located (`line: path: problem`); 422 when a trace or span is not stored; 415, 413, 408 and 503 as
/// for `/v1/traces`. Feedback is queued behind the spans already accepted, so feedback sent after an
/// export that succeeded finds its trace.
package struct FeedbackRoute: Sendable {
    let writer: SpanWriter
    let configuration: CollectorConfiguration
    let metrics: CollectorMetrics

    func handle(_ request: Request, context: some RequestContext) async throws -> Response {
        let response = await answer(request)
        metrics.request(path: "/v1/feedback", status: response.status.code)
        context.logger.info("feedback", metadata: ["status": "\(response.status.code)"])
        return response
    }

    private func answer(_ request: Request) async -> Response {
        let type = (request.headers[.contentType] ?? "").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        let lines = type == "application/x-ndjson" || type == "application/jsonl"
        guard lines || type == "application/json" else {
            return Self.error(.unsupportedMediaType, "Content-Type must be application/json or application/x-ndjson")
        }
        let body: ByteBuffer
        do {
            body = try await RequestBody.read(request, limit: configuration.maxBodyBytes, timeoutSeconds: configuration.readTimeoutSeconds)
        } catch is NIOTooManyBytesError {
            return Self.error(.contentTooLarge, "the request body is over \(configuration.maxBodyBytes) bytes")
        } catch is RequestBody.Timeout {
            return Self.error(.requestTimeout, "the request body took longer than \(configuration.readTimeoutSeconds) s")
        } catch {
            return Self.error(.badRequest, "the request body could not be read")
        }
        let text = String(decoding: body.readableBytesView, as: UTF8.self)
        let items: [Feedback]
        switch Self.decode(text, lines: lines, now: Self.now()) {
        case .success(let decoded): items = decoded
        case .failure(let error):
            return Self.error(.badRequest, error.problems.prefix(20).map(\.description).joined(separator: "; "))
        }
        guard !items.isEmpty else { return Self.error(.badRequest, "no feedback in the request body") }
        do {
            let counts = try await writer.submit(items)
            return Self.json(.ok, .object([
                ("accepted", .number(String(counts.added))), ("alreadyStored", .number(String(counts.present))),
                ("ids", .array(items.map { .string($0.id.rawValue) })),
            ]))
        } catch let refused as FeedbackRefused {
            return Self.json(.unprocessableContent, .object([
                ("error", .string("feedback refused, nothing stored: " + refused.description)),
                ("unknown", .array(refused.unknown.map { u in
                    .object([("index", .number(String(u.index))), ("traceId", .string(u.traceID.description)),
                             ("spanId", u.spanID.map { .string($0.description) } ?? .null)])
                })),
            ]))
        } catch SpanWriter.Failure.queueFull {
            return Self.error(.serviceUnavailable, "the write queue is full; retry later", retry: true)
        } catch {
            return Self.error(.serviceUnavailable, "the store could not commit the feedback; retry later", retry: true)
        }
    }

    /// Decodes a body: JSON Lines, or one JSON object or array of objects.
    package static func decode(_ text: String, lines: Bool, now: UInt64) -> Result<[Feedback], InputProblems> {
        if lines { return FeedbackLines.parse(text, source: "body", now: now, defaultAuthor: "anonymous") }
        let value: JSONValue
        do { value = try JSONValue.parse(text) } catch {
            var e = error as? InputError ?? InputError(line: 1, message: "not JSON")
            e.source = "body"
            return .failure(InputProblems(problems: [e]))
        }
        let objects = value.elements ?? [value]
        var items: [Feedback] = []
        var problems: [InputError] = []
        for (i, object) in objects.enumerated() {
            do { items.append(try FeedbackJSON.decode(object, now: now)) } catch {
                var e = error
                e.source = "body"
                if value.elements != nil { e.path = e.path.isEmpty ? "[\(i)]" : "[\(i)].\(e.path)" }
                problems.append(e)
            }
        }
        return problems.isEmpty ? .success(items) : .failure(InputProblems(problems: problems))
    }

    private static func now() -> UInt64 { WallClock.nowNanos() }

    private static func error(_ status: HTTPResponse.Status, _ message: String, retry: Bool = false) -> Response {
        var response = json(status, .object([("error", .string(message))]))
        if retry { response.headers[.retryAfter] = "1" }
        return response
    }

    private static func json(_ status: HTTPResponse.Status, _ value: JSONValue) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: value.compactJSON + "\n")))
    }
}
