import Foundation
import Testing

/// Runs the command-line tools the tests check reports with (xmllint, Python with junitparser,
/// Chromium). Outside CI a missing tool skips the check with a message; with `CI=true` it fails.
enum ExternalTool {
    /// The package root: two folders above this file.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// This test folder.
    static let testsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()

    static var inCI: Bool { ProcessInfo.processInfo.environment["CI"]?.lowercased() == "true" }

    /// The first of the paths that is an executable file.
    static func find(_ candidates: [String]) -> String? {
        candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// An executable on PATH.
    static func onPath(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return find(path.split(separator: ":").map { "\($0)/\(name)" })
    }

    /// Records that a tool is missing: an issue in CI, a printed note otherwise. Returns false.
    @discardableResult
    static func missing(_ what: String) -> Bool {
        if inCI {
            Issue.record("\(what) is required when CI=true")
        } else {
            print("note: skipping a check: \(what) is not available")
        }
        return false
    }

    /// The result of a command.
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs a command with its output captured in files (no pipe can fill up), waiting at most `timeout`.
    static func run(_ executable: String, _ arguments: [String], timeout: TimeInterval = 120) throws -> Output {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("assay-reports-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("out"), err = folder.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        let outHandle = try FileHandle(forWritingTo: out), errHandle = try FileHandle(forWritingTo: err)
        process.standardOutput = outHandle
        process.standardError = errHandle
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        process.waitUntilExit()
        try outHandle.close()
        try errHandle.close()
        return Output(status: process.terminationStatus,
                      stdout: String(decoding: try Data(contentsOf: out), as: UTF8.self),
                      stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self))
    }

    /// Writes text to a new temporary file with the given extension.
    static func temporaryFile(_ text: String, ext: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("assay-report-\(UUID().uuidString).\(ext)")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// A Python that can import junitparser: `$ASSAY_PYTHON`, the package's `.venv`, then `python3` on PATH.
    static func junitPython() throws -> String? {
        var candidates: [String] = []
        if let env = ProcessInfo.processInfo.environment["ASSAY_PYTHON"] { candidates.append(env) }
        candidates.append(packageRoot.appendingPathComponent(".venv/bin/python").path)
        if let python = onPath("python3") { candidates.append(python) }
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate) {
            if try run(candidate, ["-c", "import junitparser"]).status == 0 { return candidate }
        }
        return nil
    }
}
