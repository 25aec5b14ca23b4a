/// Filters on the feedback a trace received (on the trace or any of its spans). Only current reviews
/// count: the newest item per author, source and target (see `Feedback`).
public struct FeedbackFilter: Hashable, Sendable {
    /// Only traces with a current flag (needs review).
    public var flagged = false
    /// Only traces with a current thumbs-down.
    public var ratedDown = false
    /// Only traces with a current thumbs-up.
    public var ratedUp = false
    /// Only traces with a current correction.
    public var hasCorrection = false
    /// Only traces with any feedback at all.
    public var hasFeedback = false
    /// Only traces with a current score of this name below this value.
    public var scoreBelow: ScoreBound?
    /// Only traces with a current label of this name and value.
    public var label: LabelMatch?
    /// Only feedback from this source counts, for every filter above; alone, only traces with current
    /// feedback from it (e.g. `online`: scored by `assay serve --score`).
    public var source: FeedbackSource?

    /// A score name and the value it must be below.
    public struct ScoreBound: Hashable, Sendable {
        /// The score's name.
        public var name: String
        /// The exclusive upper bound.
        public var value: Double
        /// Creates a bound.
        public init(name: String, value: Double) { self.name = name; self.value = value }
    }

    /// A label name and value.
    public struct LabelMatch: Hashable, Sendable {
        /// The label's name.
        public var name: String
        /// Its value.
        public var value: String
        /// Creates a match.
        public init(name: String, value: String) { self.name = name; self.value = value }
    }

    /// No feedback filter.
    public init() {}

    /// Whether no filter is set.
    public var isEmpty: Bool { self == FeedbackFilter() }

    /// Whether a trace's feedback passes every filter (the reference semantics stores implement).
    public func matches(_ items: [StoredFeedback]) -> Bool {
        if isEmpty { return true }
        let items = source.map { source in items.filter { $0.feedback.source == source } } ?? items
        let current = items.filter(\.isCurrent).map(\.feedback)
        if hasFeedback && items.isEmpty { return false }
        if source != nil && current.isEmpty { return false }
        if flagged && !current.contains(where: \.needsReview) { return false }
        if ratedDown && !current.contains(where: { $0.rating == .down }) { return false }
        if ratedUp && !current.contains(where: { $0.rating == .up }) { return false }
        if hasCorrection && !current.contains(where: { $0.correction != nil }) { return false }
        if let scoreBelow, !current.contains(where: { ($0.scores[scoreBelow.name] ?? .infinity) < scoreBelow.value }) { return false }
        if let label, !current.contains(where: { $0.labels[label.name] == label.value }) { return false }
        return true
    }
}

/// Feedback as stored, with whether it is its author's current review of its target.
public struct StoredFeedback: Hashable, Sendable {
    /// The feedback.
    public var feedback: Feedback
    /// False when a newer item from the same author and source on the same target supersedes it.
    public var isCurrent: Bool

    /// Creates a stored item.
    public init(feedback: Feedback, isCurrent: Bool) {
        self.feedback = feedback
        self.isCurrent = isCurrent
    }
}

/// How many feedback items a write added, and how many were already stored (same id).
public struct FeedbackCounts: Hashable, Sendable {
    /// Items added.
    public var added = 0
    /// Items already stored, left as they were.
    public var present = 0
    /// Creates counts.
    public init(added: Int = 0, present: Int = 0) { self.added = added; self.present = present }
}
