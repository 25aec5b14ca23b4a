import Hummingbird
import NIOCore

/// Reading a request body within a size limit and a time limit, shared by the routes that take bodies.
enum RequestBody {
    /// Collects the body.
    ///
    /// - Throws: `CollectorError.tooLarge` over `limit` bytes, `.timeout` after `timeoutSeconds`,
    ///   `.unreadable` when the connection fails.
    static func read(_ request: Request, limit: Int, timeoutSeconds: Double) async throws(CollectorError) -> ByteBuffer {
        do {
            return try await collect(request, limit: limit, timeoutSeconds: timeoutSeconds)
        } catch is NIOTooManyBytesError {
            throw .tooLarge(limit: limit, decompressed: false)
        } catch let error as CollectorError {
            throw error
        } catch {
            throw .unreadable
        }
    }

    private static func collect(_ request: Request, limit: Int, timeoutSeconds: Double) async throws -> ByteBuffer {
        try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
            group.addTask { try await request.body.collect(upTo: limit) }
            group.addTask {
                try await Task.sleep(for: .milliseconds(Int(timeoutSeconds * 1000)))
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let body = first else { throw CollectorError.timeout(seconds: timeoutSeconds) }
            return body
        }
    }
}
