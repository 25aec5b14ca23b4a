/// One piece of feedback on a trace or on one of its spans: a review by a person, a model or a program.
///
/// Feedback is append-only. The newest item from the same author and source on the same target
/// (trace, or trace and span) is that author's *current* review and supersedes the older ones in
/// filters and promotion; the older ones stay as history (see docs/feedback.md).
public struct Feedback: Hashable, Sendable {
    /// The id: given by the producer, or a hash of the content.
    public var id: FeedbackID
    /// The trace it is about.
    public var traceID: TraceID
    /// The span it is about; nil when it is about the whole trace.
    public var spanID: SpanID?
    /// The session it is about, when it is about a whole conversation; `traceID` is then the
    /// session's first trace and `spanID` is nil (docs/conversations.md).
    public var sessionID: String?
    /// Thumbs up or down.
    public var rating: Rating?
    /// Named numeric scores, e.g. `helpfulness: 0.4`.
    public var scores: [String: Double]
    /// Named categorical labels, e.g. `intent: refund`.
    public var labels: [String: String]
    /// The right output, as text or JSON.
    public var correction: Correction?
    /// A free-text comment.
    public var comment: String?
    /// Marks the target as needing review (flagged).
    public var needsReview: Bool
    /// Who gave it: a person's name, a model id, a scorer's name.
    public var author: String
    /// What kind of author.
    public var source: FeedbackSource
    /// When it was given, nanoseconds since the Unix epoch.
    public var timeUnixNano: UInt64

    /// Creates feedback; with no `id`, the id is a hash of the content.
    public init(id: FeedbackID? = nil, traceID: TraceID, spanID: SpanID? = nil, sessionID: String? = nil, rating: Rating? = nil,
                scores: [String: Double] = [:], labels: [String: String] = [:], correction: Correction? = nil,
                comment: String? = nil, needsReview: Bool = false, author: String, source: FeedbackSource,
                timeUnixNano: UInt64) {
        self.id = .placeholder
        self.traceID = traceID
        self.spanID = spanID
        self.sessionID = sessionID
        self.rating = rating
        self.scores = scores
        self.labels = labels
        self.correction = correction
        self.comment = comment
        self.needsReview = needsReview
        self.author = author
        self.source = source
        self.timeUnixNano = timeUnixNano
        self.id = id ?? FeedbackID(contentHash: FeedbackJSON.canonical(self, includingID: false))
    }

    /// Whether it says anything at all (a rating, a score, a label, a correction, a comment or a flag).
    public var isEmpty: Bool {
        rating == nil && scores.isEmpty && labels.isEmpty && correction == nil && comment == nil && !needsReview
    }

    /// The target and author whose newest item is current.
    public var reviewKey: ReviewKey { ReviewKey(traceID: traceID, spanID: spanID, sessionID: sessionID, author: author, source: source) }
}

/// Identifies one author's review of one target; the newest feedback with a key is the current one.
public struct ReviewKey: Hashable, Sendable {
    /// The trace.
    public var traceID: TraceID
    /// The span, or nil for the whole trace.
    public var spanID: SpanID?
    /// The session, for feedback on a whole conversation.
    public var sessionID: String?
    /// The author.
    public var author: String
    /// The author's kind.
    public var source: FeedbackSource
}

/// A feedback id: 1 to 64 characters of letters, digits and `. _ : -`.
public struct FeedbackID: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The id text.
    public let rawValue: String

    /// Accepts a well-formed id (the empty id only as a placeholder during construction).
    public init?(rawValue: String) {
        guard rawValue.utf8.count <= 64, rawValue.utf8.allSatisfy(Self.allowed) else { return nil }
        self.rawValue = rawValue
    }

    /// A checked id from outside; nil when empty or malformed.
    public init?(text: String) {
        guard !text.isEmpty else { return nil }
        self.init(rawValue: text)
    }

    private init(unchecked: String) { rawValue = unchecked }

    /// The id for content: `fb-` and the first 16 hex digits of its SHA-256.
    init(contentHash content: String) { rawValue = "fb-" + SHA256.hex(content).prefix(16) }

    /// A placeholder used only while a `Feedback` is being built.
    static let placeholder = FeedbackID(unchecked: "")

    private static func allowed(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2E || c == 0x5F || c == 0x3A || c == 0x2D
    }

    public var description: String { rawValue }
    public static func < (a: FeedbackID, b: FeedbackID) -> Bool { a.rawValue < b.rawValue }
}

/// A thumbs-up or thumbs-down rating.
public enum Rating: String, Sendable, Hashable, CaseIterable {
    /// The output was good.
    case up
    /// The output was bad.
    case down
}

/// Who gave feedback.
public enum FeedbackSource: String, Sendable, Hashable, CaseIterable {
    /// A person (a reviewer, an end user).
    case human
    /// A model (an LLM judge).
    case model
    /// A program (a scorer, a heuristic).
    case code
    /// A scorer run by the collector on traffic as it arrived (`assay serve --score`).
    case online
}

/// The right output for a trace or span.
public enum Correction: Hashable, Sendable {
    /// Plain text.
    case text(String)
    /// A JSON value (an object, an array, a number...), kept as canonical JSON text.
    case json(String)
}
