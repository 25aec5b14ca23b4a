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
    ///   - sessionAnchor: the first trace of a session, for items with a `sessionId` and no `traceId`
    ///     (see `FeedbackJSON.decode`); by default there is none and such items are refused.
    /// - Returns: the feedback in file order, or the problems (then nothing should be written).
    public static func parse(_ text: String, source: String, now: UInt64, defaultAuthor: String,
                             maxProblems: Int = 50, sessionAnchor: (String) -> TraceID? = { _ in nil }) -> Result<[Feedback], AssayError> {
        var items: [Feedback] = []
        var problems: [InputProblem] = []
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            if line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) { continue }
            do throws(AssayError) {
                let value: JSONValue
                do { value = try JSONCursor.parse(Array(line.utf8)) } catch {
                    throw AssayError.input([InputProblem(line: 1, path: error.path, message: error.message)])
                }
                items.append(try FeedbackJSON.decode(value, now: now, defaultAuthor: defaultAuthor, sessionAnchor: sessionAnchor))
            } catch {
                for var e in error.inputProblems.isEmpty ? [InputProblem(line: 1, message: error.description)] : error.inputProblems {
                    e.source = source
                    e.line = lineNumber + (e.line - 1)
                    problems.append(e)
                }
                if problems.count >= maxProblems { break }
            }
        }
        if !problems.isEmpty { return .failure(AssayError.input(problems)) }
        return .success(items)
    }
}
