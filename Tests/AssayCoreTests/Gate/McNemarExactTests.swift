import Testing
@testable import AssayCore

@Suite("Exact McNemar test")
struct McNemarExactTests {
    /// Expected values are exact binomial sums, 2·Σⱼ≤ₖ C(n, j) / 2ⁿ, computed with integer arithmetic;
    /// the tolerance allows for `lgamma`'s rounding, which grows with n.
    @Test("matches exact binomial p-values", arguments: [
        (0, 10, 0.001953125), (1, 9, 0.021484375), (2, 8, 0.109375), (0, 20, 1.9073486328125e-06),
        (3, 17, 0.0025768280029296875), (120, 80, 0.0056851559967503055),
        (4900, 5100, 0.04658552770494739), (20000, 20500, 0.013153825113143827),
    ])
    func exactValues(passToFail: Int, failToPass: Int, expected: Double) {
        let p = McNemarExact.pValue(McNemarCounts(passToFail: passToFail, failToPass: failToPass))
        let tolerance = passToFail + failToPass <= 1_000 ? 1e-13 : 1e-10
        #expect(abs(p - expected) <= tolerance * expected)
    }

    @Test("gives 1 for balanced or absent discordant pairs", arguments: [(5, 5), (0, 0), (4, 5), (5, 4), (5000, 5000)])
    func balanced(passToFail: Int, failToPass: Int) {
        #expect(McNemarExact.pValue(McNemarCounts(passToFail: passToFail, failToPass: failToPass)) == 1)
    }

    @Test("is symmetric in the two directions")
    func symmetric() {
        let forward = McNemarExact.pValue(McNemarCounts(passToFail: 7, failToPass: 21))
        let backward = McNemarExact.pValue(McNemarCounts(passToFail: 21, failToPass: 7))
        #expect(forward == backward)
    }

    @Test("stays finite and positive far in the tail of a large n")
    func largeTail() {
        let p = McNemarExact.pValue(McNemarCounts(passToFail: 10, failToPass: 40_000))
        #expect(p >= 0 && p < 1e-300)
        let moderate = McNemarExact.pValue(McNemarCounts(passToFail: 15_000, failToPass: 16_000))
        #expect(moderate > 0 && moderate < 1e-7)
    }
}
