import AssayCore
import Foundation

/// A successful HTTP exchange: the 2xx answer's JSON body (the key redacted from it) and its timing.
struct JudgeExchange: Sendable {
    /// The parsed body.
    var body: JSONValue
    /// The HTTP status.
    var status: Int
    /// The call as recorded so far (timing, status, attempt); the caller completes and records it.
    var call: JudgeCall
}

/// Posts JSON to an endpoint with retries: 429, 5xx, timeouts and connection failures are retried
/// with `JudgeBackoff` up to `max_retries`; other statuses fail at once. Every failed attempt is
/// recorded; the successful one is returned for the caller to complete and record.
struct JudgeClient: Sendable {
    let endpoint: JudgeEndpoint
    let context: JudgeContext
    var backoff = JudgeBackoff()

    /// Posts `body` to `path` (e.g. `chat/completions`).
    /// - Parameter call: the call record to fill in for each attempt.
    /// - Throws: `.scorerFailed` with a sentence naming the status, the timeout or the connection
    ///   failure and the number of attempts; never the key or the request text.
    func post(_ path: String, body: JSONValue, call template: JudgeCall) async throws(UnscoredReason) -> JudgeExchange {
        let key = try endpoint.apiKey(in: context.environment)
        guard let url = endpoint.url(path) else { throw .scorerFailed("the URL \(JudgeText.quote(endpoint.baseURL + "/" + path)) is invalid") }
        var headers = ["Content-Type": "application/json", "Accept": "application/json"]
        if let key { headers["Authorization"] = "Bearer \(key)" }
        let request = JudgeHTTPRequest(url: url, headers: headers, body: Array(body.compactJSON.utf8), timeoutSeconds: endpoint.timeoutSeconds)
        var rng = SystemRandomNumberGenerator()
        var attempt = 1
        while true {
            var call = template
            call.attempt = attempt
            switch try await send(request, key: key, call: &call) {
            case .answered(let exchange):
                return exchange
            case .retryable(let failure, let retryAfter):
                guard attempt <= endpoint.maxRetries, !Task.isCancelled else {
                    throw .scorerFailed("\(failure) \(attempt == 1 ? "(1 attempt)" : "(\(attempt) attempts)")")
                }
                await context.sleep(backoff.delay(retry: attempt - 1, retryAfter: retryAfter, using: &rng))
                attempt += 1
            }
        }
    }

    /// What one attempt gave, short of a failure not worth retrying (which is thrown).
    private enum Attempt {
        case answered(JudgeExchange)
        case retryable(String, retryAfter: String?)
    }

    /// One attempt; failed attempts are recorded here.
    private func send(_ request: JudgeHTTPRequest, key: String?, call: inout JudgeCall) async throws(UnscoredReason) -> Attempt {
        call.startTimeUnixNano = JudgeText.nowNanos()
        let response: JudgeHTTPResponse
        do {
            response = try await context.transport.send(request)
        } catch {
            let seconds = endpoint.timeoutSeconds.judgeText
            switch error {
            case .judgeTimedOut:
                await fail(&call, type: "timeout", "no answer within \(seconds) s")
                return .retryable("the judge did not answer within \(seconds) s", retryAfter: nil)
            case .judgeConnection(let what):
                await fail(&call, type: "connection_error", what)
                return .retryable("could not reach \(endpoint.baseURL) (\(what))", retryAfter: nil)
            default:
                await fail(&call, type: "connection_error", error.description)
                return .retryable("could not reach \(endpoint.baseURL) (\(error.description))", retryAfter: nil)
            }
        }
        call.endTimeUnixNano = JudgeText.nowNanos()
        call.httpStatus = response.status
        if (200...299).contains(response.status) {
            let text = JudgeText.redact(String(decoding: response.body, as: UTF8.self), key)
            guard let json = try? JSONValue.parse(text), json.members != nil else {
                await fail(&call, type: "invalid_response", "the response body is not a JSON object")
                throw .scorerFailed("the endpoint's response was not a JSON object (HTTP \(response.status))")
            }
            return .answered(JudgeExchange(body: json, status: response.status, call: call))
        }
        await fail(&call, type: String(response.status), "HTTP \(response.status)")
        guard JudgeBackoff.isRetryable(status: response.status) else {
            throw .scorerFailed("the endpoint answered HTTP \(response.status)\(Self.errorHint(response, key: key))")
        }
        return .retryable("the endpoint answered HTTP \(response.status)", retryAfter: response.headers["retry-after"])
    }

    /// Records a failed attempt.
    private func fail(_ call: inout JudgeCall, type: String, _ message: String) async {
        call.errorType = type
        call.errorMessage = message
        if call.endTimeUnixNano == 0 { call.endTimeUnixNano = JudgeText.nowNanos() }
        await context.recorder?.record(call)
    }

    /// `: message` from an OpenAI-style error body, quoted briefly, with the key redacted.
    private static func errorHint(_ response: JudgeHTTPResponse, key: String?) -> String {
        let text = JudgeText.redact(String(decoding: response.body, as: UTF8.self), key)
        guard let message = (try? JSONValue.parse(text))?["error"]?["message"]?.string, !message.isEmpty else { return "" }
        return ": " + JudgeText.quote(message)
    }
}

extension Double {
    /// Whole numbers without `.0`, for messages.
    var judgeText: String { self == rounded() && abs(self) < 1e15 ? String(Int64(self)) : String(self) }
}
