/// The core's one error: what was refused, where, and why. Each case carries the place and the
/// problem; ``httpStatus`` is the answer a server gives when the error comes from a request.
///
/// Descriptions are sentences in the form `place: problem` (input problems as
/// `file:line: path: problem`) and never quote prompt text beyond a short, sanitized fragment.
public enum AssayError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Input with problems (lines of a file, records or fields of a request), every one located;
    /// nothing of the input was used.
    case input([InputProblem])
    /// A setting or argument that cannot be used. `place` names it (`alpha`, `selector column 3`,
    /// `retrieval`); `field` is the parameter at fault below it (a JSON pointer for nested values),
    /// when there is one.
    case setting(place: String, field: String? = nil, problem: String)
    /// Something named is not there, such as a dataset file.
    case notFound(place: String, problem: String)
    /// Feedback about traces or spans that are not in the store; nothing of it was stored.
    case unknownFeedbackTargets([UnknownFeedbackTarget])
    /// Parts that cannot be combined, such as the shards of different runs.
    case conflict(place: String, problem: String)
    /// A file that cannot be read or written.
    case file(path: String, problem: String)

    /// The HTTP status that answers a request failing this way: 400 for bad input or settings,
    /// 404 for what is not there, 422 for feedback about what is not stored, 409 for a conflict, 500 for a file the server cannot use.
    public var httpStatus: Int {
        switch self {
        case .input, .setting: 400
        case .notFound: 404
        case .unknownFeedbackTargets: 422
        case .conflict: 409
        case .file: 500
        }
    }

    /// The problems of `.input`, or an empty list.
    public var inputProblems: [InputProblem] {
        if case .input(let problems) = self { return problems }
        return []
    }

    /// Where the problem is: the setting, file or thing named; the first problem's source and line
    /// for input; `feedback` for unknown targets.
    public var place: String {
        switch self {
        case .input(let problems): problems.first.map { p in [p.source, p.line > 0 ? String(p.line) : nil].compactMap { $0 }.joined(separator: ":") } ?? ""
        case .setting(let place, _, _), .notFound(let place, _), .conflict(let place, _): place
        case .file(let path, _): path
        case .unknownFeedbackTargets: "feedback"
        }
    }

    /// The parameter at fault below a setting's place, when there is one.
    public var field: String? {
        if case .setting(_, let field, _) = self { return field }
        return nil
    }

    /// The targets of `.unknownFeedbackTargets`, or an empty list.
    public var unknownTargets: [UnknownFeedbackTarget] {
        if case .unknownFeedbackTargets(let targets) = self { return targets }
        return []
    }

    /// What is wrong, without the place.
    public var problem: String {
        switch self {
        case .input(let problems): problems.map(\.message).joined(separator: "; ")
        case .setting(_, _, let problem), .notFound(_, let problem), .conflict(_, let problem), .file(_, let problem): problem
        case .unknownFeedbackTargets(let targets): targets.map(\.description).joined(separator: "; ")
        }
    }

    /// `place: problem`; input problems one per line.
    public var description: String {
        switch self {
        case .input(let problems):
            let shown = problems.prefix(Self.maxListed).map(\.description)
            let more = problems.count > Self.maxListed ? ["… and \(problems.count - Self.maxListed) more problems"] : []
            return (shown + more).joined(separator: "\n")
        case .setting(let place, let field, let problem):
            return field.map { "\(place): parameter \($0): \(problem)" } ?? "\(place): \(problem)"
        case .notFound(let place, let problem), .conflict(let place, let problem):
            return "\(place): \(problem)"
        case .file(let path, let problem):
            return "\(path): \(problem)"
        case .unknownFeedbackTargets(let targets):
            return targets.map(\.description).joined(separator: "; ")
        }
    }

    /// How many input problems a description lists.
    public static let maxListed = 50
}
