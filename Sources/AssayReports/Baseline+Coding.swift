import AssayCore
import Foundation

extension Baseline {
    /// The file text: keys sorted, one cell key per line and one example per line.
    package func encoded() -> String {
        var out = "{\n"
        out += "  \"cells\": {"
        let cells = gateRun.outcomes.keys.sorted()
        for (i, cell) in cells.enumerated() {
            out += i == 0 ? "\n" : ",\n"
            out += "    \(JSONWriter.quoted("\(cell.component)|\(cell.tier)")): {"
            let examples = gateRun.outcomes[cell]!.sorted { $0.key < $1.key }
            for (j, (id, outcome)) in examples.enumerated() {
                out += j == 0 ? "\n" : ",\n"
                let passed = outcome.passed.map { $0 ? "true" : "false" } ?? "null"
                let score = outcome.score.flatMap { $0.isFinite ? "\($0)" : nil } ?? "null"
                out += "      \(JSONWriter.quoted(id)): {\"passed\": \(passed), \"score\": \(score)}"
            }
            out += examples.isEmpty ? "}" : "\n    }"
        }
        out += cells.isEmpty ? "},\n" : "\n  },\n"
        out += "  \"createdAt\": \(JSONWriter.quoted(createdAt)),\n"
        out += "  \"run\": \(JSONWriter.quoted(run)),\n"
        out += "  \"suiteHash\": \(JSONWriter.quoted(suiteHash)),\n"
        out += "  \"version\": \(version)\n"
        out += "}\n"
        return out
    }

    /// Reads a baseline file.
    /// - Throws: `ReportError` naming the problem: not JSON, a newer version, a missing or mistyped
    ///   field (with its path), a cell key without `|`.
    package static func decode(_ text: String) throws(ReportError) -> Baseline {
        let data = Data(text.utf8)
        let probe: VersionProbe
        do {
            probe = try JSONDecoder().decode(VersionProbe.self, from: data)
        } catch {
            throw ReportError(place: "baseline", message: Self.describe(error))
        }
        guard let version = probe.version else {
            throw ReportError(place: "baseline: version", message: "missing; is this a baseline file written by `assay baseline save`?")
        }
        guard version <= currentVersion else {
            throw ReportError(place: "baseline: version",
                              message: "the file is version \(version), newer than this Assay reads (\(currentVersion)); upgrade Assay")
        }
        guard version >= 1 else { throw ReportError(place: "baseline: version", message: "must be at least 1, got \(version)") }
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: data)
        } catch {
            throw ReportError(place: "baseline", message: Self.describe(error))
        }
        var run = GateRun()
        for (key, examples) in file.cells {
            guard let bar = key.lastIndex(of: "|"), bar != key.startIndex, key.index(after: bar) != key.endIndex else {
                throw ReportError(place: "baseline: cells[\(JSONWriter.quoted(key))]", message: "a cell key must be `component|tier`")
            }
            let cell = GateCell(component: String(key[..<bar]), tier: String(key[key.index(after: bar)...]))
            for (id, entry) in examples {
                run.record(GateOutcome(score: entry.score, passed: entry.passed), cell: cell, example: id)
            }
            if examples.isEmpty { run.outcomes[cell] = [:] }
        }
        return Baseline(version: version, run: file.run, suiteHash: file.suiteHash, createdAt: file.createdAt, gateRun: run)
    }

    private struct VersionProbe: Decodable { var version: Int? }

    private struct File: Decodable {
        struct Entry: Decodable {
            var score: Double?
            var passed: Bool?
        }
        var version: Int
        var run: String
        var suiteHash: String
        var createdAt: String
        var cells: [String: [String: Entry]]
    }

    /// A decoding error as `path: problem`, without the file's values.
    private static func describe(_ error: any Error) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            var out = ""
            for key in keys {
                if let index = key.intValue { out += "[\(index)]" } else if out.isEmpty { out = key.stringValue } else {
                    out += key.stringValue.allSatisfy({ $0.isLetter || $0.isNumber }) ? ".\(key.stringValue)" : "[\(JSONWriter.quoted(key.stringValue))]"
                }
            }
            return out.isEmpty ? "the top level" : out
        }
        guard let error = error as? DecodingError else { return "not valid JSON" }
        switch error {
        case .typeMismatch(let type, let context): return "\(path(context.codingPath)): expected \(Self.name(type))"
        case .valueNotFound(let type, let context): return "\(path(context.codingPath)): expected \(Self.name(type)), got null"
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])): missing"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not valid JSON" : "\(path(context.codingPath)): invalid value"
        @unknown default: return "not a baseline file"
        }
    }

    private static func name(_ type: Any.Type) -> String {
        switch type {
        case is Double.Type: "a number"
        case is Int.Type: "an integer"
        case is Bool.Type: "true or false"
        case is String.Type: "a string"
        default: "an object"
        }
    }
}
