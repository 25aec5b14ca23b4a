import Testing
@testable import AssayCore

@Suite("Holm correction")
struct HolmCorrectionTests {
    @Test("adjusts a known family step-down, in the input order")
    func knownFamily() {
        // Sorted: 0.005·4 = 0.02, 0.01·3 = 0.03, 0.03·2 = 0.06, max(0.06, 0.04·1) = 0.06.
        let adjusted = HolmCorrection.adjust([0.01, 0.04, 0.03, 0.005])
        let expected = [0.03, 0.06, 0.06, 0.02]
        for (value, target) in zip(adjusted, expected) { #expect(abs(value - target) < 1e-15) }
    }

    @Test("caps at 1 and keeps the order of the raw p-values")
    func capsAndMonotone() {
        #expect(HolmCorrection.adjust([0.5, 0.6]) == [1, 1])
        let raw = [0.2, 0.001, 0.04, 0.04, 0.9, 0.011]
        let adjusted = HolmCorrection.adjust(raw)
        for i in raw.indices {
            #expect(adjusted[i] >= raw[i] && adjusted[i] <= 1)
            for j in raw.indices where raw[i] < raw[j] { #expect(adjusted[i] <= adjusted[j]) }
        }
    }

    @Test("leaves a single test and an empty family alone")
    func trivialFamilies() {
        #expect(HolmCorrection.adjust([0.03]) == [0.03])
        #expect(HolmCorrection.adjust([]).isEmpty)
    }
}
