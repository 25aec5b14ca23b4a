/// When a trace is complete enough to evaluate while traffic still arrives (`assay serve --score`).
///
/// A trace is complete when its real beginning has arrived (a root, or a topmost span whose parent is
/// marked remote: `TraceRootKind.isFinal`) and no span of it has arrived for `quietNanos`; or, whatever
/// its root, when `maxWaitNanos` have passed since its first span arrived. Arrival times are the
/// store's wall clock when it wrote the spans, not the spans' own timestamps, which come from other
/// machines' clocks.
public struct TraceCompletion: Hashable, Sendable {
    /// How long no span may have arrived.
    public var quietNanos: UInt64
    /// The longest a trace waits for its root and a quiet period, from its first arrival.
    public var maxWaitNanos: UInt64

    /// Creates the rule; by default 10 s of quiet and at most 10 minutes.
    public init(quietNanos: UInt64 = 10_000_000_000, maxWaitNanos: UInt64 = 600_000_000_000) {
        self.quietNanos = quietNanos
        self.maxWaitNanos = max(maxWaitNanos, quietNanos)
    }

    /// Whether a trace with this root, first and last arrival is complete at `now`.
    public func isComplete(rootKind: TraceRootKind, firstSeen: UInt64, lastSeen: UInt64, now: UInt64) -> Bool {
        if now >= firstSeen && now - firstSeen >= maxWaitNanos { return true }
        return rootKind.isFinal && now >= lastSeen && now - lastSeen >= quietNanos
    }
}

/// What online evaluation did with a completed trace; a trace with none is still to be evaluated.
public enum OnlineEvaluation: Int, Hashable, Sendable, CaseIterable {
    /// Scored; its results are stored as feedback from source `online`.
    case scored = 1
    /// Left out by sampling (`--sample`), a decision stable for the trace id.
    case sampledOut = 2
    /// Left out because the hour's judge budget was spent.
    case overBudget = 3
    /// Not the application's traffic (a run's cell, a judge's own call): never scored online.
    case notApplicable = 4
    /// No component's selector chose any of its spans, or no scorer could score them.
    case nothingToScore = 5

    /// The name used in metrics and listings.
    public var label: String {
        switch self {
        case .scored: "scored"
        case .sampledOut: "sampled_out"
        case .overBudget: "over_budget"
        case .notApplicable: "not_applicable"
        case .nothingToScore: "nothing_to_score"
        }
    }
}

/// How long a claim on a completed trace lasts (`OnlineEvaluationStore.completedTraces`): 5 minutes.
public let onlineClaimNanos: UInt64 = 300_000_000_000

/// A store that knows when its traces arrived, so that a collector can evaluate them as they complete.
public protocol OnlineEvaluationStore: TraceStore {
    /// Takes application traces (not run cells) that no online evaluation has handled yet and that are
    /// complete at `now`, oldest arrival first, at most `limit`. Each one returned is claimed until
    /// `now + onlineClaimNanos`: until then no call returns it again, so collectors sharing a store
    /// score different traces, and a claim whose evaluation was never recorded (its collector died)
    /// lapses. Traces stored before the store kept arrival times are never returned.
    func completedTraces(_ completion: TraceCompletion, now: UInt64, limit: Int) throws -> [TraceID]

    /// How many application traces online evaluation has not handled yet, complete or not.
    func unevaluatedTraceCount() throws -> Int
}

extension TraceStore {
    /// Stores online evaluation's feedback and records what it did with each trace, in one
    /// transaction; feedback whose trace is not stored is refused whole, as `add(_:)` does.
    public func recordEvaluation(_ outcomes: [TraceID: OnlineEvaluation], feedback: [Feedback], at time: UInt64) throws {
        try write { writer in
            let unknown = try writer.unknownTargets(feedback)
            guard unknown.isEmpty else { throw AssayError.unknownFeedbackTargets(unknown) }
            _ = try writer.add(feedback)
            try writer.recordEvaluation(outcomes, at: time)
        }
    }
}
