/// One run of a suite: what ran (suite, git revision, datasets and their versions, Assay version),
/// its cells' results as they finish, and its state. Runs are kept in the store, one committed row
/// per finished cell, so that a killed run can be resumed (docs/runner.md).
public struct RunRecord: Sendable {
    /// The version of the run format this code writes; readers refuse a newer one (docs/runner.md).
    public static let formatVersion = 2

    /// The run's id, e.g. `run-20261121-184500-3f2a`.
    public var id: String
    /// The suite file, as given.
    public var suitePath: String
    /// The SHA-256 of the suite file's text: a resumed run refuses a changed suite.
    public var suiteHash: String
    /// The suite's text, so that a run can be rescored and resumed exactly.
    public var suiteText: String
    /// The git revision of the working tree, when it is a git checkout.
    public var gitRevision: String?
    /// Dataset name → version (hash of the content).
    public var datasetVersions: [String: String]
    /// The Assay version.
    public var assayVersion: String
    /// The tiers in suite order.
    public var tiers: [TierInfo]
    /// The components in suite order (end-to-end scoring is the component named `end_to_end`).
    public var components: [String]
    /// Component → pass threshold used by reports.
    public var thresholds: [String: Double]
    /// The shard, when the run is one shard of a larger one.
    public var shard: Shard?
    /// When it started, nanoseconds since the Unix epoch.
    public var startedAtUnixNano: UInt64
    /// Its state.
    public var state: RunState
    /// The number of cells the run was to run (after sharding).
    public var plannedCells: Int
    /// How far below the best tier a cheaper tier may score and still be advised (the suite's
    /// `routing_margin`); nil in runs recorded before it was kept.
    public var routingMargin: Double?
    /// The model gateway's cache mode (`off`, `record`, `replay`, `replay-or-record`); nil in runs
    /// recorded before the gateway.
    public var llmCache: String?
    /// The fault plans every example also ran under, in suite order (docs/resilience.md); empty when
    /// the run had only the clean condition.
    public var conditions: [String] = []
    /// Finished cells, in finishing order.
    public var cells: [CellResult]

    /// Creates a record.
    public init(id: String, suitePath: String, suiteHash: String, suiteText: String, gitRevision: String?,
                datasetVersions: [String: String], assayVersion: String, tiers: [TierInfo], components: [String],
                thresholds: [String: Double], shard: Shard?, startedAtUnixNano: UInt64, state: RunState, plannedCells: Int,
                cells: [CellResult] = []) {
        self.id = id
        self.suitePath = suitePath
        self.suiteHash = suiteHash
        self.suiteText = suiteText
        self.gitRevision = gitRevision
        self.datasetVersions = datasetVersions
        self.assayVersion = assayVersion
        self.tiers = tiers
        self.components = components
        self.thresholds = thresholds
        self.shard = shard
        self.startedAtUnixNano = startedAtUnixNano
        self.state = state
        self.plannedCells = plannedCells
        self.cells = cells
    }
}

/// A tier as a run records it.
public struct TierInfo: Codable, Sendable, Hashable {
    /// The tier's name: `low`, `mid`, `frontier`, ...
    public var name: String
    /// The model id the agent is told to use.
    public var model: String
    /// US dollars per million input tokens.
    public var inputPricePerMillion: Double
    /// US dollars per million output tokens.
    public var outputPricePerMillion: Double
    /// The price-table entry the prices come from, when the suite gave none and the table priced the
    /// model (docs/prices.md, "Runs"); nil when the suite gives them, and in records written before.
    public var priceEntry: String?
    /// True when neither the suite nor the price table prices the model: the tier's costs are unknown
    /// (its cells record 0 dollars and are shown as unknown, never as $0); nil otherwise.
    public var unpriced: Bool?

    /// Creates a tier.
    public init(name: String, model: String, inputPricePerMillion: Double, outputPricePerMillion: Double) {
        self.name = name
        self.model = model
        self.inputPricePerMillion = inputPricePerMillion
        self.outputPricePerMillion = outputPricePerMillion
    }

    /// Whether the tier's costs are known: its prices come from the suite or the price table.
    public var costKnown: Bool { unpriced != true }

    /// The cost of a number of tokens on this tier, in US dollars.
    public func cost(input: Int64, output: Int64) -> Double {
        Double(input) * inputPricePerMillion / 1_000_000 + Double(output) * outputPricePerMillion / 1_000_000
    }
}

/// Where a run stands.
public enum RunState: String, Codable, Sendable {
    /// Cells are running, or the runner died while they were (resume it).
    case running
    /// Every planned cell finished.
    case finished
    /// Stopped by Ctrl-C or SIGTERM; resume it.
    case interrupted
    /// The cost budget was spent before every cell ran.
    case budgetExhausted = "budget_exhausted"
}

/// One cell: an example on a tier, under a condition, one repeat.
public struct CellKey: Codable, Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The example's id.
    public var example: String
    /// The tier's name.
    public var tier: String
    /// The repeat, from 0.
    public var repeatIndex: Int
    /// The fault plan the cell ran under; nil: the clean condition (docs/resilience.md).
    public var condition: String?

    /// Creates a key.
    public init(example: String, tier: String, repeatIndex: Int, condition: String? = nil) {
        self.example = example
        self.tier = tier
        self.repeatIndex = repeatIndex
        self.condition = condition
    }

    /// Whether the cell ran without faults.
    public var isClean: Bool { condition == nil }

    /// The tier, and the fault plan after `@` when there is one: `mid`, `mid@rate_limited`. Reports,
    /// JUnit and the gate treat each as a column of its own.
    public var column: String { condition.map { "\(tier)@\($0)" } ?? tier }

    public static func < (a: CellKey, b: CellKey) -> Bool {
        (a.example, a.tier, a.condition ?? "", a.repeatIndex) < (b.example, b.tier, b.condition ?? "", b.repeatIndex)
    }

    /// `example/tier/repeat`, or `example/tier@plan/repeat`.
    public var description: String { "\(example)/\(column)/\(repeatIndex)" }
}

/// How a cell ended.
public enum CellStatus: String, Codable, Sendable {
    /// The agent answered and the cell was scored.
    case ok
    /// The agent failed (after retries): a crash, a non-zero exit, garbage output.
    case error
    /// The agent ran past the cell timeout and was killed.
    case timeout
}

/// One finished cell.
public struct CellResult: Sendable {
    /// Which cell.
    public var key: CellKey
    /// How it ended.
    public var status: CellStatus
    /// Why it failed, when it did (never trace text).
    public var error: String?
    /// The cell's trace; nil in records that did not keep one.
    public var traceID: TraceID?
    /// The agent's final output (compact JSON), when it answered.
    public var output: String?
    /// Each component's result (end-to-end included), in suite order.
    public var components: [ComponentResult]
    /// Tokens over the cell's LLM calls.
    public var inputTokens: Int64
    /// Output tokens.
    public var outputTokens: Int64
    /// Cost from tokens and tier prices, US dollars.
    public var costUSD: Double
    /// Wall-clock time of the agent, nanoseconds.
    public var latencyNanos: UInt64
    /// Attempts made (1 without retries).
    public var attempts: Int
    /// When it finished, nanoseconds since the Unix epoch.
    public var finishedAtUnixNano: UInt64
    /// How many spans the agent sent to the cell's trace (besides the runner's root span); nil in
    /// records written before it was counted.
    public var agentSpans: Int?
    /// Model calls the agent made through the gateway (retried attempts included); nil when none
    /// went through it, or in records written before the gateway.
    public var modelCalls: Int?
    /// Of which answered from the LLM cache.
    public var replayedCalls: Int?
    /// Times the runner killed the agent and started it again on this cell (a crash fault); nil when
    /// it did not.
    public var restarts: Int?
    /// The faults injected in this cell, one `target:kind` entry per injected call or crash, in order
    /// (`model:status_429`, `tool:reset`, `crash:after_tool_call_2`); nil when none was.
    public var faults: [String]?
    /// The conversation id every turn's trace carries (`gen_ai.conversation.id`), for a multi-turn
    /// example; nil otherwise.
    public var conversationID: String?
    /// The turns of a multi-turn example, in order; nil otherwise.
    public var turns: [TurnRecord]?
    /// Why a conversation that did not fail stopped before its script's end (the agent asked for a
    /// decision the script does not have); nil otherwise.
    public var conversationStopped: String?

    /// Creates a result.
    public init(key: CellKey, status: CellStatus, error: String?, traceID: TraceID?, output: String?, components: [ComponentResult],
                inputTokens: Int64, outputTokens: Int64, costUSD: Double, latencyNanos: UInt64, attempts: Int, finishedAtUnixNano: UInt64,
                agentSpans: Int? = nil) {
        self.key = key
        self.status = status
        self.error = error
        self.traceID = traceID
        self.output = output
        self.components = components
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.costUSD = costUSD
        self.latencyNanos = latencyNanos
        self.attempts = attempts
        self.finishedAtUnixNano = finishedAtUnixNano
        self.agentSpans = agentSpans
    }
}
