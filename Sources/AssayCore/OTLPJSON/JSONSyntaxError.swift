/// A JSON text that is not well-formed, with where the problem is.
package struct JSONSyntaxError: Error, Sendable, CustomStringConvertible {
    /// 1-based line of the problem.
    package var line: Int
    /// Byte offset of the problem from the start of the buffer.
    package var offset: Int
    /// What is wrong, as a sentence fragment.
    package var message: String
    /// True when the text simply ended too early (more input may complete it).
    package var isTruncated: Bool

    package var description: String { "line \(line): \(message)" }
}
