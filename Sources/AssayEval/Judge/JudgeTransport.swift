public import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP POST to a model endpoint. The headers may hold the API key: never log or record them.
public struct JudgeHTTPRequest: Sendable {
    /// The endpoint, e.g. `http://127.0.0.1:8080/v1/chat/completions`.
    public var url: URL
    /// Request headers (`Content-Type`, and `Authorization` when a key is configured).
    public var headers: [String: String]
    /// The JSON body.
    public var body: [UInt8]
    /// How long to wait for the answer, in seconds.
    public var timeoutSeconds: Double

    /// Creates a request.
    public init(url: URL, headers: [String: String], body: [UInt8], timeoutSeconds: Double) {
        self.url = url
        self.headers = headers
        self.body = body
        self.timeoutSeconds = timeoutSeconds
    }
}

/// An HTTP answer: any status, its headers with lower-cased names, and the body.
public struct JudgeHTTPResponse: Sendable {
    /// The status code.
    public var status: Int
    /// Headers by lower-cased name.
    public var headers: [String: String]
    /// The body.
    public var body: [UInt8]

    /// Creates a response; header names are lower-cased.
    public init(status: Int, headers: [String: String] = [:], body: [UInt8]) {
        self.status = status
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { _, last in last })
        self.body = body
    }
}

/// Why no HTTP answer arrived. Carries no request text, so that it can be shown as it is.
public enum JudgeTransportError: Error, Sendable, Hashable {
    /// No answer within the request's timeout.
    case timedOut
    /// The connection failed (refused, reset, name not resolved...), with a short category.
    case connection(String)
}

/// Sends one request and returns whatever status came back; retrying is the caller's business.
/// Tests replace it to inject failures.
public protocol JudgeTransport: Sendable {
    /// Sends `request`.
    /// - Throws: `JudgeTransportError` when no HTTP answer arrived.
    func send(_ request: JudgeHTTPRequest) async throws(JudgeTransportError) -> JudgeHTTPResponse
}

/// The transport over Foundation's `URLSession` (an ephemeral session: no cookies, no cache).
public struct URLSessionJudgeTransport: JudgeTransport {
    private let session: URLSession

    /// Creates a transport with its own ephemeral session.
    public init() {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        session = URLSession(configuration: configuration)
    }

    public func send(_ request: JudgeHTTPRequest) async throws(JudgeTransportError) -> JudgeHTTPResponse {
        var urlRequest = URLRequest(url: request.url, cachePolicy: .reloadIgnoringLocalCacheData,
                                    timeoutInterval: request.timeoutSeconds)
        urlRequest.httpMethod = "POST"
        urlRequest.httpBody = Data(request.body)
        for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
        do {
            let (data, response) = try await session.data(for: urlRequest)
            guard let http = response as? HTTPURLResponse else { throw JudgeTransportError.connection("not an HTTP response") }
            var headers: [String: String] = [:]
            for (name, value) in http.allHeaderFields {
                if let name = name as? String, let value = value as? String { headers[name] = value }
            }
            return JudgeHTTPResponse(status: http.statusCode, headers: headers, body: Array(data))
        } catch let error as JudgeTransportError {
            throw error
        } catch let error as URLError {
            // Only the code: URLError descriptions may quote the URL, never the headers, but keep it short.
            throw error.code == .timedOut ? .timedOut : .connection(Self.category(error.code))
        } catch {
            throw .connection("request failed")
        }
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
