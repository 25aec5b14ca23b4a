/// A bad gate setting, such as an alpha outside 0...1; the CLI reports it as a usage error.
public struct GateError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The setting, e.g. `alpha`.
    public var setting: String
    /// What is wrong with it.
    public var message: String

    /// Creates an error.
    public init(setting: String, message: String) {
        self.setting = setting
        self.message = message
    }

    /// `setting: problem`.
    public var description: String { "\(setting): \(message)" }
}
