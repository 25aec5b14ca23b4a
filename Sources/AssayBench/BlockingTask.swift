import Foundation
import Synchronization

/// Runs async work (postgres-nio's connections and `COPY`) from a benchmark's synchronous code and
/// waits for its result on the calling thread, which must not be one of the concurrency pool's.
func runBlocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let outcome = Outcome<T>()
    let done = DispatchSemaphore(value: 0)
    Task.detached {
        let result: Result<T, any Error>
        do { result = .success(try await body()) } catch { result = .failure(error) }
        outcome.value.withLock { $0 = result }
        done.signal()
    }
    done.wait()
    return try outcome.value.withLock { $0! }.get()
}

/// Where the detached task leaves its result.
private final class Outcome<T: Sendable>: Sendable {
    let value = Mutex<Result<T, any Error>?>(nil)
}
