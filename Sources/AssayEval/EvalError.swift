package import AssayCore

/// Problems in evaluation configuration (scorer files, suite files): every one located as
/// `file:line: path: problem`.
package struct EvalConfigError: Error, Sendable, CustomStringConvertible {
    /// Every problem, in file order.
    package var problems: [InputError]

    /// Creates the error.
    package init(problems: [InputError]) { self.problems = problems }

    package var description: String { problems.map(\.description).joined(separator: "\n") }
}
