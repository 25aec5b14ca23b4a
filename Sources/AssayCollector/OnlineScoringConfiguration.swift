package import AssayCore

/// What `assay serve --score` evaluates, how much of it, and when (docs/online-evaluation.md).
package struct OnlineScoringConfiguration: Sendable {
    /// The components of the scorer files; their selectors decide which traces each applies to.
    package var components: [ComponentScorer]
    /// The share of completed traces scored, 0 to 1, decided by trace id (`OnlineSampling`).
    package var sampleRate: Double = 1
    /// When a trace counts as complete.
    package var completion = TraceCompletion()
    /// How often the store is asked for newly completed traces.
    package var sweepInterval: Duration = .seconds(1)
    /// Most completed traces taken from the store per sweep: the scoring queue's bound. The rest wait
    /// in the store, unevaluated, for the next sweep (or the next start).
    package var queueCapacity = 256
    /// Traces scored at once.
    package var concurrency = 2
    /// Most judge calls (LLM judge and embedding scorers) per rolling hour; nil: no limit. Once spent,
    /// traces that a judge would score are left out as over budget until calls age out of the hour.
    package var judgeCallsPerHour: Int?
    /// Flag (needs review) a trace when one of its components fails, so that `assay promote --flagged` finds it.
    package var flagFailures = true

    /// Creates a configuration over these components, with the defaults above.
    package init(components: [ComponentScorer]) { self.components = components }

    /// Whether any component calls a model (and so spends the judge budget).
    var usesJudge: Bool { components.contains { $0.scorers.contains { $0.scorer.kind.callsModel } } }
}
