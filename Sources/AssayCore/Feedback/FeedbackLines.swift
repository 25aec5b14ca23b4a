/// Feedback in JSON Lines (one feedback object per line; blank lines skipped), as `assay feedback
/// import` reads it and the trace browser exports it.
public enum FeedbackLines {
    /// Parses every line; returns all the feedback, or every problem as `file:line: path: problem`.
    ///
    /// - Parameters:
    ///   - text: the file's content.
    ///   - source: the name used in error messages.
    ///   - now: the time given to items without one.
    ///   - defaultAuthor: the author of items without one.
    /// - Returns: the feedback in file order, or the problems (then nothing should be written).
    public static func parse(_ text: String, source: String, now: UInt64, defaultAuthor: String,
                             maxProblems: Int = 50) -> Result<[Feedback], InputProblems> {
        var items: [Feedback] = []
        var problems: [InputError] = []
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            if line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) { continue }
            do {
                let value: JSONValue
                do { value = try JSONCursor.parse(Array(line.utf8)) } catch {
                    throw InputError(line: 1, path: error.path, message: error.message)
                }
                items.append(try FeedbackJSON.decode(value, now: now, defaultAuthor: defaultAuthor))
            } catch {
                var e = error as? InputError ?? InputError(line: 1, message: "\(error)")
                e.source = source
                e.line = lineNumber + (e.line - 1)
                problems.append(e)
                if problems.count >= maxProblems { break }
            }
        }
        if !problems.isEmpty { return .failure(InputProblems(problems: problems)) }
        return .success(items)
    }
}

/// The problems found in an input file (feedback, components); nothing of it is used when there are any.
public struct InputProblems: Error, Hashable, Sendable, CustomStringConvertible {
    /// Every problem, in file order.
    public var problems: [InputError]
    /// Creates the error.
    public init(problems: [InputError]) { self.problems = problems }
    /// One problem per line.
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
