import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// The loopback stub provider of `Gateway/stub_upstream.py` (OpenAI and Anthropic APIs), started for
/// one test and stopped with it; it lists the requests it received and fails on demand.
final class GatewayStub: @unchecked Sendable {
    static let folder = AssayProcess.packageRoot.appendingPathComponent("Tests/AssayCLITests/Gateway")
    static let python = ProcessInfo.processInfo.environment["ASSAY_PYTHON"]
        ?? AssayProcess.packageRoot.appendingPathComponent(".venv/bin/python").path

    /// A Python with the clients, or nil (and a failure in CI, where .ci/run installs them).
    static func clients() -> String? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = ["-c", "import openai, anthropic, langgraph, langchain_openai, langgraph.checkpoint.sqlite"]
        p.standardError = FileHandle.nullDevice
        if (try? p.run()) != nil { p.waitUntilExit(); if p.terminationStatus == 0 { return python } }
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            Issue.record("CI needs \(python) with openai, anthropic, langchain-openai, langgraph and langgraph-checkpoint-sqlite (.ci/run installs them)")
        }
        return nil
    }

    private let process = Process()
    let port: Int

    init() throws {
        process.executableURL = URL(fileURLWithPath: Self.python)
        process.arguments = [Self.folder.appendingPathComponent("stub_upstream.py").path, "--port", "0"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while !line.contains(0x0A) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line += chunk
        }
        let json = try JSONSerialization.jsonObject(with: line.prefix { $0 != 0x0A }) as? [String: Any]
        port = try #require(json?["port"] as? Int)
    }

    deinit { stop() }

    func stop() {
        // SIGKILL: the stub needs no clean exit, and a server thread can keep SIGTERM from ending it.
        if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
    }

    var openAIBaseURL: String { "http://127.0.0.1:\(port)/v1" }
    var anthropicBaseURL: String { "http://127.0.0.1:\(port)" }

    /// The model requests received so far.
    func requests() throws -> [[String: Any]] {
        let data = try Self.call("GET", "http://127.0.0.1:\(port)/_stub/requests", body: nil)
        return try JSONSerialization.jsonObject(with: data) as? [[String: Any]] ?? []
    }

    func reset() throws { _ = try Self.call("POST", "http://127.0.0.1:\(port)/_stub/reset", body: "{}") }

    /// The next `count` model requests answer `status`, with `Retry-After` when given.
    func fail(status: Int, retryAfter: String? = nil, count: Int = 1) throws {
        var body: [String: Any] = ["status": status, "count": count]
        if let retryAfter { body["retry_after"] = retryAfter }
        _ = try Self.call("POST", "http://127.0.0.1:\(port)/_stub/fail", body: String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self))
    }

    static func call(_ method: String, _ url: String, body: String?) throws -> Data {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        if let body { request.httpBody = Data(body.utf8); request.setValue("application/json", forHTTPHeaderField: "Content-Type") }
        final class Box: @unchecked Sendable { var data = Data() }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: request) { data, _, _ in box.data = data ?? Data(); done.signal() }.resume()
        done.wait()
        return box.data
    }
}
