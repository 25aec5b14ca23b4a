import Foundation
import Testing

/// Checks the rules of `docs/architecture.md` against the source trees (`Sources`, `Fuzz/Sources`): which target may import what,
/// and that no folder of the core uses a folder above it.
@Suite("Architecture: the code keeps the layers written in docs/architecture.md")
struct LayeringTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let systemModules: Set<String> = ["Foundation", "FoundationNetworking", "FoundationEssentials", "Glibc", "Darwin", "Dispatch", "Synchronization"]

    @Test("every target is documented and imports only what the document allows")
    func targetImports() throws {
        let allowed = try Architecture.load(from: Self.root).targets
        var problems: [String] = []
        var found: Set<String> = []
        // The package's targets, and the fuzz targets that Package.swift declares when ASSAY_FUZZ=1.
        for folder in ["Sources", "Fuzz/Sources"] {
            let sources = Self.root.appendingPathComponent(folder)
            let targets = try FileManager.default.contentsOfDirectory(atPath: sources.path).filter { !$0.hasPrefix(".") }.sorted()
            for target in targets {
                found.insert(target)
                guard let permitted = allowed[target] else {
                    problems.append("\(folder)/\(target): a target that docs/architecture.md does not list")
                    continue
                }
                for file in SwiftFile.all(under: sources.appendingPathComponent(target), root: Self.root) {
                    for (line, module) in file.imports where !permitted.contains(module) && !Self.systemModules.contains(module) {
                        problems.append("\(file.path):\(line): imports \(module), which \(target) may not use")
                    }
                }
            }
        }
        for target in allowed.keys.sorted() where !found.contains(target) {
            problems.append("docs/architecture.md lists \(target), which has no folder in Sources or Fuzz/Sources")
        }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test("no file of the core uses a type or function of a layer above its own")
    func coreLayers() throws {
        let layers = try Architecture.load(from: Self.root).layers
        let core = Self.root.appendingPathComponent("Sources/AssayCore")
        let files = SwiftFile.all(under: core, root: Self.root)
        var problems: [String] = []
        var owner: [String: Int] = [:]
        for file in files {
            guard let layer = layers.firstIndex(of: file.folder(in: "Sources/AssayCore")) else {
                problems.append("\(file.path): its folder is not among the layers of docs/architecture.md")
                continue
            }
            for name in file.topLevelNames { owner[name] = layer }
        }
        for file in files {
            guard let layer = layers.firstIndex(of: file.folder(in: "Sources/AssayCore")) else { continue }
            for (line, name) in file.identifiers {
                if let used = owner[name], used > layer {
                    problems.append("\(file.path):\(line): uses \(name) from \(layers[used]), a layer above \(layers[layer])")
                }
            }
        }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test("each target declares one error type, and only the documented carriers and outcomes besides")
    func oneErrorTypePerModule() throws {
        let errors = try Architecture.load(from: Self.root).errors
        let sources = Self.root.appendingPathComponent("Sources")
        let targets = try FileManager.default.contentsOfDirectory(atPath: sources.path).filter { !$0.hasPrefix(".") }.sorted()
        var problems: [String] = []
        for target in targets {
            let declared = SwiftFile.all(under: sources.appendingPathComponent(target), root: Self.root).flatMap { file in
                file.errorTypes.map { (file.path, $0.line, $0.name) }
            }
            let listed = errors[target] ?? []
            for (path, line, name) in declared where !listed.contains(name) {
                problems.append("\(path):\(line): \(name) conforms to Error but is not \(target)'s error type in docs/architecture.md")
            }
            let own = errors[target]?.first
            if let own, !declared.contains(where: { $0.2 == own }) {
                problems.append("Sources/\(target): its error type \(own) is not declared there")
            }
        }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test("the checker finds a backward reference and an undocumented import")
    func checkerCatches() {
        let file = SwiftFile(path: "Sources/AssayCore/Model/X.swift", text: """
            import Foundation
            package import Hummingbird
            /// Uses `Comment` only in a comment.
            struct Thing { var s = "Store"; var summary: TraceSummary }
            """)
        #expect(file.imports.map(\.module) == ["Foundation", "Hummingbird"])
        #expect(file.identifiers.map(\.name).contains("TraceSummary"))
        #expect(!file.identifiers.map(\.name).contains("Comment"))
        #expect(!file.identifiers.map(\.name).contains("Store"))
        #expect(file.topLevelNames == ["Thing"])
        let errors = SwiftFile(path: "Sources/X/E.swift", text: """
            enum Outer { package struct Nested: Error, Sendable {} }
            struct Plain: Hashable {}
            final class Boxed: @unchecked Sendable, Error {}
            """)
        #expect(errors.errorTypes.map(\.name) == ["Nested", "Boxed"])
    }
}

/// The machine-read blocks of docs/architecture.md.
struct Architecture {
    var targets: [String: Set<String>]
    var layers: [String]
    /// Target → its error type first, then its carriers and outcomes.
    var errors: [String: [String]]

    static func load(from root: URL) throws -> Architecture {
        let text = try String(contentsOf: root.appendingPathComponent("docs/architecture.md"), encoding: .utf8)
        var targets: [String: Set<String>] = [:]
        for line in block("targets", in: text) {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard let name = parts.first else { continue }
            targets[String(name)] = Set((parts.count > 1 ? parts[1] : "").split(separator: " ").map(String.init))
        }
        var errors: [String: [String]] = [:]
        for line in block("errors", in: text) {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            errors[String(parts[0])] = parts[1].split(separator: "|").flatMap { group in
                (group.split(separator: ":", maxSplits: 1).last ?? group).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            }.filter { !$0.isEmpty }
        }
        return Architecture(targets: targets, layers: block("layers", in: text), errors: errors)
    }

    static func block(_ tag: String, in text: String) -> [String] {
        guard let start = text.range(of: "```\(tag)\n"), let end = text.range(of: "```", range: start.upperBound..<text.endIndex) else { return [] }
        return text[start.upperBound..<end.lowerBound].split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

/// A Swift source file with comments and string literals blanked out, line numbers kept.
struct SwiftFile {
    var path: String
    var code: String

    init(path: String, text: String) {
        self.path = path
        code = Self.blankCommentsAndStrings(text)
    }

    static func all(under folder: URL, root: URL) -> [SwiftFile] {
        guard let walker = FileManager.default.enumerator(atPath: folder.path) else { return [] }
        return walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }.sorted().compactMap { relative in
            let url = folder.appendingPathComponent(relative)
            guard let text = try? String(contentsOf: url, encoding: .utf8) else { return nil }
            return SwiftFile(path: String(url.path.dropFirst(root.path.count + 1)), text: text)
        }
    }

    /// The first folder below `base` (a file directly in `base` is in folder ".").
    func folder(in base: String) -> String {
        let rest = path.dropFirst(base.count + 1).split(separator: "/")
        return rest.count > 1 ? String(rest[0]) : "."
    }

    var lines: [Substring] { code.split(separator: "\n", omittingEmptySubsequences: false) }

    /// Types declared as conforming to `Error` (directly, in their inheritance clause).
    var errorTypes: [(line: Int, name: String)] {
        lines.enumerated().flatMap { i, line -> [(line: Int, name: String)] in
            var found: [(line: Int, name: String)] = []
            let words = line.split(whereSeparator: { $0 == " " || $0 == "{" || $0 == "}" || $0 == "(" })
            for (j, word) in words.enumerated() where ["struct", "enum", "class", "actor"].contains(word) && j + 1 < words.count {
                guard words[j + 1].hasSuffix(":") else { continue }
                let name = String(words[j + 1].dropLast())
                let clause = words[(j + 2)...].prefix { !["struct", "enum", "class", "actor", "where"].contains($0) }
                if clause.contains(where: { $0 == "Error" || $0 == "Error," || $0 == "Swift.Error" || $0 == "Swift.Error," }) {
                    found.append((i + 1, name))
                }
            }
            return found
        }
    }

    /// `import` lines: (line number, module).
    var imports: [(line: Int, module: String)] {
        lines.enumerated().compactMap { i, line in
            let words = line.split(separator: " ").filter { !$0.hasPrefix("@") }
            guard let at = words.firstIndex(of: "import"), at <= 1, at + 1 < words.count else { return nil }
            if at == 1, !["public", "package", "internal"].contains(words[0]) { return nil }
            return (i + 1, String(words[at + 1].split(separator: ".")[0]))
        }
    }

    /// Types, type aliases and functions declared at the top level of the file (not nested ones).
    var topLevelNames: [String] {
        let kinds: Set<Substring> = ["struct", "enum", "class", "protocol", "actor", "typealias", "func"]
        return lines.compactMap { line in
            guard let first = line.first, first.isLetter || first == "@" else { return nil }
            let words = line.split(whereSeparator: { $0 == " " || $0 == "(" || $0 == "<" || $0 == ":" || $0 == "{" })
            guard let k = words.firstIndex(where: { kinds.contains($0) }), k + 1 < words.count else { return nil }
            return String(words[k + 1])
        }
    }

    /// Every identifier with its line.
    var identifiers: [(line: Int, name: String)] {
        var out: [(Int, String)] = []
        for (i, line) in lines.enumerated() {
            var word = ""
            for c in line + " " {
                if c.isLetter || c.isNumber || c == "_" { word.append(c) } else {
                    if let f = word.first, f.isLetter || f == "_" { out.append((i + 1, word)) }
                    word = ""
                }
            }
        }
        return out
    }

    /// Replaces comments and string literals (also multi-line and raw ones) with spaces, keeping newlines.
    static func blankCommentsAndStrings(_ text: String) -> String {
        let s = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        func blank(_ c: Unicode.Scalar) { out.append(c == "\n" ? "\n" : " ") }
        func at(_ p: String, _ j: Int) -> Bool {
            let q = Array(p.unicodeScalars)
            return j + q.count <= s.count && Array(s[j..<j + q.count]) == q
        }
        while i < s.count {
            if at("//", i) {
                while i < s.count && s[i] != "\n" { blank(s[i]); i += 1 }
            } else if at("/*", i) {
                var depth = 0
                repeat {
                    if at("/*", i) { depth += 1; blank(s[i]); blank(s[i + 1]); i += 2 }
                    else if at("*/", i) { depth -= 1; blank(s[i]); blank(s[i + 1]); i += 2 }
                    else { blank(s[i]); i += 1 }
                } while depth > 0 && i < s.count
            } else if s[i] == "#" || s[i] == "\"" {
                var hashes = 0, j = i
                while j < s.count && s[j] == "#" { hashes += 1; j += 1 }
                guard j < s.count, s[j] == "\"" else { out.append(s[i]); i += 1; continue }
                let multi = at("\"\"\"", j)
                let close = (multi ? "\"\"\"" : "\"") + String(repeating: "#", count: hashes)
                out.append("\""); for _ in i..<(j + (multi ? 3 : 1) - 1) { out.append(" ") }
                i = j + (multi ? 3 : 1)
                while i < s.count && !at(close, i) {
                    if hashes == 0 && s[i] == "\\" && i + 1 < s.count { blank(s[i]); i += 1 }
                    blank(s[i]); i += 1
                }
                for _ in 0..<min(close.unicodeScalars.count, s.count - i) { out.append(" ") }
                i += close.unicodeScalars.count
            } else {
                out.append(s[i]); i += 1
            }
        }
        return String(out)
    }
}
