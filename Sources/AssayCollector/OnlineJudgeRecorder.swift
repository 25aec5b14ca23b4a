package import AssayEval
import AssayOTLP
package import AssayCore
import Synchronization

/// Records the judge's calls during online evaluation: each call becomes a span written through the
/// collector's single writer (as `StoreJudgeRecorder` writes them for `assay score`), and is counted
/// against the rolling hour's budget and in the metrics.
package final class OnlineJudgeRecorder: JudgeCallRecorder {
    private struct State {
        var writer: SpanWriter?
        var metrics: CollectorMetrics?
        var recent: [UInt64] = []
    }

    private let state = Mutex(State())
    private let clock: @Sendable () -> UInt64
    private let prices: PriceTable

    /// Creates a recorder that prices calls with `prices`; the collector attaches its writer and metrics when it starts.
    package init(prices: PriceTable = .pinned, clock: @escaping @Sendable () -> UInt64 = WallClock.nowNanos) {
        self.prices = prices
        self.clock = clock
    }

    /// Gives the recorder the writer its spans go through and the metrics it counts in.
    func attach(writer: SpanWriter, metrics: CollectorMetrics) {
        state.withLock {
            $0.writer = writer
            $0.metrics = metrics
        }
    }

    /// Judge calls made in the last hour.
    package func callsInLastHour() -> Int {
        let now = clock()
        return state.withLock { s in
            s.recent.removeAll { now >= $0 && now - $0 >= 3_600_000_000_000 }
            return s.recent.count
        }
    }

    package func record(_ call: JudgeCall) async {
        let (writer, metrics) = state.withLock { s -> (SpanWriter?, CollectorMetrics?) in
            s.recent.append(clock())
            return (s.writer, s.metrics)
        }
        let usage = ModelUsage(provider: call.provider, model: call.responseModel ?? call.requestModel, calls: 1,
                               inputTokens: Int64(call.inputTokens ?? 0), outputTokens: Int64(call.outputTokens ?? 0),
                               callsWithoutUsage: call.inputTokens == nil && call.outputTokens == nil ? 1 : 0)
        let cost = TraceCost(usage: [usage], prices: prices)
        metrics?.judgeCall(inputTokens: call.inputTokens ?? 0, outputTokens: call.outputTokens ?? 0,
                           costUSD: cost.unpriced.isEmpty && usage.callsWithoutUsage == 0 ? cost.models.compactMap(\.cost?.usd).reduce(0, +) : nil)
        guard let writer else { return }
        _ = try? await writer.submit(IngestBatch(StoreJudgeRecorder.tracesData(call)))
    }
}
