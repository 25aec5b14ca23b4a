/// A problem reading a report input (a baseline file); the description is a sentence naming the place
/// and the problem, never the file's data.
package struct ReportError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Where, e.g. `baseline: cells["triage|low"]["q17"].score`.
    package var place: String
    /// What is wrong there.
    package var message: String

    /// Creates an error.
    package init(place: String, message: String) {
        self.place = place
        self.message = message
    }

    /// `place: message`.
    package var description: String { "\(place): \(message)" }
}
