import Foundation

/// The package root and the build folder holding the `assay` binary.
enum Paths {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var assay: URL {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("assay"),
            Bundle.main.bundleURL.appendingPathComponent("assay"),
            packageRoot.appendingPathComponent(".build/debug/assay"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates.last!
    }

    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("assay-collector-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// `assay serve` running as a child process on a free loopback port.
final class ServerProcess: @unchecked Sendable {
    let process = Process()
    let port: Int
    let database: URL
    private let stderr = Pipe()

    /// Starts the server on a SQLite file and waits until it listens.
    convenience init(database: URL, arguments: [String] = []) throws {
        try self.init(db: database.path, arguments: arguments)
    }

    /// Starts the server on a store (a file or a postgres:// URL) and waits until it listens.
    init(db: String, arguments: [String] = []) throws {
        self.database = URL(fileURLWithPath: db)
        process.executableURL = Paths.assay
        process.arguments = ["serve", "--port", "0", "--db", db, "--log-level", "warning"] + arguments
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        var text = ""
        let deadline = Date().addingTimeInterval(20)
        while !text.contains("/v1/traces"), Date() < deadline, process.isRunning {
            let data = stderr.fileHandleForReading.availableData
            if data.isEmpty { Thread.sleep(forTimeInterval: 0.05) }
            text += String(decoding: data, as: UTF8.self)
        }
        guard let range = text.range(of: #"127\.0\.0\.1:(\d+)/"#, options: .regularExpression) else {
            process.terminate()
            throw TestFailure("assay serve did not start: \(text)")
        }
        port = Int(text[range].dropFirst(10).dropLast()) ?? 0
    }

    /// Sends a signal and waits for the exit; returns the exit status.
    @discardableResult
    func stop(signal: Int32 = SIGTERM) -> Int32 {
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
}

/// A minimal blocking HTTP/1.1 client over a loopback socket, one request per connection. It lets
/// tests send exactly the bytes they mean (chunked bodies, slow senders, garbage).
enum RawHTTP {
    struct Reply {
        var status: Int
        var headers: [String: String]
        var body: [UInt8]
    }

    /// Opens a connection to 127.0.0.1:port with a receive timeout.
    static func connect(_ port: Int, timeout: Int = 30) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket failed") }
        var tv = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let ok = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Foundation.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard ok == 0 else { close(fd); throw TestFailure("connect to \(port) failed: \(errno)") }
        return fd
    }

    static func send(_ fd: Int32, _ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Foundation.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw TestFailure("send failed: \(errno)") }
            sent += n
        }
    }

    /// Reads one response (Content-Length bodies) from the connection.
    static func receive(_ fd: Int32) throws -> Reply {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        func headerEnd() -> Int? {
            guard data.count >= 4 else { return nil }
            for i in 0...(data.count - 4) where data[i] == 13 && data[i + 1] == 10 && data[i + 2] == 13 && data[i + 3] == 10 { return i }
            return nil
        }
        while headerEnd() == nil {
            let n = recv(fd, &buffer, buffer.count, 0)
            guard n > 0 else { throw TestFailure("connection closed before a response") }
            data += buffer[0..<n]
        }
        let end = headerEnd()!
        let head = String(decoding: data[0..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let status = Int(head[0].split(separator: " ")[1]) ?? 0
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        var body = Array(data[(end + 4)...])
        while body.count < length {
            let n = recv(fd, &buffer, buffer.count, 0)
            guard n > 0 else { break }
            body += buffer[0..<n]
        }
        return Reply(status: status, headers: headers, body: Array(body.prefix(length)))
    }

    /// POSTs a body (with Content-Length, or chunked when `chunked`), returns the reply.
    static func post(_ port: Int, path: String = "/v1/traces", headers: [String: String], body: [UInt8], chunked: Bool = false) throws -> Reply {
        let fd = try connect(port)
        defer { close(fd) }
        var head = "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        for (k, v) in headers { head += "\(k): \(v)\r\n" }
        head += chunked ? "Transfer-Encoding: chunked\r\n\r\n" : "Content-Length: \(body.count)\r\n\r\n"
        try send(fd, Array(head.utf8))
        if chunked {
            var offset = 0
            while offset < body.count {
                let piece = body[offset..<min(body.count, offset + 1000)]
                try send(fd, Array((String(piece.count, radix: 16) + "\r\n").utf8) + piece + [13, 10])
                offset += piece.count
            }
            try send(fd, Array("0\r\n\r\n".utf8))
        } else {
            try send(fd, body)
        }
        return try receive(fd)
    }

    static func get(_ port: Int, path: String) throws -> Reply {
        let fd = try connect(port)
        defer { close(fd) }
        try send(fd, Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8))
        return try receive(fd)
    }
}
