import Testing
@testable import AssayCore

@Suite("Pairing examples")
struct PairedSamplesTests {
    @Test("pairs by example id over examples scored in both runs and counts the rest as dropped")
    func pairsByID() {
        let baseline = ["a": GateOutcome(score: 0.5), "b": GateOutcome(score: 0.7), "c": GateOutcome(), "d": GateOutcome(score: 0.1)]
        let candidate = ["b": GateOutcome(score: 0.9), "a": GateOutcome(score: 0.6), "c": GateOutcome(score: 0.3), "e": GateOutcome(score: 1)]
        let samples = PairedSamples(baseline: baseline, candidate: candidate)
        #expect(samples.method == .pairedBootstrap)
        #expect(samples.exampleIDs == ["a", "b"])
        #expect(samples.baseline == [0.5, 0.7])
        #expect(samples.candidate == [0.6, 0.9])
        #expect(samples.dropped == 3)
    }

    @Test("treats scores of only 0 and 1 as pass/fail and counts discordant pairs")
    func binaryScores() {
        let baseline = ["a": GateOutcome(score: 1), "b": GateOutcome(score: 1), "c": GateOutcome(score: 0), "d": GateOutcome(score: 0)]
        let candidate = ["a": GateOutcome(score: 0), "b": GateOutcome(score: 1), "c": GateOutcome(score: 1), "d": GateOutcome(score: 1)]
        let samples = PairedSamples(baseline: baseline, candidate: candidate)
        #expect(samples.method == .mcnemarExact)
        #expect(samples.discordant == McNemarCounts(passToFail: 1, failToPass: 2))
        #expect(samples.dropped == 0)
    }

    @Test("prefers the passed flag to a 0/1 score, and uses it when there is no score")
    func passedFlags() {
        let baseline = ["a": GateOutcome(score: 0, passed: true), "b": GateOutcome(passed: false), "c": GateOutcome(score: 1)]
        let candidate = ["a": GateOutcome(score: 0, passed: false), "b": GateOutcome(passed: true), "c": GateOutcome(score: 0.5)]
        let samples = PairedSamples(baseline: baseline, candidate: candidate)
        // c is continuous (0.5), so the scores decide and a is compared on its scores (0 → 0).
        #expect(samples.method == .pairedBootstrap)
        #expect(samples.exampleIDs == ["a", "c"])
        let flags = PairedSamples(baseline: ["a": baseline["a"]!, "b": baseline["b"]!], candidate: ["a": candidate["a"]!, "b": candidate["b"]!])
        #expect(flags.method == .mcnemarExact)
        #expect(flags.discordant == McNemarCounts(passToFail: 1, failToPass: 1))
    }

    @Test("counts non-finite scores as unscored")
    func nonFinite() {
        let samples = PairedSamples(
            baseline: ["a": GateOutcome(score: .nan), "b": GateOutcome(score: 0.4)],
            candidate: ["a": GateOutcome(score: 0.2), "b": GateOutcome(score: 0.3)]
        )
        #expect(samples.count == 1 && samples.dropped == 1)
    }
}
