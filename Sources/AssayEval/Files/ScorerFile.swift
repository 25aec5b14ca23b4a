package import AssayCore
import Foundation

/// A scorer file, `Scorers/NAME.yaml`: one component, its selector, its weighted scorers and a pass
/// threshold (docs/scorers.md).
///
/// ```yaml
/// component: triage
/// selector: op=chat first
/// threshold: 0.8
/// scorers:
///   - kind: json_path_equals
///     path: $.label
///   - kind: llm_judge
///     weight: 0.5
///     base_url: http://127.0.0.1:8080/v1
///     model: gpt-4o-mini
///     api_key_env: OPENAI_API_KEY
///     rubric: Is the label right for this email?
/// ```
package struct ScorerFile: Sendable {
    /// The file it was read from.
    package var path: String
    /// The component it declares.
    package var component: ComponentScorer
    /// A description, for reports.
    package var description: String?
}

/// Builds scorers that are not built in (the LLM judge, embeddings) from a scorer entry's parameters.
package typealias ScorerMaker = @Sendable (_ parameters: JSONValue, _ threshold: Double?, _ name: String?) throws(AssayError) -> any Scorer

/// Reads scorer files, validating everything and reporting every problem as `file:line: path: problem`.
package struct ScorerFileLoader: Sendable {
    /// Kinds beyond the built-in ones and `command`, by name.
    package var extraKinds: [String: ScorerMaker]

    /// Creates a loader.
    package init(extraKinds: [String: ScorerMaker] = [:]) { self.extraKinds = extraKinds }

    /// The keys of a scorer entry that are not the scorer's parameters.
    static let entryKeys: Set<String> = ["kind", "name", "weight", "threshold"]

    /// Loads every `*.yaml` / `*.yml` file of a folder, or one file.
    package func load(_ path: String) throws(EvalError) -> [ScorerFile] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw EvalError.configuration([InputProblem(source: path, line: 1, message: "no such file or folder")])
        }
        guard isDirectory.boolValue else { return [try loadFile(path)] }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [])
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        var files: [ScorerFile] = []
        var problems: [InputProblem] = []
        for name in names {
            do { files.append(try loadFile(path + "/" + name)) } catch { problems += error.problems }
        }
        if let duplicate = Dictionary(grouping: files, by: \.component.name).first(where: { $0.value.count > 1 }) {
            problems.append(InputProblem(source: duplicate.value[1].path, line: 1, path: "component",
                                       message: "component \(duplicate.key) is also declared in \(duplicate.value[0].path)"))
        }
        if !problems.isEmpty { throw EvalError.configuration(problems) }
        return files
    }

    /// Loads one scorer file.
    package func loadFile(_ path: String) throws(EvalError) -> ScorerFile {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw EvalError.configuration([InputProblem(source: path, line: 1, message: "cannot read the file as UTF-8 text")])
        }
        return try parse(text, source: path)
    }

    /// Parses a scorer file's text.
    package func parse(_ text: String, source: String) throws(EvalError) -> ScorerFile {
        try component(try YAMLDocument.parse(text, source: source), source: source, path: "")
    }

    /// Reads a component from a mapping (a whole scorer file, or an inline component of a suite at `path`).
    package func component(_ root: JSONValue, source: String, path base: String, defaultName: String? = nil) throws(EvalError) -> ScorerFile {
        var problems: [InputProblem] = []
        func problem(_ line: Int?, _ path: String, _ message: String) {
            problems.append(InputProblem(source: source, line: line ?? root.line ?? 1, path: base.isEmpty ? path : base + "." + path, message: message))
        }
        guard let members = root.members else { throw EvalError.configuration([InputProblem(source: source, line: 1, message: "expected a mapping with component, selector and scorers")]) }
        func line(_ key: String, in value: JSONValue = root) -> Int? { value.members?.last(where: { $0.key == key }).map { Int($0.line) } }
        for m in members where !["component", "description", "selector", "threshold", "scorers"].contains(m.key) {
            problem(Int(m.line), m.key, "unknown key; expected component, description, selector, threshold, scorers")
        }
        let fileName = ((source as NSString).lastPathComponent as NSString).deletingPathExtension
        let name = root["component"]?.string ?? defaultName ?? fileName
        if root["component"] != nil && root["component"]?.string == nil { problem(line("component"), "component", "expected a name") }
        if !DatasetFolder.validName(name) { problem(line("component"), "component", "use letters, digits, '.', '_' and '-'") }
        var selector = SpanSelector(conditions: [], position: .all)
        if let text = root["selector"]?.string {
            do { selector = try SpanSelector.parse(text) } catch { problem(line("selector"), "selector", error.description) }
        } else {
            problem(line("selector"), "selector", "required: which spans make the component, e.g. op=chat first (docs/selectors.md)")
        }
        var threshold: Double?
        if let t = root["threshold"] {
            if let d = t.double, (0...1).contains(d) { threshold = d } else { problem(line("threshold"), "threshold", "expected a number from 0 to 1") }
        }
        var scorers: [ComponentScorer.Weighted] = []
        if let list = root["scorers"]?.elements, !list.isEmpty {
            var names: Set<String> = []
            for (i, entry) in list.enumerated() {
                let path = (base.isEmpty ? "" : base + ".") + "scorers[\(i)]"
                let entryLine = entry.line ?? line("scorers")
                do {
                    let weighted = try scorer(entry, path: path, line: entryLine, source: source)
                    if !names.insert(weighted.scorer.name).inserted {
                        problem(entryLine, path + ".name", "another scorer of this component is named \(weighted.scorer.name); give each a name")
                    }
                    scorers.append(weighted)
                } catch {
                    problems += error.problems
                }
            }
        } else {
            problem(line("scorers"), "scorers", "required: a list of scorers, each with a kind")
        }
        if !problems.isEmpty { throw EvalError.configuration(problems) }
        return ScorerFile(path: source, component: ComponentScorer(name: name, selector: selector, scorers: scorers, threshold: threshold),
                          description: root["description"]?.string)
    }

    /// One scorer entry.
    private func scorer(_ entry: JSONValue, path: String, line: Int?, source: String) throws(EvalError) -> ComponentScorer.Weighted {
        func fail(_ key: String?, _ message: String) -> EvalError {
            let at = key.flatMap { k in entry.members?.last(where: { $0.key == k }).map { Int($0.line) } } ?? line ?? 1
            return EvalError.configuration([InputProblem(source: source, line: at, path: key.map { path + "." + $0 } ?? path, message: message)])
        }
        guard let members = entry.members else { throw fail(nil, "expected a mapping with a kind") }
        guard let kind = entry["kind"]?.string else { throw fail("kind", "required: one of \(Self.kindList(extraKinds))") }
        let name = entry["name"]?.string
        if entry["name"] != nil && name == nil { throw fail("name", "expected text") }
        var weight = 1.0
        if let w = entry["weight"] {
            guard let d = w.double, d > 0 else { throw fail("weight", "expected a number above 0") }
            weight = d
        }
        var threshold: Double?
        if let t = entry["threshold"] {
            guard let d = t.double, (0...1).contains(d) else { throw fail("threshold", "expected a number from 0 to 1") }
            threshold = d
        }
        let parameters = JSONValue.object(members.filter { !Self.entryKeys.contains($0.key) }, line: entry.line.map(Int32.init) ?? 0)
        do {
            let made: any Scorer
            if kind == "command" {
                made = try CommandScorer.make(parameters: parameters, threshold: threshold, name: name)
            } else if let maker = extraKinds[kind] {
                made = try maker(parameters, threshold, name)
            } else if BuiltinScorerKind(rawValue: kind) != nil {
                made = try BuiltinScorers.make(kind: kind, parameters: parameters, threshold: threshold, name: name)
            } else {
                throw fail("kind", "unknown kind '\(DisplayFormat.safe(kind, limit: 40))'; expected one of \(Self.kindList(extraKinds))")
            }
            return ComponentScorer.Weighted(made, weight: weight)
        } catch let error as AssayError {
            let key = error.field.map { String($0.split(separator: "/").first ?? Substring($0)) }
            throw fail(key.flatMap { k in members.contains { $0.key == k } ? k : nil }, error.description)
        } catch let error as EvalError {
            throw error
        } catch {
            throw fail(nil, "\(error)")
        }
    }

    static func kindList(_ extra: [String: ScorerMaker]) -> String {
        (BuiltinScorerKind.allCases.map(\.rawValue) + ["command"] + extra.keys.sorted()).joined(separator: ", ")
    }
}
