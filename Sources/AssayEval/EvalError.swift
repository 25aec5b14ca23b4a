public import AssayCore

/// Problems in evaluation configuration (scorer files, suite files): every one located as
/// `file:line: path: problem`.
public struct EvalConfigError: Error, Sendable, CustomStringConvertible {
    /// Every problem, in file order.
    public var problems: [InputError]

    /// Creates the error.
    public init(problems: [InputError]) { self.problems = problems }

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
