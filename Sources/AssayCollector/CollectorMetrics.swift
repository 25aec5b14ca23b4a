package import Prometheus

/// The collector's Prometheus metrics, served at `GET /metrics` in the text exposition format.
package final class CollectorMetrics: Sendable {
    /// The registry holding every metric.
    package let registry = PrometheusCollectorRegistry()
    /// Spans waiting for the writer.
    let queuedSpans: Gauge
    /// Time from the start of a group commit to its end.
    let commitDuration: DurationHistogram

    /// Creates the metrics.
    package init() {
        queuedSpans = registry.makeGauge(descriptor: Self.name("write_queue", "spans", "Spans waiting for the writer."))
        commitDuration = registry.makeDurationHistogram(
            descriptor: Self.name("batch_commit", "seconds", "Duration of one group commit of queued requests."),
            buckets: [.milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
                      .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5)])
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
