/// Reads and checks a dataset file: every problem is reported as `file:line: problem`.
public enum DatasetParser {
    /// The examples of a dataset text, or every problem found (in line order).
    public static func parse(_ text: String, source: String) -> (examples: [DatasetExample], problems: [InputProblem]) {
        var examples: [DatasetExample] = []
        var problems: [InputProblem] = []
        var seen: [String: Int] = [:]
        var lineNumber = 0
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, raw) in lines.enumerated() {
            lineNumber += 1
            if index == lines.count - 1 && raw.isEmpty { break }
            func problem(_ path: String, _ message: String) {
                problems.append(InputProblem(source: source, line: lineNumber, path: path, message: message))
            }
            if raw.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) {
                problem("", "blank line (one example per line, no blank lines)")
                continue
            }
            let value: JSONValue
            do { value = try JSONCursor.parse(Array(raw.utf8)) } catch {
                problem(error.path, "not valid JSON: \(error.message)")
                continue
            }
            let before = problems.count
            guard let members = value.members else {
                problem("", "expected a JSON object (one example per line)")
                continue
            }
            for m in members where !DatasetLine.keys.contains(m.key) {
                problem(DisplayFormat.safe(m.key, limit: 40), "unknown key; expected \(DatasetLine.keys.joined(separator: ", "))")
            }
            let id = value["id"]?.string ?? ""
            if value["id"] == nil { problem("id", "missing") } else if !validID(id) {
                problem("id", "expected 1 to 64 letters, digits or . _ - :")
            } else if let first = seen[id] {
                problem("id", "duplicate id \(id) (first on line \(first))")
            } else {
                seen[id] = lineNumber
            }
            guard let input = value["input"] else {
                problem("input", "missing")
                continue
            }
            if input.isNull { problem("input", "must not be null") }
            let expected = value["expected"].flatMap { $0.isNull ? nil : $0 }
            let status = value["status"]?.string
            switch status {
            case nil: if value["status"] != nil { problem("status", "expected \"ready\" or \"needs_expected\"") }
            case "ready"?: if expected == nil { problem("expected", "status is ready but expected is missing or null") }
            case "needs_expected"?: if expected != nil { problem("status", "is needs_expected but an expected value is given") }
            default: problem("status", "expected \"ready\" or \"needs_expected\"")
            }
            var components: [String: ComponentCase] = [:]
            if let c = value["components"], !c.isNull {
                if let list = c.members {
                    for m in list {
                        let path = "components." + DisplayFormat.safe(m.key, limit: 40)
                        guard m.value.members != nil else { problem(path, "expected an object with selector and expected"); continue }
                        guard let selectorText = m.value["selector"]?.string else { problem(path + ".selector", "missing"); continue }
                        do { _ = try SpanSelector.parse(selectorText) } catch { problem(path + ".selector", error.description) }
                        let exp = m.value["expected"].flatMap { $0.isNull ? nil : $0 }
                        if let s = m.value["status"]?.string, s != (exp == nil ? "needs_expected" : "ready") {
                            problem(path + ".status", "does not agree with expected")
                        }
                        components[m.key] = ComponentCase(selector: selectorText, input: m.value["input"], expected: exp)
                    }
                } else {
                    problem("components", "expected an object of component names to cases")
                }
            }
            let metadata = value["metadata"] ?? .object([])
            if metadata.members == nil { problem("metadata", "expected an object") }
            var provenance: Provenance?
            if let p = value["provenance"], !p.isNull {
                if let trace = p["traceId"]?.string, let at = p["promotedAt"]?.string {
                    provenance = Provenance(traceID: trace, spanIDs: p["spanIds"]?.elements?.compactMap(\.string) ?? [],
                                            feedbackIDs: p["feedbackIds"]?.elements?.compactMap(\.string) ?? [],
                                            promotedAt: at, updatedAt: p["updatedAt"]?.string)
                } else {
                    problem("provenance", "expected traceId and promotedAt")
                }
            }
            if problems.count == before {
                examples.append(DatasetExample(id: id, input: input, expected: expected, components: components,
                                               metadata: metadata, provenance: provenance))
            }
        }
        return (examples, problems)
    }

    /// Whether an id is well formed.
    public static func validID(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= 64 && id.utf8.allSatisfy {
            ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2E || $0 == 0x5F || $0 == 0x2D || $0 == 0x3A
        }
    }
}
