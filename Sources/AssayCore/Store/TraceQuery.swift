/// Where a trace came from: an application's own traffic, or a cell of an evaluation run (its root is
/// the runner's `assay.cell TIER` span).
public enum TraceOrigin: String, Hashable, Sendable, CaseIterable {
    /// Traffic from the application: every trace that is not a run's cell.
    case production
    /// The traces of `assay run`'s cells.
    case runs

    /// The root span name of a run cell's trace starts with this.
    public static let runRootPrefix = "assay.cell "

    /// The origin of a trace with this root span name.
    public init(rootName: String?) {
        self = rootName?.hasPrefix(Self.runRootPrefix) == true ? .runs : .production
    }
}

/// Filters for listing traces. Every filter left nil matches everything.
public struct TraceQuery: Hashable, Sendable {
    /// Only traces that start at or after this time (ns since the Unix epoch).
    public var startFrom: UInt64?
    /// Only traces that start before this time (ns since the Unix epoch).
    public var startBefore: UInt64?
    /// Root span name: exact, or a glob when it contains `*`, `?` or `[`.
    public var name: String?
    /// Only traces with this status.
    public var status: TraceStatus?
    /// Only traces that used this model.
    public var model: String?
    /// Only traces with a span of this operation.
    public var operation: SpanOperation?
    /// Only traces of this session.
    public var sessionID: String?
    /// Only traces of this origin; nil: both.
    public var origin: TraceOrigin?
    /// Filters on the feedback the trace received.
    public var feedback = FeedbackFilter()
    /// At most this many traces, newest first.
    public var limit: Int

    /// Creates a query; by default the 50 newest traces.
    public init(startFrom: UInt64? = nil, startBefore: UInt64? = nil, name: String? = nil, status: TraceStatus? = nil,
                model: String? = nil, operation: SpanOperation? = nil, sessionID: String? = nil, limit: Int = 50) {
        self.startFrom = startFrom
        self.startBefore = startBefore
        self.name = name
        self.status = status
        self.model = model
        self.operation = operation
        self.sessionID = sessionID
        self.limit = limit
    }

    /// True when the name filter is a glob pattern rather than an exact name.
    public var nameIsPattern: Bool { name.map { $0.contains { "*?[".contains($0) } } ?? false }

    /// Whether a trace passes every filter (the reference semantics every store implements).
    public func matches(_ t: TraceSummary, feedback items: [StoredFeedback]) -> Bool {
        matches(t) && feedback.matches(items)
    }

    /// Whether a summary passes every filter but the feedback ones.
    public func matches(_ t: TraceSummary) -> Bool {
        if let startFrom, t.startTimeUnixNano < startFrom { return false }
        if let startBefore, t.startTimeUnixNano >= startBefore { return false }
        if let name {
            guard let root = t.rootName else { return false }
            if nameIsPattern ? !Glob.matches(root, pattern: name) : root != name { return false }
        }
        if let status, t.status != status { return false }
        if let model, !t.models.contains(model) { return false }
        if let operation, !t.operations.contains(operation) { return false }
        if let sessionID, t.sessionID != sessionID { return false }
        if let origin, TraceOrigin(rootName: t.rootName) != origin { return false }
        return true
    }
}

/// SQLite-compatible glob matching (`*`, `?`, `[...]`), case-sensitive.
public enum Glob {
    /// Whether `text` matches `pattern`.
    public static func matches(_ text: String, pattern: String) -> Bool {
        match(Array(text.unicodeScalars), 0, Array(pattern.unicodeScalars), 0)
    }

    private static func match(_ t: [Unicode.Scalar], _ ti: Int, _ p: [Unicode.Scalar], _ pi: Int) -> Bool {
        var ti = ti, pi = pi
        var starP = -1, starT = -1
        while ti < t.count {
            if pi < p.count, p[pi] == "*" {
                starP = pi
                starT = ti
                pi += 1
                continue
            }
            if pi < p.count, let next = single(t[ti], p, pi) {
                ti += 1
                pi = next
                continue
            }
            guard starP >= 0 else { return false }
            starT += 1
            ti = starT
            pi = starP + 1
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }

    /// Matches one character against the pattern element at `pi`; returns the next pattern index.
    private static func single(_ c: Unicode.Scalar, _ p: [Unicode.Scalar], _ pi: Int) -> Int? {
        if p[pi] == "?" { return pi + 1 }
        if p[pi] == "[" {
            var i = pi + 1
            var negate = false
            if i < p.count, p[i] == "^" { negate = true; i += 1 }
            var matched = false
            var first = true
            while i < p.count, p[i] != "]" || first {
                first = false
                if i + 2 < p.count, p[i + 1] == "-", p[i + 2] != "]" {
                    if p[i] <= c && c <= p[i + 2] { matched = true }
                    i += 3
                } else {
                    if p[i] == c { matched = true }
                    i += 1
                }
            }
            guard i < p.count else { return p[pi] == c ? pi + 1 : nil }
            return matched != negate ? i + 1 : nil
        }
        return p[pi] == c ? pi + 1 : nil
    }
}
