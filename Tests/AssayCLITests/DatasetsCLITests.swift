import Foundation
import Testing

/// `assay datasets` on files a person wrote: duplicate inputs and component cases that need an expected value.
@Suite("assay datasets")
struct DatasetsCLITests {
    @Test("validate refuses duplicate inputs, naming both examples; list counts component cases that need an expected value")
    func duplicatesAndReadiness() throws {
        let w = try AssayProcess.workspace()
        try FileManager.default.createDirectory(at: w.appendingPathComponent("Datasets"), withIntermediateDirectories: true)
        let lines = [
            #"{"id":"a","input":"hello","expected":"hi","status":"ready"}"#,
            #"{"id":"b","input":"hello","expected":"hey","status":"ready"}"#,
            #"{"id":"c","input":"other","expected":"x","status":"ready","components":{"t":{"selector":"op=chat","expected":null,"status":"needs_expected"}}}"#,
        ]
        try (lines.joined(separator: "\n") + "\n").write(to: w.appendingPathComponent("Datasets/d.jsonl"), atomically: true, encoding: .utf8)
        let validate = try AssayProcess.run(["datasets", "validate", "d"], in: w)
        #expect(validate.status == 1)
        #expect(validate.stderr.contains("example b has the same input as example a"), "\(validate.stderr)")
        let list = try AssayProcess.run(["datasets", "list"], in: w)
        let row = list.stdout.split(separator: "\n").first { $0.hasPrefix("d ") }.map { $0.split(separator: " ").map(String.init) } ?? []
        #expect(row.count >= 4 && row[1] == "3" && row[2] == "2" && row[3] == "1", "\(list.stdout)")
    }
}
