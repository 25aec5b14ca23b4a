import Foundation

/// Student's t distribution: its lower tail through the regularized incomplete beta function
/// (Lentz's continued fraction, as in Press et al., *Numerical Recipes*, 3rd ed., §6.4).
enum StudentT {
    /// P(T ≤ t) for T with `df` degrees of freedom.
    static func cdf(_ t: Double, df: Int) -> Double {
        guard df > 0, t.isFinite else { return t > 0 ? 1 : 0 }
        let v = Double(df)
        let tail = 0.5 * regularizedBeta(v / (v + t * t), v / 2, 0.5)
        return t > 0 ? 1 - tail : tail
    }

    /// The one-sided p-value of a drop from paired differences: P(T ≤ t) for t = mean / (s / √n).
    /// 1 when the mean is not below 0; nil with fewer than two differences or none varying.
    static func pDrop(_ differences: [Double]) -> Double? {
        let n = differences.count
        guard n > 1 else { return nil }
        let mean = differences.reduce(0, +) / Double(n)
        guard mean < 0 else { return 1 }
        let variance = differences.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
        guard variance > 0 else { return nil }
        return cdf(mean / (variance / Double(n)).squareRoot(), df: n - 1)
    }

    /// I_x(a, b).
    static func regularizedBeta(_ x: Double, _ a: Double, _ b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logGammas: Double = lgamma(a + b) - lgamma(a) - lgamma(b)
        let logPowers: Double = a * log(x) + b * log(1 - x)
        let front = exp(logGammas + logPowers)
        if x < (a + 1) / (a + b + 2) { return front * continuedFraction(x, a, b) / a }
        return 1 - front * continuedFraction(1 - x, b, a) / b
    }

    private static func continuedFraction(_ x: Double, _ a: Double, _ b: Double) -> Double {
        let tiny = 1e-300
        var c = 1.0, d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...300 {
            let m = Double(m)
            var numerator = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
            d = 1 + numerator * d; if abs(d) < tiny { d = tiny }
            c = 1 + numerator / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            numerator = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
            d = 1 + numerator * d; if abs(d) < tiny { d = tiny }
            c = 1 + numerator / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let step = d * c
            h *= step
            if abs(step - 1) < 1e-15 { break }
        }
        return h
    }
}
