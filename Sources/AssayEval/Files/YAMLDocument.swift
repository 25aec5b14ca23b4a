package import AssayCore
import Yams

/// YAML configuration read into the core's JSON values, keeping the line of every mapping key, so that
/// problems found later can be reported as `file:line: path: problem`.
///
/// Plain scalars are typed by YAML 1.1's core schema (`true`, `12`, `0.5`, `null`, base 60 `1:30`);
/// quoted ones are strings. Anchors and aliases are expanded, up to `maxNodes` values in all; tags
/// other than the standard ones are refused.
package enum YAMLDocument {
    /// The most values (scalars, sequences and mappings, every alias counted again as the values it
    /// repeats) a document may expand to: configuration is far smaller, and a few hundred bytes of
    /// nested aliases ("billion laughs") would otherwise expand without end.
    package static let maxNodes = 100_000

    /// Parses a YAML text into a JSON value.
    ///
    /// - Throws: `EvalError` with the line of the syntax problem.
    package static func parse(_ text: String, source: String) throws(EvalError) -> JSONValue {
        // Mapping keys are measured from the event stream first: the composer hashes them, which costs
        // as much as their expansion (values are counted below, on the composed tree).
        if let line = YAMLExpansion.keyOverLimit(text, limit: maxNodes) {
            throw EvalError.configuration([InputProblem(source: source, line: line,
                                                        message: "a mapping key expands to more than \(maxNodes) values (each alias repeats its anchor's values); keys are plain text")])
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw EvalError.configuration([Self.problem(error, source: source)])
        } catch {
            throw EvalError.configuration([InputProblem(source: source, line: 1, message: "not YAML")])
        }
        guard let node else { return .null }
        var count = 0
        if let (line, path) = expansion(node, count: &count) {
            throw EvalError.configuration([InputProblem(source: source, line: line, path: path,
                                                        message: "the document expands to more than \(maxNodes) values (each alias repeats its anchor's values); write the values out or use fewer aliases")])
        }
        return try value(node, source: source, path: "")
    }

    /// Counts the values `node` expands to into `count` and, once that passes `maxNodes`, returns the line
    /// and path where it did. Yams shares an anchor's nodes between its aliases, so the tree is small in
    /// memory however large its expansion; this walk stops early, before any value is built.
    private static func expansion(_ node: Node, count: inout Int, path: String = "") -> (line: Int, path: String)? {
        count += 1
        if count > maxNodes { return (node.mark?.line ?? 1, path) }
        switch node {
        case .scalar, .alias: return nil
        case .sequence(let sequence):
            for (i, element) in sequence.enumerated() {
                if let found = expansion(element, count: &count, path: path + "[\(i)]") { return found }
            }
        case .mapping(let mapping):
            for (key, element) in mapping {
                let name = key.scalar?.string ?? "?"
                if let found = expansion(element, count: &count, path: path.isEmpty ? name : path + "." + name) { return found }
            }
        }
        return nil
    }

    private static func value(_ node: Node, source: String, path: String) throws(EvalError) -> JSONValue {
        let line = Int32(clamping: node.mark?.line ?? 0)
        switch node {
        case .scalar(let scalar):
            if scalar.style != .plain { return .string(scalar.string) }
            if node.null != nil { return .null }
            if let b = node.bool { return .bool(b) }
            if let i = integer(node, scalar) { return .number(String(i)) }
            if let d = node.float {
                guard d.isFinite else {
                    throw EvalError.configuration([InputProblem(source: source, line: Int(line), path: path, message: "numbers must be finite")])
                }
                return .number(String(d))
            }
            return .string(scalar.string)
        case .sequence(let sequence):
            var values: [JSONValue] = []
            for (i, element) in sequence.enumerated() { values.append(try value(element, source: source, path: path + "[\(i)]")) }
            return .array(values, line: line)
        case .mapping(let mapping):
            var members: [JSONMember] = []
            var seen: Set<String> = []
            for (key, element) in mapping {
                guard case .scalar(let k) = key else {
                    throw EvalError.configuration([InputProblem(source: source, line: key.mark?.line ?? Int(line), path: path, message: "keys must be plain text")])
                }
                let keyLine = Int32(clamping: key.mark?.line ?? Int(line))
                let childPath = path.isEmpty ? k.string : path + "." + k.string
                guard seen.insert(k.string).inserted else {
                    throw EvalError.configuration([InputProblem(source: source, line: Int(keyLine), path: childPath, message: "duplicate key")])
                }
                members.append(JSONMember(key: k.string, value: try value(element, source: source, path: childPath), line: keyLine))
            }
            return .object(members, line: line)
        case .alias:
            throw EvalError.configuration([InputProblem(source: source, line: Int(line), path: path, message: "aliases are not supported")])
        }
    }

    /// The integer of a plain scalar. Yams computes base 60 integers (`1:30:00`) with trapping arithmetic,
    /// so those are computed here, and one that does not fit 64 bits is left to be read as a float.
    private static func integer(_ node: Node, _ scalar: Node.Scalar) -> Int? {
        guard scalar.string.contains(":") else { return node.int }
        var text = Substring(scalar.string.replacingOccurrences(of: "_", with: ""))
        let negative = text.hasPrefix("-")
        if negative || text.hasPrefix("+") { text = text.dropFirst() }
        var total = 0
        for part in text.split(separator: ":", omittingEmptySubsequences: false) {
            guard !part.isEmpty, part.allSatisfy(\.isASCII), part.allSatisfy(\.isNumber), let digit = Int(part) else { return nil }
            let (shifted, o1) = total.multipliedReportingOverflow(by: 60)
            let (sum, o2) = shifted.addingReportingOverflow(digit)
            if o1 || o2 { return nil }
            total = sum
        }
        return negative ? -total : total
    }

    private static func problem(_ error: YamlError, source: String) -> InputProblem {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return InputProblem(source: source, line: mark.line, message: "YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return InputProblem(source: source, line: context.mark.line, message: "duplicate key \(duplicates.joined(separator: ", "))")
        case .reader(let problem, _, _, _):
            return InputProblem(source: source, line: 1, message: "YAML: \(problem)")
        default:
            return InputProblem(source: source, line: 1, message: "not readable as YAML")
        }
    }
}
