/// A scorer configuration that cannot be used: an unknown kind, or a parameter that is missing,
/// unknown or of the wrong shape. The YAML layer prefixes the file and line.
public struct ScorerConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The scorer kind being configured.
    public var kind: String
    /// The parameter at fault (a JSON pointer below it for nested values, e.g. `schema/properties/age`),
    /// nil when the kind itself is the problem.
    public var parameter: String?
    /// What is wrong, e.g. `expected a positive integer, got -1`.
    public var message: String

    /// Creates an error.
    public init(kind: String, parameter: String? = nil, message: String) {
        self.kind = kind
        self.parameter = parameter
        self.message = message
    }

    /// `retrieval: parameter k: expected a positive integer, got -1`.
    public var description: String {
        if let parameter { return "\(kind): parameter \(parameter): \(message)" }
        return "\(kind): \(message)"
    }
}
