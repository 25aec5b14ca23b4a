import Testing
@testable import AssayCore

@Suite("Normal distribution and sample size")
struct GateNormalTests {
    @Test("gives textbook quantiles", arguments: [
        (0.975, 1.959963984540054), (0.8, 0.8416212335729143), (0.5, 0.0), (0.995, 2.5758293035489004),
        (0.001, -3.090232306167813), (1e-10, -6.361340902404056),
    ])
    func quantiles(p: Double, z: Double) {
        #expect(abs(GateNormal.quantile(p) - z) < 1e-12 * max(1, abs(z)))
    }

    @Test("inverts the cdf")
    func inverse() {
        for p in stride(from: 0.01, through: 0.99, by: 0.07) {
            #expect(abs(GateNormal.cdf(GateNormal.quantile(p)) - p) < 1e-14)
        }
    }

    @Test("counts the examples a paired test needs")
    func examplesNeeded() {
        // ((1.95996 + 0.84162) · 0.2 / 0.05)² = 125.6.
        #expect(GatePower.examplesNeeded(spread: 0.2, effect: 0.05, alpha: 0.05) == 126)
        #expect(GatePower.examplesNeeded(spread: 0.05, effect: 0.02, alpha: 0.05) == 50)
        #expect(GatePower.examplesNeeded(spread: 0, effect: 0.02, alpha: 0.05) == 1)
    }
}
