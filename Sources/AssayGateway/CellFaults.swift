package import AssayCore
import Foundation

/// A cell's fault plan while its agent runs: counts its model and tool calls (restarts included),
/// decides which get a fault, and fires its crash (docs/resilience.md).
package final class CellFaults: @unchecked Sendable {
    /// The plan.
    package let plan: FaultPlan
    /// The cell's key as text, part of every seeded decision.
    package let cell: String
    private let lock = NSLock()
    private var counts: [FaultTarget: Int] = [:]
    private var injected: [String] = []
    private var crashed = false
    private var killer: (@Sendable () -> Void)?

    /// The plan `plan` for the cell `cell` (its key's text).
    package init(plan: FaultPlan, cell: String) {
        self.plan = plan
        self.cell = cell
    }

    /// Counts a call in and returns the fault it gets, if any. Called once per call, in arrival order.
    package func next(_ target: FaultTarget, name: String?) -> (index: Int, injection: FaultInjection?) {
        lock.withLock {
            counts[target, default: 0] += 1
            let index = counts[target]!
            let decision = plan.decide(target, name: name, index: index, cell: cell)
            if let d = decision { injected.append("\(target.rawValue):\(d.1.action.kind)") }
            return (index, decision?.1)
        }
    }

    /// Whether the crash is due before this call: the crash point's Kth call of its kind has been
    /// made and the crash has not fired yet. When it is, it fires now (once per cell): the agent's
    /// process group is killed, and this call is never answered.
    package func crashDue() -> Bool {
        let kill: (@Sendable () -> Void)? = lock.withLock {
            guard let point = plan.crash, !crashed, counts[point.after, default: 0] >= point.call, let k = killer else { return nil }
            crashed = true
            injected.append("crash:after_\(point.after.rawValue)_call_\(point.call)")
            return k
        }
        kill?()
        return kill != nil
    }

    /// Sets what kills the agent now running on the cell (its process group); nil when none runs.
    package func setKiller(_ kill: (@Sendable () -> Void)?) { lock.withLock { killer = kill } }

    /// Whether the crash fired.
    package var didCrash: Bool { lock.withLock { crashed } }

    /// The faults injected so far, `target:kind`, in order.
    package var log: [String] { lock.withLock { injected } }

    /// Calls counted so far, by kind.
    package func count(_ target: FaultTarget) -> Int { lock.withLock { counts[target, default: 0] } }
}
