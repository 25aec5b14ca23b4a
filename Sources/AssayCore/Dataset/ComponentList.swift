import Foundation

/// Named selectors, as `--component NAME=SELECTOR` options or a components file: one `NAME = SELECTOR`
/// per line, `#` comments and blank lines ignored.
///
/// ```text
/// # components of the email assistant
/// triage    = op=chat name=classify* first
/// retrieval = op=retrieval
/// tools     = op=tool
/// ```
public enum ComponentList {
    /// Parses one `NAME=SELECTOR` definition; the error names the problem.
    public static func parse(definition: String) throws(AssayError) -> Promotion.Component {
        guard let eq = definition.firstIndex(of: "=") else {
            throw AssayError.setting(place: "selector column 1", problem: "expected NAME=SELECTOR, e.g. triage=op=chat first")
        }
        let name = definition[..<eq].trimmingCharacters(in: .whitespaces)
        guard DatasetParser.validID(name), !name.contains(":") else {
            throw AssayError.setting(place: "selector column 1", problem: "component names use letters, digits, '.', '_' and '-'")
        }
        let selector = try SpanSelector.parse(String(definition[definition.index(after: eq)...]))
        return Promotion.Component(name: name, selector: selector)
    }

    /// Parses a components file; every problem is `file:line: problem`.
    public static func parse(file text: String, source: String) -> Result<[Promotion.Component], AssayError> {
        var components: [Promotion.Component] = []
        var problems: [InputProblem] = []
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            do {
                let c = try parse(definition: line)
                if components.contains(where: { $0.name == c.name }) {
                    problems.append(InputProblem(source: source, line: i + 1, message: "component \(c.name) is defined twice"))
                } else {
                    components.append(c)
                }
            } catch {
                problems.append(InputProblem(source: source, line: i + 1, message: error.description))
            }
        }
        return problems.isEmpty ? .success(components) : .failure(AssayError.input(problems))
    }
}
