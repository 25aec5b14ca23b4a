import Hummingbird
import NIOCore

/// Reading a request body within a size limit and a time limit, shared by the routes that take bodies.
enum RequestBody {
    /// The body did not arrive in time.
    struct Timeout: Error {}

    /// Collects the body.
    ///
    /// - Throws: `NIOTooManyBytesError` over `limit` bytes, `Timeout` after `timeoutSeconds`, or the read error.
    static func read(_ request: Request, limit: Int, timeoutSeconds: Double) async throws -> ByteBuffer {
        try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
            group.addTask { try await request.body.collect(upTo: limit) }
            group.addTask {
                try await Task.sleep(for: .milliseconds(Int(timeoutSeconds * 1000)))
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let body = first else { throw Timeout() }
            return body
        }
    }
}
