import AssayCore
import AssayOTLP
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where the spans go: OTLP/HTTP protobuf to `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/traces`, else one
/// OTLP/JSON line appended to `ASSAY_TRACE_FILE`, else nowhere.
enum TraceExporter {
    case http(host: String, port: UInt16, path: String)
    case file(String)
    case none

    /// The exporter the environment asks for.
    static func fromEnvironment(_ env: [String: String]) throws(AgentError) -> TraceExporter {
        if let endpoint = env["OTEL_EXPORTER_OTLP_ENDPOINT"], !endpoint.isEmpty {
            guard let url = URLComponents(string: endpoint), url.scheme == "http", let host = url.host, !host.isEmpty else {
                throw AgentError(description: "OTEL_EXPORTER_OTLP_ENDPOINT: expected http://host:port")
            }
            let base = url.path.hasSuffix("/") ? String(url.path.dropLast()) : url.path
            return .http(host: host, port: UInt16(url.port ?? 4318), path: base + "/v1/traces")
        }
        if let file = env["ASSAY_TRACE_FILE"], !file.isEmpty { return .file(file) }
        return .none
    }

    /// Sends the spans and waits for the collector's answer.
    func export(_ data: TracesData) throws(AgentError) {
        switch self {
        case .http(let host, let port, let path):
            let status = try HTTPClient.post(host: host, port: port, path: path, contentType: "application/x-protobuf",
                                             body: OTLPProtoEncoder.encode(data))
            guard (200..<300).contains(status) else {
                throw AgentError(description: "trace export: the collector answered HTTP \(status)",
                                 transient: [429, 502, 503, 504].contains(status))
            }
        case .file(let path):
            let line = OTLPJSONEncoder.encode(data) + [0x0A]
            let fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
            guard fd >= 0 else { throw AgentError(description: "ASSAY_TRACE_FILE: cannot open (errno \(errno))") }
            defer { close(fd) }
            let written = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard written == line.count else { throw AgentError(description: "ASSAY_TRACE_FILE: short write") }
        case .none:
            break
        }
    }
}

/// A minimal HTTP/1.1 client over a POSIX socket, answering the status code. It keeps its connection
/// open between exports (as the OpenTelemetry SDKs do), and reconnects once when a kept connection was
/// closed meanwhile. No URLSession, so that start-up stays fast.
enum HTTPClient {
    /// The open connection, reused by the next export to the same collector (the agent is single-threaded).
    nonisolated(unsafe) private static var kept: (host: String, port: UInt16, fd: Int32)?

    static func post(host: String, port: UInt16, path: String, contentType: String, body: [UInt8]) throws(AgentError) -> Int {
        let head = "POST \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nContent-Type: \(contentType)\r\n"
            + "Content-Length: \(body.count)\r\nUser-Agent: assay-example-agent\r\n\r\n"
        let request = Array(head.utf8) + body
        if let k = kept, k.host == host, k.port == port {
            kept = nil
            if let (status, keep) = try? exchange(k.fd, request) {
                if keep { kept = k } else { close(k.fd) }
                return status
            }
            close(k.fd)
        }
        let fd = try connect(host: host, port: port)
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        do {
            let (status, keep) = try exchange(fd, request)
            if keep { kept = (host, port, fd) } else { close(fd) }
            return status
        } catch {
            close(fd)
            throw error
        }
    }

    /// Sends one request and reads its whole answer (headers and `Content-Length` body); answers the
    /// status and whether the connection may be kept.
    private static func exchange(_ fd: Int32, _ request: [UInt8]) throws(AgentError) -> (Int, Bool) {
        try send(fd, request)
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            if let end = headerEnd(response), let status = statusCode(response) {
                let headers = String(decoding: response[..<end], as: UTF8.self).lowercased()
                let length = headers.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst(15).trimmingCharacters(in: .whitespaces)) }
                if let length, response.count - end >= length {
                    return (status, !headers.contains("connection: close"))
                }
                if length == nil && !headers.contains("transfer-encoding") { return (status, false) }
            }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 { response.append(contentsOf: buffer[0..<n]); continue }
            if n < 0 && errno == EINTR { continue }
            guard let status = statusCode(response) else {
                throw AgentError(description: "trace export: no HTTP answer from the collector", transient: true)
            }
            return (status, false)
        }
    }

    /// The index just past the header block's blank line, once it has arrived.
    static func headerEnd(_ response: [UInt8]) -> Int? {
        guard response.count >= 4 else { return nil }
        for i in 0...(response.count - 4) where response[i] == 13 && response[i + 1] == 10 && response[i + 2] == 13 && response[i + 3] == 10 {
            return i + 4
        }
        return nil
    }

    /// The status code of `HTTP/1.x NNN ...`, once the status line has arrived.
    static func statusCode(_ response: [UInt8]) -> Int? {
        guard response.count >= 12, response.starts(with: Array("HTTP/1.".utf8)) else { return nil }
        return Int(String(decoding: response[9..<12], as: UTF8.self))
    }

    static func connect(host: String, port: UInt16) throws(AgentError) -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let name = host == "localhost" ? "127.0.0.1" : host
        guard getaddrinfo(name, String(port), &hints, &list) == 0, let first = list else {
            throw AgentError(description: "trace export: cannot resolve the collector's host", transient: true)
        }
        defer { freeaddrinfo(list) }
        var info: UnsafeMutablePointer<addrinfo>? = first
        while let ai = info {
            let fd = socket(ai.pointee.ai_family, ai.pointee.ai_socktype, ai.pointee.ai_protocol)
            if fd >= 0 {
                if Glibc.connect(fd, ai.pointee.ai_addr, ai.pointee.ai_addrlen) == 0 { return fd }
                close(fd)
            }
            info = ai.pointee.ai_next
        }
        throw AgentError(description: "trace export: cannot connect to the collector (errno \(errno))", transient: true)
    }

    static func send(_ fd: Int32, _ bytes: [UInt8]) throws(AgentError) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if n > 0 { offset += n } else if n < 0 && errno == EINTR { continue } else {
                throw AgentError(description: "trace export: sending failed (errno \(errno))", transient: true)
            }
        }
    }
}
