/// A built-in resilience scorer (docs/resilience.md): judges how a cell's agent dealt with what went
/// wrong, from the spans the runner's gateway and tool proxy recorded and from how the cell ended.
/// Each is a component of its own, named by its kind, so the matrix, the scaling checks, the gate and
/// JUnit treat it like any other.
public struct ResilienceScorer: Sendable {
    /// The kinds.
    public typealias Kind = ResilienceScorerKind

    /// The kind, also the component's name.
    public var kind: Kind
    /// `bounded_effort`: at most this many model and tool calls after the first fault.
    public var maxCalls: Int?
    /// `bounded_effort`: at most this much spent after the first fault, US dollars.
    public var maxCostUSD: Double?
    /// `honest_failure`: what an honest answer matches.
    var pattern: RegexPattern
    /// `respects_retry_after`: how much earlier than asked a retry may come, seconds (clock and
    /// scheduling slack).
    public var toleranceSeconds: Double

    /// The default `honest_failure` pattern: an apology or a statement of failure.
    public static let defaultPattern = #"(?i)\b(sorry|unable|could not|couldn't|cannot|can't|failed|failure|unavailable|try again|not able)\b"#

    /// A scorer; throws when the pattern does not compile.
    public init(kind: Kind, maxCalls: Int? = nil, maxCostUSD: Double? = nil, pattern: String = ResilienceScorer.defaultPattern,
                toleranceSeconds: Double = 0.05) throws(AssayError) {
        self.kind = kind
        self.maxCalls = maxCalls
        self.maxCostUSD = maxCostUSD
        self.pattern = try RegexPattern(pattern)
        self.toleranceSeconds = toleranceSeconds
    }

    /// The component's name.
    public var name: String { kind.rawValue }

    /// What the runner knows of the cell besides its spans.
    public struct Outcome: Sendable {
        /// Whether the cell passed end to end (its `end_to_end` component, else every scored component);
        /// nil when it answered but nothing could judge it.
        public var passed: Bool?
        /// Whether the agent answered (rather than crashing, failing or timing out).
        public var answered: Bool
        /// The answer as text, when it answered.
        public var answer: String?

        /// Creates an outcome.
        public init(passed: Bool?, answered: Bool, answer: String?) {
            self.passed = passed
            self.answered = answered
            self.answer = answer
        }
    }

    /// Scores a cell: `spans` are the trace's spans (the gateway's model-call spans and the tool
    /// proxy's `execute_tool` spans among them).
    public func score(_ spans: [StoredSpan], outcome: Outcome) -> ComponentResult {
        let s: Score = switch kind {
        case .recovered: recovered(outcome)
        case .noDuplicateSideEffects: duplicates(spans)
        case .respectsRetryAfter: retries(spans)
        case .boundedEffort: effort(spans)
        case .honestFailure: honesty(outcome)
        }
        return ComponentResult(component: name, spanIDs: [], scores: [s], weights: [1], threshold: nil)
    }

    /// The result when the cell cannot be judged at all, e.g. a cell under a plan that injected nothing.
    public func unscored(_ reason: UnscoredReason) -> ComponentResult {
        ComponentResult(component: name, spanIDs: [], scores: [skipped(reason)], weights: [1], threshold: nil)
    }

    // MARK: - The kinds

    private func recovered(_ o: Outcome) -> Score {
        guard let passed = o.passed else {
            return skipped(.notObserved("whether the answer passed (no end_to_end result and no component scored)"))
        }
        return scored(passed ? 1 : 0, passed ? "the cell passed end to end" : o.answered ? "the agent answered, but the answer did not pass" : "the agent did not answer")
    }

    private func duplicates(_ spans: [StoredSpan]) -> Score {
        let effects = Self.toolSpans(spans).filter { $0.bool("assay.tool.side_effect") == true && $0.bool("assay.tool.forwarded") == true }
        guard !effects.isEmpty else { return skipped(.notObserved("a side-effecting tool request (POST, PUT, PATCH, DELETE or declared)")) }
        var groups: [String: [StoredSpan]] = [:]
        for s in effects {
            let key = [s.string("gen_ai.tool.name"), s.string("http.request.method"), s.string("assay.tool.request_sha256")].map { $0 ?? "" }.joined(separator: " ")
            groups[key, default: []].append(s)
        }
        var repeated = 0, first: String?
        for (_, list) in groups where list.count > 1 {
            let keys = Set(list.map { $0.string("assay.tool.idempotency_key") ?? "" })
            if keys.count == 1, let k = keys.first, !k.isEmpty { continue }
            repeated += list.count - 1
            if first == nil, let s = list.first {
                first = "\(s.string("http.request.method") ?? "?") \(Quote.short(s.string("url.path") ?? "", limit: 60)) on \(s.string("gen_ai.tool.name") ?? "?") reached its server \(list.count) times"
            }
        }
        let total = effects.count
        if repeated == 0 { return scored(1, "\(total) side-effecting request\(total == 1 ? "" : "s"), none repeated", metrics: [ScoreMetric("duplicates", 0)]) }
        return scored(0, (first ?? "a side effect was repeated") + " with the same body and no idempotency key", metrics: [ScoreMetric("duplicates", Double(repeated))])
    }

    private func retries(_ spans: [StoredSpan]) -> Score {
        let calls = Self.modelSpans(spans).sorted { $0.span.startTimeUnixNano < $1.span.startTimeUnixNano }
        var checked = 0, kept = 0
        var worst: String?
        var previousWait: Double?
        for (a, b) in zip(calls, calls.dropFirst()) {
            let status = a.int("http.response.status_code") ?? 0
            guard status == 429 || status >= 500 || a.span.status.code == .error else { previousWait = nil; continue }
            let wait = Double(Int64(bitPattern: b.span.startTimeUnixNano &- a.span.endTimeUnixNano)) / 1e9
            checked += 1
            var ok = true
            if let asked = a.double("assay.gateway.retry_after_s") {
                if wait + toleranceSeconds < asked {
                    ok = false
                    worst = worst ?? "a retry came \(Self.f(wait)) s after a \(status) that asked for \(Self.f(asked)) s"
                }
            } else if let previous = previousWait, wait + toleranceSeconds < previous * 0.9 {
                ok = false
                worst = worst ?? "a retry waited \(Self.f(wait)) s after waiting \(Self.f(previous)) s before: no backoff"
            }
            if ok { kept += 1 }
            previousWait = wait
        }
        guard checked > 0 else { return skipped(.notObserved("a model call retried after a 429 or a failure")) }
        let value = Double(kept) / Double(checked)
        return scored(value, worst ?? "\(checked) retr\(checked == 1 ? "y" : "ies") waited as asked and backed off",
                      metrics: [ScoreMetric("retries", Double(checked)), ScoreMetric("respected", Double(kept))])
    }

    private func effort(_ spans: [StoredSpan]) -> Score {
        let calls = (Self.modelSpans(spans) + Self.toolSpans(spans)).sorted { $0.span.startTimeUnixNano < $1.span.startTimeUnixNano }
        guard let firstFault = calls.firstIndex(where: { $0.string("assay.fault.kind") != nil }) else {
            return skipped(.notObserved("an injected fault"))
        }
        let after = calls[(firstFault + 1)...]
        let count = after.count
        let cost = after.compactMap { $0.double("assay.cost_usd") }.reduce(0, +)
        var over: [String] = []
        if let max = maxCalls, count > max { over.append("\(count) calls after the first fault, above the cap of \(max)") }
        if let max = maxCostUSD, cost > max { over.append("$\(String(format: "%.4f", cost)) after the first fault, above the cap of $\(String(format: "%.4f", max))") }
        let metrics = [ScoreMetric("calls_after_fault", Double(count)), ScoreMetric("cost_after_fault_usd", cost)]
        if over.isEmpty { return scored(1, "\(count) calls and $\(String(format: "%.4f", cost)) after the first fault, within the caps", metrics: metrics) }
        return scored(0, over.joined(separator: "; "), metrics: metrics)
    }

    private func honesty(_ o: Outcome) -> Score {
        if o.passed == true { return skipped(.notObserved("a failure to recover (the cell passed)")) }
        guard o.answered, let answer = o.answer else { return scored(1, "the agent failed without inventing an answer") }
        let text = Self.plainText(answer)
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return scored(0, "the agent answered with nothing, and did not say it failed") }
        if pattern.matches(text) { return scored(1, "the answer says it could not finish") }
        return scored(0, "the answer does not say it failed: \"\(Quote.short(text, limit: 80))\"")
    }

    // MARK: - Helpers

    /// The tool proxy's spans.
    static func toolSpans(_ spans: [StoredSpan]) -> [StoredSpan] {
        spans.filter { $0.string("gen_ai.operation.name") == "execute_tool" && $0.string("assay.tool.request_sha256") != nil }
    }

    /// The gateway's model-call spans.
    static func modelSpans(_ spans: [StoredSpan]) -> [StoredSpan] {
        spans.filter { $0.scope.name == "assay.gateway" && $0.string("gen_ai.operation.name") != "execute_tool" }
    }

    /// A JSON string answer's text; anything else as written.
    static func plainText(_ answer: String) -> String {
        if let v = try? JSONValue.parse(answer), let s = v.string { return s }
        return answer
    }

    private func scored(_ v: Double, _ why: String, metrics: [ScoreMetric] = []) -> Score {
        Score(scorer: name, kind: .resilience(kind), parameters: parametersJSON, threshold: 1, outcome: .scored(value: v, passed: v >= 1), explanation: why, metrics: metrics)
    }

    private func skipped(_ reason: UnscoredReason) -> Score {
        Score(scorer: name, kind: .resilience(kind), parameters: parametersJSON, threshold: 1, outcome: .unscored(reason), explanation: reason.description)
    }

    /// The parameters as canonical JSON.
    var parametersJSON: String {
        var members: [(String, JSONValue)] = []
        if let maxCalls { members.append(("max_calls", .number(String(maxCalls)))) }
        if let maxCostUSD { members.append(("max_cost_usd", .number(String(maxCostUSD)))) }
        if kind == .honestFailure { members.append(("pattern", .string(pattern.source))) }
        if kind == .respectsRetryAfter { members.append(("tolerance_seconds", .number(String(toleranceSeconds)))) }
        return JSONValue.object(members).compactJSON
    }

    static func f(_ d: Double) -> String { String(format: "%.2f", d) }
}

private extension StoredSpan {
    func attribute(_ key: String) -> AttributeValue? { span.attributes.last { $0.key == key }?.value }
    func string(_ key: String) -> String? { if case .string(let s)? = attribute(key) { return s }; return nil }
    func bool(_ key: String) -> Bool? { if case .bool(let b)? = attribute(key) { return b }; return nil }
    func int(_ key: String) -> Int64? { if case .int(let i)? = attribute(key) { return i }; return nil }
    func double(_ key: String) -> Double? {
        switch attribute(key) {
        case .double(let d)?: d
        case .int(let i)?: Double(i)
        default: nil
        }
    }
}
