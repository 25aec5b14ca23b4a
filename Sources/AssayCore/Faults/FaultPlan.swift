/// A named fault plan from the suite's `faults:` section: what to inject into a cell's model calls,
/// tool calls and process, decided per call and reproducibly from the plan's seed and the cell
/// (docs/resilience.md). Every example runs on every tier under the clean condition and under each
/// plan; the plan's name is the cell's condition.
public struct FaultPlan: Sendable, Hashable {
    /// The plan's name, e.g. `rate_limited`; the condition its cells run under.
    public var name: String
    /// The seed of its probabilistic injections.
    public var seed: UInt64
    /// The injections, in suite order; on one call the first that fires wins.
    public var injections: [FaultInjection]
    /// Where the agent's process is killed and started again, when the plan crashes it.
    public var crash: CrashPoint?

    /// Creates a plan.
    public init(name: String, seed: UInt64 = 1, injections: [FaultInjection], crash: CrashPoint? = nil) {
        self.name = name
        self.seed = seed
        self.injections = injections
        self.crash = crash
    }

    /// The name of the condition without faults.
    public static let clean = "clean"

    /// The first injection that fires on a call, with its index in the plan; nil when none does.
    /// `cell` names the cell (its key's text), `index` is the call's 1-based number among the calls of
    /// its kind in the cell, `name` the model or tool called.
    public func decide(_ target: FaultTarget, name: String?, index: Int, cell: String) -> (Int, FaultInjection)? {
        for (i, injection) in injections.enumerated() where injection.target == target {
            if let filter = injection.name, filter != name { continue }
            if injection.when.fires(index: index, seed: seed, key: "\(self.name)/\(i)/\(cell)") { return (i, injection) }
        }
        return nil
    }
}

/// What an injection acts on.
public enum FaultTarget: String, Sendable, Hashable {
    /// A model call through the gateway.
    case model
    /// A tool request through the tool proxy.
    case tool
}

/// One injection: on which calls, and what happens to them.
public struct FaultInjection: Sendable, Hashable {
    /// Model or tool calls.
    public var target: FaultTarget
    /// Only calls to this model (as the agent names it) or this tool; nil: any.
    public var name: String?
    /// Which of those calls.
    public var when: FaultWhen
    /// What the call gets instead of its answer.
    public var action: FaultAction

    /// Creates an injection.
    public init(target: FaultTarget, name: String? = nil, when: FaultWhen, action: FaultAction) {
        self.target = target
        self.name = name
        self.when = when
        self.action = action
    }
}

/// Which calls an injection fires on, counted per cell (restarts included).
public enum FaultWhen: Sendable, Hashable {
    /// The Nth call (1-based).
    case call(Int)
    /// The first N calls.
    case first(Int)
    /// Every call.
    case every
    /// Each call with this probability, decided by a hash of the plan's seed, the injection, the cell
    /// and the call's number: the same seed gives the same faults, whatever the order cells run in.
    case probability(Double)

    /// Whether it fires on the call numbered `index`.
    public func fires(index: Int, seed: UInt64, key: String) -> Bool {
        switch self {
        case .call(let n): return index == n
        case .first(let n): return index <= n
        case .every: return true
        case .probability(let p):
            var rng = SplitMix64(seed: seed ^ FaultWhen.fnv1a(key) ^ (UInt64(index) &* 0x9E37_79B9_7F4A_7C15))
            _ = rng.next()
            return Double(rng.next() >> 11) / Double(1 << 53) < p
        }
    }

    /// FNV-1a of a text: a stable 64-bit hash (Swift's `Hasher` is seeded per process).
    static func fnv1a(_ text: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        return h
    }
}

/// What an injected call gets.
public enum FaultAction: Sendable, Hashable {
    /// An error status; `retryAfterSeconds` sets `Retry-After` (a 429 without it gets 1 s).
    case status(Int, retryAfterSeconds: Double?)
    /// The answer is held this long first (past the client's timeout, it never arrives in time).
    case delay(seconds: Double)
    /// A streamed answer stops after its first events and the connection closes (model calls).
    case cutStream
    /// A 200 whose body is not the JSON the client expects.
    case malformed
    /// A 200 completion with no content (model calls).
    case empty
    /// The connection is closed without an answer (tool calls).
    case reset

    /// A short name for spans and reports: `status_429`, `delay`, `cut_stream`, `malformed`, `empty`, `reset`.
    public var kind: String {
        switch self {
        case .status(let code, _): "status_\(code)"
        case .delay: "delay"
        case .cutStream: "cut_stream"
        case .malformed: "malformed"
        case .empty: "empty"
        case .reset: "reset"
        }
    }
}

/// Where a plan kills the agent's process group and starts it again on the same cell: when the agent
/// makes its next model or tool call after its Kth call of the kind, so that whatever it does between
/// the two (saving a checkpoint) is done, and the crash lands at the same point on every run.
public struct CrashPoint: Sendable, Hashable {
    /// After a tool call or a model call.
    public var after: FaultTarget
    /// After the Kth such call (1-based).
    public var call: Int

    /// Creates a crash point.
    public init(after: FaultTarget, call: Int) {
        self.after = after
        self.call = call
    }
}
