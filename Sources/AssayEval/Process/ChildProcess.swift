import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a program as a child in its own process group, feeding it standard input and collecting its
/// output, with a time limit after which the whole group (the program and anything it started) is
/// killed. Used by command scorers and the runner's agents.
package struct ChildProcess: Sendable {
    /// What to run.
    package var arguments: [String]
    /// Extra environment variables, over the current environment.
    package var environment: [String: String] = [:]
    /// Variables of the current environment the child must not see (real API keys, when the model
    /// gateway hands out its own).
    package var removedEnvironment: Set<String> = []
    /// The working directory; nil: the current one.
    package var workingDirectory: String?
    /// The longest it may run.
    package var timeoutSeconds: Double = 30
    /// The most output kept per stream, in bytes; the rest is read and dropped.
    package var outputLimit = 16 << 20
    /// Whether to measure the child's peak resident memory (`Result.peakRSSBytes`), polling its own
    /// `VmHWM` in /proc: `wait4`'s `ru_maxrss` would not do, since Linux carries the parent's
    /// high-water mark across `exec` into it.
    package var measuresPeakMemory = false
    /// Called with the child's pid (its process group) once it has started: what a caller needs to
    /// kill it early (the runner's crash fault).
    package var onSpawn: (@Sendable (Int32) -> Void)?

    package init(arguments: [String], environment: [String: String] = [:], workingDirectory: String? = nil, timeoutSeconds: Double = 30) {
        self.arguments = arguments
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.timeoutSeconds = timeoutSeconds
    }

    /// How a run ended.
    package struct Result: Sendable {
        /// The exit status, when it exited.
        package var exitStatus: Int32?
        /// The signal that ended it, when one did.
        package var signal: Int32?
        /// Whether it was killed for running past the time limit.
        package var timedOut: Bool
        /// Standard output (up to the limit).
        package var stdout: [UInt8]
        /// Standard error (up to the limit).
        package var stderr: [UInt8]
        /// Whether output beyond the limit was dropped.
        package var truncated: Bool
        /// Wall-clock time, nanoseconds.
        package var elapsedNanos: UInt64
        /// The child's peak resident memory in bytes, when measured (else 0).
        package var peakRSSBytes = 0
        /// The exit status as a shell reports it: the exit code, or 128 plus the signal.
        package var shellStatus: Int32 { exitStatus ?? 128 + (signal ?? 0) }
    }

    /// Runs the program to the end (or the time limit) on background threads.
    package func run(input: [UInt8]) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Swift.Result { try self.runBlocking(input: input) }) }
            thread.start()
        }
    }

    /// Starts the program in its own process group with piped standard streams.
    ///
    /// - Returns: the pid and our ends of its standard input, output and error.
    package func spawn() throws -> (pid: Int32, stdin: Int32, stdout: Int32, stderr: Int32) {
        guard let program = arguments.first else { throw EvalError.cannotStart(program: "", reason: "no program given") }
        var inPipe: [Int32] = [0, 0], outPipe: [Int32] = [0, 0], errPipe: [Int32] = [0, 0]
        // Close-on-exec from the start (pipe2), so that no child spawned meanwhile by another thread, by
        // this code or by Foundation's Process, inherits our ends: a leaked write end would hold a pipe
        // open until that other child exits. Only the dup2'd copies (0, 1, 2) survive our child's exec.
        guard systemPipe2(&inPipe, O_CLOEXEC) == 0, systemPipe2(&outPipe, O_CLOEXEC) == 0, systemPipe2(&errPipe, O_CLOEXEC) == 0 else {
            throw EvalError.cannotStart(program: program, reason: String(cString: strerror(errno)))
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        posix_spawnattr_setpgroup(&attributes, 0)
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for s in [SIGPIPE, SIGINT, SIGTERM] { sigaddset(&defaults, s) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)

        var env = ProcessInfo.processInfo.environment
        for name in removedEnvironment { env[name] = nil }
        env.merge(environment) { $1 }
        let envStrings = env.map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        // A working directory goes through the shell (posix_spawn_file_actions_addchdir_np is not in Glibc's Swift overlay).
        let argv = workingDirectory.map { ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", $0] + arguments } ?? arguments
        let rc = withCStrings(argv) { argv in
            withCStrings(envStrings) { envp in posix_spawnp(&pid, argv[0]!, &actions, &attributes, argv, envp) }
        }
        close(inPipe[0]); close(outPipe[1]); close(errPipe[1])
        guard rc == 0 else {
            close(inPipe[1]); close(outPipe[0]); close(errPipe[0])
            throw EvalError.cannotStart(program: program, reason: String(cString: strerror(rc)))
        }
        return (pid, inPipe[1], outPipe[0], errPipe[0])
    }

    /// Runs the program, blocking the calling thread.
    package func runBlocking(input: [UInt8]) throws -> Result {
        let started = DispatchTime.now().uptimeNanoseconds
        let (pid, writeFD, outFD, errFD) = try spawn()
        RunningChildren.shared.insert(pid)
        defer { RunningChildren.shared.remove(pid) }
        onSpawn?(pid)
        let group = DispatchGroup()
        let limit = outputLimit
        let stdout = Collected(), stderr = Collected()
        // Dedicated threads, not Dispatch's pool: these block in read and write, and a pool sized to the
        // cores would deadlock with a few children at once.
        func background(_ body: @escaping @Sendable () -> Void) {
            group.enter()
            Thread { body(); group.leave() }.start()
        }
        background {
            // A child that exits without reading its input must not kill us with SIGPIPE: blocked on this
            // thread, the write fails with EPIPE instead, and the pending signal ends with the thread.
            var pipeSignal = sigset_t()
            sigemptyset(&pipeSignal)
            sigaddset(&pipeSignal, SIGPIPE)
            pthread_sigmask(SIG_BLOCK, &pipeSignal, nil)
            input.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let n = write(writeFD, raw.baseAddress! + offset, raw.count - offset)
                    if n < 0 { if errno == EINTR { continue }; break }
                    offset += n
                }
            }
            close(writeFD)
        }
        background { stdout.drain(outFD, limit: limit) }
        background { stderr.drain(errFD, limit: limit) }

        var status: Int32 = 0
        var timedOut = false
        var peak = 0, polls = 0
        let deadline = started + UInt64(min(max(0, timeoutSeconds), 1e9) * 1e9)  // capped: a larger Double would trap in UInt64(_:)
        while true {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid { break }
            if r < 0 && errno != EINTR { break }
            if measuresPeakMemory && polls % 5 == 0 { peak = max(peak, Self.highWaterMark(pid)) }
            polls += 1
            if DispatchTime.now().uptimeNanoseconds >= deadline {
                timedOut = true
                kill(-pid, SIGKILL)
                _ = waitpid(pid, &status, 0)
                break
            }
            usleep(2_000)
        }
        // Whatever the program left running in its group goes with it, so that pipes close.
        kill(-pid, SIGKILL)
        group.wait()
        let exited = (status & 0x7F) == 0
        return Result(exitStatus: exited ? (status >> 8) & 0xFF : nil, signal: exited ? nil : status & 0x7F, timedOut: timedOut,
                      stdout: stdout.bytes, stderr: stderr.bytes, truncated: stdout.truncated || stderr.truncated,
                      elapsedNanos: DispatchTime.now().uptimeNanoseconds - started, peakRSSBytes: peak)
    }

    /// `VmHWM` of a running process, in bytes (0 when unreadable).
    private static func highWaterMark(_ pid: pid_t) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kb = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") else { return 0 }
        return kb * 1024
    }
}

/// The process groups of the children running now, so that an interrupted run can end them all.
package final class RunningChildren: @unchecked Sendable {
    /// The process's registry.
    package static let shared = RunningChildren()
    private let lock = NSLock()
    private var pids: Set<Int32> = []

    package func insert(_ pid: Int32) { lock.withLock { _ = pids.insert(pid) } }
    package func remove(_ pid: Int32) { lock.withLock { _ = pids.remove(pid) } }

    /// Kills every running child's process group.
    package func killAll() {
        for pid in lock.withLock({ pids }) { kill(-pid, SIGKILL) }
    }
}

/// Bytes read from a pipe until it closes, up to a limit.
private final class Collected: @unchecked Sendable {
    var bytes: [UInt8] = []
    var truncated = false

    func drain(_ fd: Int32, limit: Int) {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            let room = max(0, limit - bytes.count)
            if room < n { truncated = true }
            bytes.append(contentsOf: buffer[0..<min(n, room)])
        }
        close(fd)
    }
}

/// glibc's `pipe2`, which the Glibc module does not export.
@_silgen_name("pipe2")
private func systemPipe2(_ fds: UnsafeMutablePointer<Int32>, _ flags: Int32) -> Int32

/// Calls `body` with a NULL-terminated C array of the strings.
private func withCStrings<T>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> T) -> T {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { for p in pointers { free(p) } }
    return body(pointers)
}
