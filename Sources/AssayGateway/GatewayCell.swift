package import AssayCore
import Foundation

/// A cell's account at the gateway while its agent runs, over all its attempts: where its calls'
/// spans go, what they cost, and what went wrong that the cell must report (a replay miss, the
/// guard, an unreachable upstream).
package final class GatewayCell: @unchecked Sendable {
    /// `example/tier#repeat`, for messages.
    package let label: String
    /// The cell's tier.
    package let tier: GatewayTier
    /// The cell's fault plan; nil under the clean condition.
    package let faults: CellFaults?
    private let lock = NSLock()
    private var tools: [Span] = []
    private var parent: (TraceID, SpanID)?
    private var recorded: [GatewayCall] = []
    private var refusals: [String] = []
    private var remarks: [String] = []
    private var started = 0
    private var spent = 0.0

    /// Opens an account.
    package init(label: String, tier: GatewayTier, faults: CellFaults? = nil) {
        self.label = label
        self.tier = tier
        self.faults = faults
    }

    /// The `execute_tool` spans of the requests the tool proxy passed (or refused) for this cell.
    package var toolSpans: [Span] { lock.withLock { tools } }

    func recordTool(_ span: Span) { lock.withLock { tools.append(span) } }

    /// Starts an attempt: calls without a `traceparent` go under this trace's root span.
    package func attempt(traceID: TraceID, rootSpanID: SpanID) { lock.withLock { parent = (traceID, rootSpanID) } }

    /// The current attempt's trace and root span.
    var root: (TraceID, SpanID)? { lock.withLock { parent } }

    /// The calls recorded so far.
    package var calls: [GatewayCall] { lock.withLock { recorded } }
    /// Calls recorded (admitted or not).
    package var callCount: Int { lock.withLock { recorded.count } }
    /// US dollars really spent (replayed calls cost nothing).
    package var spentUSD: Double { lock.withLock { spent } }
    /// What the cell must report as its failure, in the order it happened; empty when nothing did.
    package var problems: [String] { lock.withLock { refusals } }
    /// What went wrong on the way to the upstream (it could not be reached, a stream broke off): the
    /// agent's SDK may have retried, so these explain a failed cell rather than fail one.
    package var notes: [String] { lock.withLock { remarks } }

    /// Counts a call in, unless the cell already started `max` calls; calls in flight count.
    func admit(max: Int?) -> Bool {
        lock.withLock {
            if let max, started >= max { return false }
            started += 1
            return true
        }
    }

    func record(_ call: GatewayCall) {
        lock.withLock {
            recorded.append(call)
            spent += call.spentUSD
        }
    }

    func problem(_ message: String) {
        lock.withLock { if !refusals.contains(message) { refusals.append(message) } }
    }

    func note(_ message: String) {
        lock.withLock { if !remarks.contains(message) { remarks.append(message) } }
    }
}

/// One recorded model call.
package struct GatewayCall: Sendable {
    /// The GenAI span.
    package var span: Span
    /// The tokens the provider reported.
    package var usage: CallUsage
    /// US dollars at the tier's prices, what the call costs (or cost when it was recorded).
    package var costUSD: Double
    /// US dollars spent now: the cost, or 0 when the call was replayed.
    package var spentUSD: Double
    /// How the cache served it.
    package var cache: CacheUse
    /// The HTTP status the agent got.
    package var status: Int
}

/// How a call met the cache.
package enum CacheUse: String, Sendable {
    /// The cache was off.
    case off
    /// Answered from a recording.
    case hit
    /// Went upstream and was recorded.
    case recorded
    /// Went upstream, not recorded (an error status, or a mode that does not write).
    case miss
}

/// Where an agent's calls are attributed: one per process-mode attempt, or one per persistent worker
/// that moves from cell to cell. Its token is the API key the agent is given.
package final class GatewaySlot: @unchecked Sendable {
    /// The key the agent sends (`Authorization: Bearer` or `x-api-key`).
    package let token: String
    private let lock = NSLock()
    private var current: GatewayCell?

    init(token: String) { self.token = token }

    /// Attributes calls to `cell` from now on.
    package func begin(_ cell: GatewayCell) { lock.withLock { current = cell } }

    /// Stops attributing calls; returns the cell that was current.
    @discardableResult package func end() -> GatewayCell? { lock.withLock { defer { current = nil }; return current } }

    var cell: GatewayCell? { lock.withLock { current } }
}

/// The cost guard: the run's budget and each cell's caps (docs/gateway.md, "The cost guard").
package final class GatewayGuard: @unchecked Sendable {
    /// Stop when the run has spent this much, US dollars.
    package let budgetUSD: Double?
    /// At most this many calls per cell.
    package let maxCallsPerCell: Int?
    /// At most this much per cell, US dollars.
    package let maxCostPerCellUSD: Double?
    private let lock = NSLock()
    private var spent: Double

    /// A guard; `spent` is what earlier parts of the run spent (a resumed run).
    package init(budgetUSD: Double?, maxCallsPerCell: Int?, maxCostPerCellUSD: Double?, spent: Double = 0) {
        self.budgetUSD = budgetUSD
        self.maxCallsPerCell = maxCallsPerCell
        self.maxCostPerCellUSD = maxCostPerCellUSD
        self.spent = spent
    }

    /// The run's spending through the gateway so far, US dollars.
    package var spentUSD: Double { lock.withLock { spent } }

    /// Why the next call of `cell` is refused; nil when it may go (it is then counted in).
    func refusal(_ cell: GatewayCell) -> String? {
        if let max = maxCallsPerCell, !cell.admit(max: max) {
            return "stopped by the cost guard: cell \"\(cell.label)\" made \(max) model call\(max == 1 ? "" : "s"), its cap (max_calls_per_cell)"
        }
        if let max = maxCostPerCellUSD, cell.spentUSD >= max {
            return "stopped by the cost guard: cell \"\(cell.label)\" spent $\(Self.money(cell.spentUSD)), its cap is $\(Self.money(max)) (max_cost_per_cell_usd)"
        }
        if let budget = budgetUSD {
            let s = spentUSD
            if s >= budget { return "stopped by the cost guard: the run spent $\(Self.money(s)) of its budget of $\(Self.money(budget)) (budget_usd)" }
        }
        return nil
    }

    func spend(_ cost: Double) { lock.withLock { spent += cost } }

    static func money(_ d: Double) -> String { String(format: "%.4f", d) }
}

extension GatewayCall {
    /// The span with its usage moved out of `gen_ai.usage.*` into `assay.gateway.usage.*`: what the
    /// runner writes when the agent's own spans already report the same calls' tokens, so that a
    /// trace counts them once (docs/gateway.md, "Counted once").
    package var uncountedSpan: Span {
        var s = span
        s.attributes = s.attributes.map { a in
            a.key.hasPrefix("gen_ai.usage.") ? Attribute("assay.gateway.usage." + a.key.dropFirst("gen_ai.usage.".count), a.value) : a
        }
        return s
    }
}
