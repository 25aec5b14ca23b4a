/// A problem found while decoding a JSON value into the trace model, with the path relative to the
/// value being decoded. Callers prefix their own key or index as the error travels up, so the happy
/// path builds no path strings.
///
/// This is the JSON cursor's internal carrier, not an error callers see: decoders turn it into an
/// ``AssayError/input(_:)`` (``assayError``) at their edge.
package struct FieldError: Error {
    package var path: String
    package var line: Int
    package var message: String
    /// The JSON is malformed (as opposed to well-formed but of the wrong shape): the record is unusable.
    package var isSyntax = false
    /// The input ended inside a value (more input may complete it).
    package var isTruncated = false

    package init(_ message: String, line: Int, path: String = "") {
        self.message = message
        self.line = line
        self.path = path
    }

    /// The same error seen from the enclosing object's member `key`.
    package func under(_ key: String) -> FieldError {
        var copy = self
        copy.path = path.isEmpty ? key : (path.hasPrefix("[") ? key + path : key + "." + path)
        return copy
    }

    /// The same error seen from the enclosing array's element `index`.
    package func at(_ index: Int) -> FieldError {
        var copy = self
        copy.path = path.isEmpty ? "[\(index)]" : (path.hasPrefix("[") ? "[\(index)]" + path : "[\(index)]." + path)
        return copy
    }

    /// The located input problem.
    package func inputProblem(prefix: String = "") -> InputProblem {
        let full = prefix.isEmpty ? path : (path.isEmpty ? prefix : (path.hasPrefix("[") ? prefix + path : prefix + "." + path))
        return InputProblem(line: line, path: full, message: message)
    }

    /// The located problem as the core's error.
    package var assayError: AssayError { .input([inputProblem()]) }
}
