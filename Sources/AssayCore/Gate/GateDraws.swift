import Foundation

/// Random draws for the gate's simulations, from a seeded `SplitMix64`.
enum GateDraws {
    /// Uniform on [0, 1), with 53 random bits.
    static func uniform(_ rng: inout SplitMix64) -> Double {
        Double(rng.next() >> 11) * 0x1p-53
    }

    /// Standard normal, by the Box–Muller transform.
    static func normal(_ rng: inout SplitMix64) -> Double {
        let u = 1 - uniform(&rng)
        let v = uniform(&rng)
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }

    /// Gamma(shape, 1), by Marsaglia and Tsang (2000); shapes below 1 use Gamma(shape + 1)·U^(1/shape).
    static func gamma(_ shape: Double, _ rng: inout SplitMix64) -> Double {
        if shape < 1 {
            return gamma(shape + 1, &rng) * pow(1 - uniform(&rng), 1 / shape)
        }
        let d = shape - 1.0 / 3
        let c = 1 / (9 * d).squareRoot()
        while true {
            var x: Double
            var v: Double
            repeat {
                x = normal(&rng)
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = 1 - uniform(&rng)
            if log(u) < 0.5 * x * x + d - d * v + d * log(v) { return d * v }
        }
    }

    /// Beta(a, b), as X / (X + Y) of two gammas; a draw whose gammas both underflow to 0 (possible with
    /// tiny shapes) falls back to 0 or 1 with the right mean.
    static func beta(_ a: Double, _ b: Double, _ rng: inout SplitMix64) -> Double {
        let x = gamma(a, &rng)
        let y = gamma(b, &rng)
        guard x + y > 0 else { return uniform(&rng) < a / (a + b) ? 1 : 0 }
        return x / (x + y)
    }
}
