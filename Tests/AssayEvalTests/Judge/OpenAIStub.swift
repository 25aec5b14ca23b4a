import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// The loopback OpenAI-compatible stub (`Servers/openai_stub.py`), started by a test and stopped when
/// the test's body returns. Behaviour is chosen by the model name; see the script's docstring.
struct OpenAIStub: Sendable {
    /// `http://127.0.0.1:<port>/v1`.
    let baseURL: String
    let port: Int

    /// python3 on the PATH, when there is one.
    static let python: String? = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        .split(separator: ":").map { "\($0)/python3" }.first { FileManager.default.isExecutableFile(atPath: $0) }

    /// The script, found from this file: `Tests/AssayEvalTests/Judge/X.swift` → `../Servers/openai_stub.py`.
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Servers/openai_stub.py").path

    struct StartError: Error, CustomStringConvertible {
        var description: String
    }

    /// Starts the stub, runs `body`, stops the stub.
    static func run<T>(_ body: (OpenAIStub) async throws -> T) async throws -> T {
        guard let python else { throw StartError(description: "python3 is not on the PATH; the judge tests need it for their loopback stub server") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        defer {
            // Closing stdin ends the stub; nothing here blocks a cooperative thread.
            try? input.fileHandleForWriting.close()
            if process.isRunning { process.terminate() }
        }
        let handle = output.fileHandleForReading
        let line = await withCheckedContinuation { (continuation: CheckedContinuation<[UInt8], Never>) in
            DispatchQueue.global().async {
                var line: [UInt8] = []
                while !line.contains(UInt8(ascii: "\n")) {
                    let data = handle.availableData
                    if data.isEmpty { break }
                    line += data
                }
                continuation.resume(returning: line)
            }
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw StartError(description: "the stub did not print its port (\(script))")
        }
        return try await body(OpenAIStub(baseURL: "http://127.0.0.1:\(port)/v1", port: port))
    }

    /// Requests the stub received for `model`, and the last Authorization header sent with one.
    func requests(_ model: String) async throws -> (count: Int, authorization: String?) {
        var components = URLComponents(string: "http://127.0.0.1:\(port)/count")!
        components.queryItems = [URLQueryItem(name: "model", value: model)]
        let (data, _) = try await URLSession.shared.data(from: components.url!)
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        return (object?["count"] as? Int ?? -1, object?["authorization"] as? String)
    }
}
