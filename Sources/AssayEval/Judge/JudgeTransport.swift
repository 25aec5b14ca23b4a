package import Foundation
import Synchronization
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP POST to a model endpoint. The headers may hold the API key: never log or record them.
package struct JudgeHTTPRequest: Sendable {
    /// The endpoint, e.g. `http://127.0.0.1:8080/v1/chat/completions`.
    package var url: URL
    /// Request headers (`Content-Type`, and `Authorization` when a key is configured).
    package var headers: [String: String]
    /// The JSON body.
    package var body: [UInt8]
    /// How long to wait for the answer, in seconds.
    package var timeoutSeconds: Double

    /// Creates a request.
    package init(url: URL, headers: [String: String], body: [UInt8], timeoutSeconds: Double) {
        self.url = url
        self.headers = headers
        self.body = body
        self.timeoutSeconds = timeoutSeconds
    }
}

/// An HTTP answer: any status, its headers with lower-cased names, and the body.
package struct JudgeHTTPResponse: Sendable {
    /// The status code.
    package var status: Int
    /// Headers by lower-cased name.
    package var headers: [String: String]
    /// The body.
    package var body: [UInt8]

    /// Creates a response; header names are lower-cased.
    package init(status: Int, headers: [String: String] = [:], body: [UInt8]) {
        self.status = status
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { _, last in last })
        self.body = body
    }
}


/// Sends one request and returns whatever status came back; retrying is the caller's business.
/// Tests replace it to inject failures.
package protocol JudgeTransport: Sendable {
    /// Sends `request`.
    /// - Throws: `EvalError` when no HTTP answer arrived.
    func send(_ request: JudgeHTTPRequest) async throws(EvalError) -> JudgeHTTPResponse
}

/// The transport over Foundation's `URLSession` (an ephemeral session: no cookies, no cache).
package struct URLSessionJudgeTransport: JudgeTransport {
    private let session: URLSession

    /// Creates a transport with its own ephemeral session.
    package init() {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        session = URLSession(configuration: configuration)
    }

    /// Sends the request. The timeout is enforced here, not left to `URLRequest.timeoutInterval`
    /// (which swift-corelibs-foundation treats as an idle timeout and does not always apply).
    package func send(_ request: JudgeHTTPRequest) async throws(EvalError) -> JudgeHTTPResponse {
        var urlRequest = URLRequest(url: request.url, cachePolicy: .reloadIgnoringLocalCacheData,
                                    timeoutInterval: request.timeoutSeconds)
        urlRequest.httpMethod = "POST"
        urlRequest.httpBody = Data(request.body)
        for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
        let outcome = OneOutcome()
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<JudgeHTTPResponse, EvalError>, Never>) in
                let task = session.dataTask(with: urlRequest) { data, response, error in
                    outcome.finish(Self.result(data, response, error))
                }
                // A Dispatch timer, not a Task: a busy cooperative pool must not delay the timeout.
                let timer = DispatchWorkItem { outcome.finish(.failure(.judgeTimedOut)) }
                DispatchQueue.global().asyncAfter(deadline: .now() + request.timeoutSeconds, execute: timer)
                outcome.start(continuation, task: task)
                task.resume()
            }
        } onCancel: {
            outcome.finish(.failure(.judgeConnection("cancelled")))
        }
        return try result.get()
    }

    private static func result(_ data: Data?, _ response: URLResponse?, _ error: (any Error)?) -> Result<JudgeHTTPResponse, EvalError> {
        if let error = error as? URLError {
            // Only the code: URLError descriptions may quote the URL; keep messages short and fixed.
            return .failure(error.code == .timedOut ? .judgeTimedOut : .judgeConnection(category(error.code)))
        }
        if error != nil { return .failure(.judgeConnection("request failed")) }
        guard let http = response as? HTTPURLResponse else { return .failure(.judgeConnection("not an HTTP response")) }
        var headers: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { headers[name] = value }
        }
        return .success(JudgeHTTPResponse(status: http.statusCode, headers: headers, body: Array(data ?? Data())))
    }

    private static func category(_ code: URLError.Code) -> String {
        switch code {
        case .cannotConnectToHost: "connection refused"
        case .networkConnectionLost: "connection lost"
        case .cannotFindHost, .dnsLookupFailed: "host not found"
        case .notConnectedToInternet: "not connected"
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate: "TLS failure"
        case .cancelled: "cancelled"
        default: "URL error \(code.rawValue)"
        }
    }
}

/// The first of an answer, a timeout or a cancellation: resumes the continuation once, and cancels the
/// request when it is a failure.
private final class OneOutcome: Sendable {
    private struct State {
        var continuation: CheckedContinuation<Result<JudgeHTTPResponse, EvalError>, Never>?
        var task: URLSessionDataTask?
        var early: Result<JudgeHTTPResponse, EvalError>?
        var done = false
    }

    private let state = Mutex(State())

    func start(_ continuation: CheckedContinuation<Result<JudgeHTTPResponse, EvalError>, Never>,
               task: URLSessionDataTask) {
        let early: Result<JudgeHTTPResponse, EvalError>? = state.withLock {
            if $0.done { return $0.early }
            $0.continuation = continuation
            $0.task = task
            return nil
        }
        if let early {
            task.cancel()
            continuation.resume(returning: early)
        }
    }

    func finish(_ result: Result<JudgeHTTPResponse, EvalError>) {
        let taken = state.withLock { s -> (CheckedContinuation<Result<JudgeHTTPResponse, EvalError>, Never>?, URLSessionDataTask?)? in
            guard !s.done else { return nil }
            s.done = true
            s.early = result
            defer { s.continuation = nil; s.task = nil }
            return (s.continuation, s.task)
        }
        // A timer that fires after the answer finds the outcome taken and does nothing.
        guard let (continuation, task) = taken else { return }
        if case .failure = result { task?.cancel() }
        continuation?.resume(returning: result)
    }
}
