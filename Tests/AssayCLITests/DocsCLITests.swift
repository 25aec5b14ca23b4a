import Foundation
import Testing

/// The docs against the code: every command in the reference exists, every command has a section,
/// and every option in an example of the reference and the README is one the command takes.
@Suite("The docs match the commands")
struct DocsCLITests {
    static let root = AssayProcess.packageRoot

    /// `assay PATH --help`, cached.
    final class Help: @unchecked Sendable {
        private var cache: [String: String?] = [:]
        private let folder: URL
        init() throws { folder = try AssayProcess.workspace() }

        /// The help text when `path` is a command path, else nil.
        func text(_ path: [String]) throws -> String? {
            let key = path.joined(separator: " ")
            if let hit = cache[key] { return hit }
            let r = try AssayProcess.run(path + ["--help"], in: folder)
            let text = r.status == 0 && r.stdout.contains("USAGE: assay " + key) ? r.stdout : nil
            cache[key] = text
            return text
        }
    }

    /// `assay …` command lines in fenced code blocks (with or without `swift run` or a build path before them).
    static func exampleLines(_ text: String) -> [String] {
        var inFence = false
        var out: [String] = []
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("```") { inFence.toggle(); continue }
            guard inFence else { continue }
            for prefix in ["assay ", "swift run assay ", ".build/release/assay ", ".build/debug/assay "] where line.hasPrefix(prefix) {
                out.append(String(line.dropFirst(prefix.count)).components(separatedBy: " #")[0].components(separatedBy: " &&")[0])
            }
        }
        return out
    }

    /// Splits like a shell: quotes group words.
    static func words(_ line: String) -> [String] {
        var words: [String] = [], current = "", quote: Character?
        for c in line {
            if let q = quote { if c == q { quote = nil } else { current.append(c) }; continue }
            if c == "'" || c == "\"" { quote = c; continue }
            if c == " " { if !current.isEmpty { words.append(current); current = "" }; continue }
            current.append(c)
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    @Test("every command's help examples fit an 80-column terminal unwrapped, so they paste, and no default is said twice")
    func helpFormat() throws {
        let reference = try String(contentsOf: Self.root.appendingPathComponent("docs/reference.md"), encoding: .utf8)
        let commands = reference.split(separator: "\n").filter { $0.hasPrefix("### assay ") }.map { $0.dropFirst(10).split(separator: " ").map(String.init) }
        let w = try AssayProcess.workspace()
        for command in commands {
            let r = try AssayProcess.run(command + ["--help"], in: w, environment: ["COLUMNS": "80"])
            var inExamples = false
            for line in r.stdout.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix("Examples:") || line.hasPrefix("Example:") { inExamples = true; continue }
                if inExamples && line.isEmpty { inExamples = false; continue }
                if inExamples {
                    #expect(line.hasPrefix("  "), "assay \(command.joined(separator: " ")) --help: a wrapped example line: \(line)")
                }
            }
            let options = r.stdout.components(separatedBy: "OPTIONS:").last ?? ""
            for entry in options.components(separatedBy: "\n  -") {
                #expect(entry.components(separatedBy: "(default").count <= 2, "assay \(command.joined(separator: " ")) --help says a default twice: \(entry)")
            }
        }
    }

    @Test("every `### assay …` heading of the reference is a real command, and every command has one")
    func headings() throws {
        let reference = try String(contentsOf: Self.root.appendingPathComponent("docs/reference.md"), encoding: .utf8)
        let help = try Help()
        let headings = reference.split(separator: "\n").filter { $0.hasPrefix("### assay ") }.map { String($0.dropFirst(10)) }
        #expect(headings.count >= 20)
        for h in headings { #expect(try help.text(h.split(separator: " ").map(String.init)) != nil, "not a command: assay \(h)") }
        let top = try #require(try help.text([]))
        // Command lines are indented by two spaces exactly; their descriptions wrap onto deeper lines.
        let subcommands = (top.components(separatedBy: "SUBCOMMANDS:").last ?? "").split(separator: "\n")
            .filter { $0.hasPrefix("  ") && !$0.hasPrefix("   ") }
            .compactMap { $0.split(separator: " ").first.map(String.init) }
            .filter { $0 != "See" && $0 != "help" }
        #expect(subcommands.count >= 15)
        for s in subcommands { #expect(headings.contains { $0 == s || $0.hasPrefix(s + " ") }, "no section for assay \(s)") }
    }

    @Test("every option in the examples of the reference and the README is one the command takes", arguments: ["docs/reference.md", "README.md", "docs/runner.md"])
    func examples(file: String) throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent(file), encoding: .utf8)
        let help = try Help()
        let lines = Self.exampleLines(text)
        #expect(!lines.isEmpty)
        for line in lines {
            let words = Self.words(line)
            let path = Array(words.prefix { !$0.hasPrefix("-") })
            var command: [String]?
            var helpText: String?
            for n in stride(from: path.count, through: 1, by: -1) {
                if let t = try help.text(Array(path.prefix(n))) { command = Array(path.prefix(n)); helpText = t; break }
            }
            guard let command, let helpText else { Issue.record("\(file): not a command: assay \(line)"); continue }
            for w in words where w.hasPrefix("--") {
                let option = String(w.split(separator: "=")[0])
                #expect(helpText.contains(option + " ") || helpText.contains(option + "\n") || helpText.contains(option + ","),
                        "\(file): assay \(command.joined(separator: " ")) has no option \(option)")
            }
        }
    }
}
