/// One problem in input data, located as `file:line: path: problem`. Input with problems is refused
/// as ``AssayError/input(_:)``, which carries every problem found.
///
/// The description never quotes the offending content beyond a short, sanitized fragment, so that
/// prompt text and attribute values do not leak into logs.
public struct InputProblem: Hashable, Sendable, CustomStringConvertible {
    /// The input's name (a file path, `<stdin>`, or a request); nil when not yet known.
    public var source: String?
    /// The 1-based line of the problem; 0 for input without lines (protobuf), whose message gives
    /// the byte offset instead.
    public var line: Int
    /// The JSON path of the bad field, e.g. `resourceSpans[0].scopeSpans[2].spans[5].traceId`; empty for the whole record.
    public var path: String
    /// What is wrong.
    public var message: String

    /// Creates an error.
    public init(source: String? = nil, line: Int, path: String = "", message: String) {
        self.source = source
        self.line = line
        self.path = path
        self.message = message
    }

    /// `file:line: path: problem`, leaving out the parts that are unknown.
    public var description: String {
        var parts: [String] = []
        if let source { parts.append(source) }
        if line > 0 { parts.append(String(line)) }
        var text = parts.isEmpty ? "" : parts.joined(separator: ":") + ": "
        if !path.isEmpty { text += path + ": " }
        return text + message
    }
}

extension Array where Element == InputProblem {
    /// Prefixes the JSON paths of the errors from index `from` on with an enclosing field, such as
    /// `resourceSpans[0]`, as decoders do when a nested element's problems come back up.
    package mutating func prefixPaths(from: Int, with prefix: String) {
        guard count > from else { return }
        for i in from..<count {
            let path = self[i].path
            self[i].path = path.isEmpty ? prefix : path.hasPrefix("[") ? prefix + path : prefix + "." + path
        }
    }
}
