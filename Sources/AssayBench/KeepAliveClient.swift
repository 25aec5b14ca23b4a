import Foundation

/// A blocking HTTP/1.1 client on one keep-alive loopback connection, for load generation: it sends
/// pre-built request heads and bodies and reads Content-Length responses, with nothing in between.
final class KeepAliveClient {
    private let fd: Int32
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)
    private var pending: [UInt8] = []

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else { throw BenchError("connect to 127.0.0.1:\(port) failed: errno \(errno)") }
    }

    deinit { close(fd) }

    /// POSTs `body` and returns the response status.
    func post(path: String, contentType: String, body: [UInt8]) throws -> Int {
        try post(path: path, contentType: contentType, body: body, headers: "").status
    }

    /// POSTs `body` with extra header lines (each ending in CRLF); returns the status and, for a
    /// chunked (streamed) answer, when its first chunk arrived (`DispatchTime` nanoseconds).
    func post(path: String, contentType: String, body: [UInt8], headers: String) throws -> (status: Int, firstChunk: UInt64?) {
        let head = "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: \(contentType)\r\nContent-Length: \(body.count)\r\n\(headers)\r\n"
        try write(Array(head.utf8))
        try write(body)
        return try readAnyResponse()
    }

    private func write(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw BenchError("send failed: errno \(errno)") }
            sent += n
        }
    }

    private func readResponse() throws -> Int {
        while true {
            if let end = headerEnd() {
                let head = String(decoding: pending[0..<end], as: UTF8.self)
                let status = Int(head.split(separator: " ", maxSplits: 2)[1]) ?? 0
                var length = 0
                for line in head.split(separator: "\r\n") where line.lowercased().hasPrefix("content-length:") {
                    length = Int(line.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) ?? 0
                }
                while pending.count < end + 4 + length { try fill() }
                pending.removeFirst(end + 4 + length)
                return status
            }
            try fill()
        }
    }

    /// A Content-Length or chunked response.
    private func readAnyResponse() throws -> (status: Int, firstChunk: UInt64?) {
        while headerEnd() == nil { try fill() }
        let end = headerEnd()!
        let head = String(decoding: pending[0..<end], as: UTF8.self)
        let status = Int(head.split(separator: " ", maxSplits: 2)[1]) ?? 0
        let lines = head.split(separator: "\r\n").map { $0.lowercased() }
        guard lines.contains(where: { $0.hasPrefix("transfer-encoding:") && $0.contains("chunked") }) else {
            var length = 0
            for line in lines where line.hasPrefix("content-length:") { length = Int(line.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) ?? 0 }
            while pending.count < end + 4 + length { try fill() }
            pending.removeFirst(end + 4 + length)
            return (status, nil)
        }
        pending.removeFirst(end + 4)
        var first: UInt64?
        while true {
            // A chunk: its size in hex, CRLF, the data, CRLF; size 0 ends the body (then CRLF).
            var lineEnd: Int?
            while lineEnd == nil {
                lineEnd = pending.indices.dropLast().first { pending[$0] == 13 && pending[$0 + 1] == 10 }
                if lineEnd == nil { try fill() }
            }
            let size = Int(String(decoding: pending[0..<lineEnd!], as: UTF8.self).split(separator: ";")[0], radix: 16) ?? 0
            while pending.count < lineEnd! + 2 + size + 2 { try fill() }
            if size > 0, first == nil { first = DispatchTime.now().uptimeNanoseconds }
            pending.removeFirst(lineEnd! + 2 + size + 2)
            if size == 0 { return (status, first) }
        }
    }

    private func headerEnd() -> Int? {
        guard pending.count >= 4 else { return nil }
        for i in 0...(pending.count - 4) where pending[i] == 13 && pending[i + 1] == 10 && pending[i + 2] == 13 && pending[i + 3] == 10 {
            return i
        }
        return nil
    }

    private func fill() throws {
        let n = recv(fd, &buffer, buffer.count, 0)
        guard n > 0 else { throw BenchError("connection closed") }
        pending += buffer[0..<n]
    }
}
