/// A problem reading a report input (a baseline file); the description is a sentence naming the place
/// and the problem, never the file's data.
public struct ReportError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Where, e.g. `baseline: cells["triage|low"]["q17"].score`.
    public var place: String
    /// What is wrong there.
    public var message: String

    /// Creates an error.
    public init(place: String, message: String) {
        self.place = place
        self.message = message
    }

    /// `place: message`.
    public var description: String { "\(place): \(message)" }
}
