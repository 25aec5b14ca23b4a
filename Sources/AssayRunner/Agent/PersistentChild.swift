package import AssayEval
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A long-lived child that answers one JSON line per request line (the runner's persistent mode).
/// A crash or a timeout ends it; the owner starts a new one for the next request.
package final class PersistentChild: @unchecked Sendable {
    private let pid: pid_t
    private let input: Int32
    private let output: Int32
    private var buffer: [UInt8] = []
    package private(set) var alive = true
    private let stderrTail = StderrTail()

    /// Starts the program.
    package init(_ process: ChildProcess) throws {
        let (pid, stdin, stdout, stderr) = try process.spawn()
        self.pid = pid
        RunningChildren.shared.insert(pid)
        input = stdin
        output = stdout
        let tail = stderrTail
        Thread { tail.drain(stderr) }.start()
    }

    deinit { stop() }

    /// The answer to one request line, or nil when the child died or did not answer in time (then it is stopped).
    package func request(_ line: [UInt8], timeoutSeconds: Double) -> [UInt8]? {
        guard alive else { return nil }
        var pipeSignal = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &pipeSignal, nil)
        var offset = 0
        let ok = (line + [0x0A]).withUnsafeBytes { raw -> Bool in
            while offset < raw.count {
                let n = write(input, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 { if errno == EINTR { continue }; return false }
                offset += n
            }
            return true
        }
        guard ok else { stop(); return nil }
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(min(max(0, timeoutSeconds), 1e9) * 1e9)  // capped: a larger Double would trap in UInt64(_:)
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let answer = Array(buffer[..<newline])
                buffer.removeSubrange(...newline)
                return answer
            }
            let now = DispatchTime.now().uptimeNanoseconds
            guard now < deadline else { stop(); return nil }
            var fds = pollfd(fd: output, events: Int16(POLLIN), revents: 0)
            let ready = poll(&fds, 1, Int32(min(1000, (deadline - now) / 1_000_000 + 1)))
            if ready < 0 && errno == EINTR { continue }
            if ready <= 0 { continue }
            let n = chunk.withUnsafeMutableBytes { read(output, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { stop(); return nil }
            buffer += chunk[0..<n]
            if buffer.count > 64 << 20 { stop(); return nil }
        }
    }

    /// Kills the child's process group at once (the runner's crash fault); the request waiting on it
    /// sees it die, and `stop()` reaps it.
    package func kill() { _ = Glibc.kill(-pid, SIGKILL) }

    /// The last lines the child wrote to standard error.
    package var lastError: String { stderrTail.text }

    /// Kills the child's process group and reaps it.
    package func stop() {
        guard alive else { return }
        alive = false
        RunningChildren.shared.remove(pid)
        close(input)
        _ = Glibc.kill(-pid, SIGKILL)
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
        close(output)
    }
}

/// Keeps the last 4 KiB a child wrote to standard error.
private final class StderrTail: @unchecked Sendable {
    private let lock = NSLock()
    private var bytes: [UInt8] = []

    func drain(_ fd: Int32) {
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            lock.withLock { bytes = Array((bytes + chunk[0..<n]).suffix(4096)) }
        }
        close(fd)
    }

    var text: String { lock.withLock { String(decoding: bytes, as: UTF8.self) } }
}
