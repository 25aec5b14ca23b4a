package import AssayCore

/// The evaluation adapters' one error: configuration files with problems, a program that cannot
/// start, and a judge that does not answer or answers what cannot be used. Each case carries the
/// place and the problem, and never more than a short, sanitized fragment of model text.
package enum EvalError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Problems in scorer or suite files, every one located as `file:line: path: problem`.
    case configuration([InputProblem])
    /// A program that could not be started, and why.
    case cannotStart(program: String, reason: String)
    /// The judge gave no HTTP answer within the request's timeout.
    case judgeTimedOut
    /// The connection to the judge failed (refused, reset, name not resolved...), with a short category.
    case judgeConnection(String)
    /// The judge's answer (a verdict or embeddings) is not usable; quotes at most 80 characters.
    case malformedAnswer(String)

    /// The problems of `.configuration`, or an empty list.
    package var problems: [InputProblem] {
        if case .configuration(let problems) = self { return problems }
        return []
    }

    /// What is wrong, without the place: a malformed answer's message, else the description.
    package var problem: String {
        if case .malformedAnswer(let message) = self { return message }
        return description
    }

    /// The unscored reason a score carries when a judge's answer is malformed.
    package var unscoredReason: UnscoredReason {
        switch self {
        case .malformedAnswer(let message): .scorerFailed("the judge's verdict was malformed: \(message)")
        default: .scorerFailed(description)
        }
    }

    /// A sentence naming the place and the problem; configuration problems one per line.
    package var description: String {
        switch self {
        case .configuration(let problems): problems.map(\.description).joined(separator: "\n")
        case .cannotStart(let program, let reason): "cannot start \(program): \(reason)"
        case .judgeTimedOut: "the judge did not answer in time"
        case .judgeConnection(let what): "the judge could not be reached: \(what)"
        case .malformedAnswer(let message): "the judge's answer is malformed: \(message)"
        }
    }
}
