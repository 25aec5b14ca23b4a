import Testing
@testable import AssayCore

@Suite("Paired bootstrap")
struct PairedBootstrapTests {
    func normalSample(mean: Double, sd: Double, count: Int, seed: UInt64) -> [Double] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in mean + sd * GateDraws.normal(&rng) }
    }

    @Test("covers the true mean and rejects zero for a clear shift")
    func clearShift() {
        let estimate = PairedBootstrap().estimate(normalSample(mean: 0.1, sd: 0.2, count: 200, seed: 11), seed: 5)
        #expect(estimate.low < 0.1 && 0.1 < estimate.high)
        #expect(estimate.low > 0)
        #expect(estimate.pValue < 0.001)
        // The interval's half-width is close to 1.96·σ/√n = 0.028.
        #expect(abs((estimate.high - estimate.low) / 2 - 0.0277) < 0.005)
    }

    @Test("covers the true mean in about 95% of samples")
    func coverage() {
        var covered = 0
        for trial in 0..<200 {
            let sample = normalSample(mean: 0.03, sd: 0.25, count: 40, seed: 1000 + UInt64(trial))
            let estimate = PairedBootstrap(resamples: 1000).estimate(sample, seed: UInt64(trial))
            if estimate.low <= 0.03 && 0.03 <= estimate.high { covered += 1 }
        }
        // Binomial(200, 0.95) has a standard deviation of 3.1 trials: 180...198 is a wide band.
        #expect((180...198).contains(covered))
    }

    @Test("gives a degenerate interval and p = 1 when nothing changed")
    func noChange() {
        let estimate = PairedBootstrap().estimate([Double](repeating: 0, count: 50), seed: 1)
        #expect(estimate.mean == 0 && estimate.low == 0 && estimate.high == 0)
        #expect(estimate.pValue == 1)
    }

    @Test("is reproducible from its seed and varies with it")
    func deterministic() {
        let sample = normalSample(mean: 0, sd: 1, count: 100, seed: 3)
        let first = PairedBootstrap().estimate(sample, seed: 42)
        #expect(PairedBootstrap().estimate(sample, seed: 42) == first)
        #expect(PairedBootstrap().estimate(sample, seed: 43) != first)
    }

    @Test("p-values are roughly uniform under no change")
    func nullPValues() {
        var rejections = 0
        for trial in 0..<300 {
            let sample = normalSample(mean: 0, sd: 0.2, count: 60, seed: 5000 + UInt64(trial))
            if PairedBootstrap(resamples: 400).estimate(sample, seed: UInt64(trial)).pValue < 0.05 { rejections += 1 }
        }
        // Expected 15 of 300 (sd 3.8).
        #expect((5...26).contains(rejections))
    }

    @Test("selects the same quantiles as sorting")
    func quantileSelection() {
        var rng = SplitMix64(seed: 9)
        for count in [1, 2, 3, 10, 101, 2000] {
            let values = (0..<count).map { _ in Double(rng.next() % 50) }
            let sorted = values.sorted()
            for p in [0.0, 0.025, 0.5, 0.975, 1.0] {
                var copy = values
                let position = p * Double(count - 1)
                let below = Int(position.rounded(.down))
                let above = min(below + 1, count - 1)
                let expected = sorted[below] + (position - Double(below)) * (sorted[above] - sorted[below])
                #expect(PairedBootstrap.quantile(&copy, p) == expected)
            }
        }
    }
}
