import AssayCore
package import Prometheus

/// The collector's Prometheus metrics, served at `GET /metrics` in the text exposition format.
package final class CollectorMetrics: Sendable {
    /// The registry holding every metric.
    package let registry = PrometheusCollectorRegistry()
    /// Spans waiting for the writer.
    let queuedSpans: Gauge
    /// Time from the start of a group commit to its end.
    let commitDuration: DurationHistogram
    /// Completed traces taken by the current online evaluation sweep and not finished yet.
    let onlineQueue: Gauge
    /// Application traces online evaluation has not handled yet, complete or not.
    let onlineBacklog: Gauge
    /// 1 while the hour's judge budget is spent, else 0.
    let onlineBudgetExhausted: Gauge

    /// Creates the metrics.
    package init() {
        queuedSpans = registry.makeGauge(descriptor: Self.name("write_queue", "spans", "Spans waiting for the writer."))
        commitDuration = registry.makeDurationHistogram(
            descriptor: Self.name("batch_commit", "seconds", "Duration of one group commit of queued requests."),
            buckets: [.milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
                      .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5)])
        onlineQueue = registry.makeGauge(descriptor: Self.name("online_queue", "traces", "Completed traces waiting to be scored in this sweep."))
        onlineBacklog = registry.makeGauge(descriptor: Self.name("online_unevaluated", "traces",
            "Application traces online evaluation has not handled yet (incomplete ones included)."))
        onlineBudgetExhausted = registry.makeGauge(descriptor: Self.name("online_judge_budget", "exhausted", "1 while the judge's calls in the last hour reached --judge-calls-per-hour: sampling has stopped."))
    }

    /// Counts traces found complete by online evaluation.
    func onlineCompleted(_ count: Int) {
        registry.makeCounter(descriptor: Self.name("online_traces_completed", "total", "Traces found complete and taken for online evaluation."), labels: [])
            .increment(by: Int64(count))
    }

    /// Counts one trace online evaluation handled, by outcome, and whether it was flagged.
    func onlineEvaluated(_ outcome: OnlineEvaluation, flagged: Bool) {
        switch outcome {
        case .scored, .nothingToScore:
            registry.makeCounter(descriptor: Self.name("online_traces_scored", "total", "Traces scored online (nothing_to_score: no component applied)."),
                                 labels: [("outcome", outcome.label)]).increment()
        case .sampledOut, .overBudget, .notApplicable:
            registry.makeCounter(descriptor: Self.name("online_traces_skipped", "total", "Completed traces not scored, by reason."),
                                 labels: [("reason", outcome.label)]).increment()
        }
        if flagged {
            registry.makeCounter(descriptor: Self.name("online_traces_flagged", "total", "Traces flagged for review because a component failed."), labels: [])
                .increment()
        }
    }

    /// Counts one judge call made by online evaluation, its tokens, and its cost when its model has a price.
    func judgeCall(inputTokens: Int, outputTokens: Int, costUSD: Double?) {
        if let costUSD {
            registry.makeCounter(descriptor: Self.name("online_judge_cost", "usd_total",
                "US dollars spent by judge scorers during online evaluation, at the price table's prices (priced calls only)."), labels: [])
                .increment(by: costUSD)
        } else {
            registry.makeCounter(descriptor: Self.name("online_judge_unpriced_calls", "total",
                "Judge calls whose model has no price (or that reported no tokens): their cost is unknown."), labels: []).increment()
        }
        registry.makeCounter(descriptor: Self.name("online_judge_calls", "total", "HTTP calls made by judge scorers during online evaluation."), labels: [])
            .increment()
        let tokens = Self.name("online_judge_tokens", "total", "Tokens spent by judge scorers during online evaluation, by direction.")
        registry.makeCounter(descriptor: tokens, labels: [("direction", "input")]).increment(by: Int64(max(0, inputTokens)))
        registry.makeCounter(descriptor: tokens, labels: [("direction", "output")]).increment(by: Int64(max(0, outputTokens)))
    }

    /// Counts one answered request.
    func request(path: String, status: Int) {
        registry.makeCounter(descriptor: Self.name("http_requests", "total", "HTTP requests answered, by path and status."),
                             labels: [("path", path), ("status", String(status))]).increment()
    }

    /// Counts spans written.
    func accepted(_ count: Int) {
        registry.makeCounter(descriptor: Self.name("spans_accepted", "total", "Spans committed to the store (new or already present)."), labels: [])
            .increment(by: Int64(count))
    }

    /// Counts spans turned away, by reason (`invalid`, `unparseable`, `too_large`, `queue_full`, `unauthorized`, `unsupported_media_type`, `store_error`).
    func rejected(_ count: Int, reason: String) {
        guard count > 0 else { return }
        registry.makeCounter(descriptor: Self.name("spans_rejected", "total", "Spans not written, by reason."), labels: [("reason", reason)])
            .increment(by: Int64(count))
    }

    private static func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "assay", metricName: metric, unitName: unit, helpText: help)
    }

    /// The text exposition of every metric.
    package func exposition() -> [UInt8] { registry.emitToBuffer() }
}
