import Hummingbird

/// Admits requests that carry `Authorization: Bearer <token>`; answers 401 to the others before
/// their body is read, so nothing they send is written. The token is compared in constant time and
/// never logged.
struct BearerTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: [UInt8]
    let metrics: CollectorMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let presented = request.headers[.authorization].flatMap(Self.bearer) ?? []
        guard Self.constantTimeEqual(presented, token) else {
            metrics.request(path: request.uri.path, status: 401)
            var headers = HTTPFields()
            headers[.wwwAuthenticate] = "Bearer"
            let encoding = OTLPEncoding(contentType: request.headers[.contentType])
            return OTLPResponse.failure(.unauthorized, "a valid Authorization: Bearer token is required", encoding: encoding, extraHeaders: headers)
        }
        return try await next(request, context)
    }

    /// The token of a `Bearer` authorization value (scheme case-insensitive).
    static func bearer(_ value: String) -> [UInt8]? {
        let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return Array(parts[1].utf8)
    }

    /// Compares two byte strings in time that depends only on their lengths, not on where they differ.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
        let count = max(a.count, b.count)
        for i in 0..<count {
            let x = i < a.count ? a[i] : 0
            let y = i < b.count ? b[i] : 0
            difference |= x ^ y
        }
        return difference == 0 && !b.isEmpty
    }
}
