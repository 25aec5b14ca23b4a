package import AssayCore
import Foundation
import Hummingbird
import NIOCore

/// `POST /v1/feedback`: feedback as JSON (one object or an array of objects) or JSON Lines
/// (`application/x-ndjson`), in the format of `assay feedback import` (docs/feedback.md).
///
/// All or nothing: 200 `{"accepted": n, "alreadyStored": m, "ids": [...]}`; 400 with every problem
/// located (`line: path: problem`); 422 when a trace or span is not stored, or a trace is not a turn
/// of the item's session; 415, 413, 408 and 503 as for `/v1/traces`. Feedback is queued behind the
/// spans already accepted, so feedback sent after an export that succeeded finds its trace. An item
/// on a whole session (`sessionId`) may leave out `traceId`: it is stored on the session's first trace,
/// read from the store when the request arrives.
package struct FeedbackRoute: Sendable {
    let writer: SpanWriter
    let store: any TraceStore
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
            return Self.error(.unsupportedMediaType("Content-Type must be application/json or application/x-ndjson"))
        }
        let body: ByteBuffer
        do throws(CollectorError) {
            body = try await RequestBody.read(request, limit: configuration.maxBodyBytes, timeoutSeconds: configuration.readTimeoutSeconds)
        } catch {
            return Self.error(error)
        }
        let text = String(decoding: body.readableBytesView, as: UTF8.self)
        let items: [Feedback]
        var storeFailed = false
        let decoded = Self.decode(text, lines: lines, now: Self.now()) { [store] session in
            do { return try store.sessionAnchor(session) } catch {
                storeFailed = true
                return nil
            }
        }
        if storeFailed { return Self.error(.storeFailed("feedback")) }
        switch decoded {
        case .success(let decoded): items = decoded
        case .failure(let error):
            return Self.error(.unparseable(error.inputProblems.prefix(20).map(\.description).joined(separator: "; ")))
        }
        guard !items.isEmpty else { return Self.error(.unparseable("no feedback in the request body")) }
        do {
            let counts = try await writer.submit(items)
            return Self.json(.ok, .object([
                ("accepted", .number(String(counts.added))), ("alreadyStored", .number(String(counts.present))),
                ("ids", .array(items.map { .string($0.id.rawValue) })),
            ]))
        } catch let refused as AssayError where !refused.unknownTargets.isEmpty {
            return Self.json(HTTPResponse.Status(code: refused.httpStatus), .object([
                ("error", .string("feedback refused, nothing stored: " + refused.description)),
                ("unknown", .array(refused.unknownTargets.map { u in
                    .object([("index", .number(String(u.index))), ("traceId", .string(u.traceID.description)),
                             ("spanId", u.spanID.map { .string($0.description) } ?? .null)]
                            + (u.sessionID.map { [("sessionId", JSONValue.string($0))] } ?? []))
                })),
            ]))
        } catch let error as CollectorError {
            return Self.error(error)
        } catch {
            return Self.error(.storeFailed("feedback"))
        }
    }

    /// Decodes a body: JSON Lines, or one JSON object or array of objects. `sessionAnchor` gives the
    /// first trace of a session, for items with a `sessionId` and no `traceId`.
    package static func decode(_ text: String, lines: Bool, now: UInt64,
                               sessionAnchor: (String) -> TraceID? = { _ in nil }) -> Result<[Feedback], AssayError> {
        if lines { return FeedbackLines.parse(text, source: "body", now: now, defaultAuthor: "anonymous", sessionAnchor: sessionAnchor) }
        let value: JSONValue
        do { value = try JSONValue.parse(text) } catch {
            return .failure(.input(error.inputProblems.map { var e = $0; e.source = "body"; return e }))
        }
        let objects = value.elements ?? [value]
        var items: [Feedback] = []
        var problems: [InputProblem] = []
        for (i, object) in objects.enumerated() {
            do { items.append(try FeedbackJSON.decode(object, now: now, sessionAnchor: sessionAnchor)) } catch {
                for var e in error.inputProblems {
                    e.source = "body"
                    if value.elements != nil { e.path = e.path.isEmpty ? "[\(i)]" : "[\(i)].\(e.path)" }
                    problems.append(e)
                }
            }
        }
        return problems.isEmpty ? .success(items) : .failure(AssayError.input(problems))
    }

    private static func now() -> UInt64 { WallClock.nowNanos() }

    /// Answers a failure with the status the error chooses.
    private static func error(_ error: CollectorError) -> Response {
        var response = json(error.status, .object([("error", .string(error.description))]))
        if error.retryable { response.headers[.retryAfter] = "1" }
        return response
    }

    private static func json(_ status: HTTPResponse.Status, _ value: JSONValue) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: value.compactJSON + "\n")))
    }
}
