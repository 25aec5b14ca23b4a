import Foundation

/// The discordant pairs of a paired pass/fail comparison; concordant pairs carry no information.
public struct McNemarCounts: Hashable, Sendable {
    /// Examples the baseline passed and the candidate failed (b).
    public var passToFail: Int
    /// Examples the baseline failed and the candidate passed (c).
    public var failToPass: Int

    /// Creates counts.
    public init(passToFail: Int, failToPass: Int) {
        self.passToFail = passToFail
        self.failToPass = failToPass
    }

    /// b + c.
    public var total: Int { passToFail + failToPass }
}

/// The exact McNemar test: under no change, each discordant pair is equally likely to go either way, so
/// b ~ Binomial(b + c, ½) and the two-sided p-value is `min(1, 2·P(X ≤ min(b, c)))`.
///
/// The tail is summed from its largest term downwards, scaled in log space, so it neither underflows
/// (2⁻ⁿ does beyond n ≈ 1074) nor loses terms. Its relative error is that of `lgamma` on numbers the
/// size of n·ln n: about 1e-15 for n = 10, 1e-11 for n = 40,000.
public enum McNemarExact {
    /// The two-sided exact p-value for discordant counts b (pass→fail) and c (fail→pass).
    ///
    /// - Returns: 1 when there are no discordant pairs.
    public static func pValue(_ counts: McNemarCounts) -> Double {
        let n = counts.total
        let k = min(counts.passToFail, counts.failToPass)
        guard n > 0, 2 * k < n else { return 1 }
        return min(1, 2 * binomialHalfLowerTail(k, of: n))
    }

    /// P(X ≤ k) for X ~ Binomial(n, ½), with k < n/2.
    /// The one-sided exact p-value of a drop: P(C ≤ c) for C ~ Binomial(b + c, ½), c the fail→pass
    /// pairs. Small when pass→fail pairs outnumber fail→pass ones.
    public static func pValueDrop(_ counts: McNemarCounts) -> Double {
        guard counts.total > 0, counts.failToPass < counts.passToFail else { return 1 }
        return min(1, binomialHalfLowerTail(counts.failToPass, of: counts.total))
    }

    /// The one-sided exact p-value of a gain: P(B ≤ b) for B ~ Binomial(b + c, ½).
    public static func pValueGain(_ counts: McNemarCounts) -> Double {
        guard counts.total > 0, counts.passToFail < counts.failToPass else { return 1 }
        return min(1, binomialHalfLowerTail(counts.passToFail, of: counts.total))
    }

    static func binomialHalfLowerTail(_ k: Int, of n: Int) -> Double {
        // log of the largest term, C(n, k) / 2ⁿ, then the smaller terms as ratios of it:
        // C(n, j−1) / C(n, j) = j / (n − j + 1).
        let logTop = lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1)) - Double(n) * M_LN2
        var sum = 1.0
        var term = 1.0
        var j = k
        while j > 0 {
            term *= Double(j) / Double(n - j + 1)
            sum += term
            if term < sum * 1e-17 { break }
            j -= 1
        }
        return exp(logTop + log(sum))
    }
}
