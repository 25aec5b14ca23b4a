/// The gate's settings; the defaults are those of `assay gate`.
public struct GateConfiguration: Hashable, Sendable {
    /// The family-wise significance level; default 0.05 (`--alpha`).
    public var alpha: Double
    /// The smallest change in mean score (or pass rate) that counts, on the scores' scale; default 0.02
    /// (`--min-effect`), two points on a 0–1 scale.
    public var minEffect: Double
    /// The seed of the bootstrap; default 0.
    public var seed: UInt64
    /// The bootstrap resamples per cell; default 2,000. The gate raises it to ⌈10·m/alpha⌉ for m tested
    /// cells, so that the smallest possible Holm-adjusted p-value stays below alpha/10.
    public var resamples: Int
    /// The power the needed-examples count aims for; default 0.8.
    public var power: Double
    /// Below this many shared examples a cell is always inconclusive; default 10.
    public var minimumExamples: Int
    /// The smallest standard deviation of paired differences assumed when counting the examples needed;
    /// default 0.05, so a small sample that happens to look noiseless does not claim to be enough.
    public var minimumSpread: Double
    /// The tiers that are gated; nil: every tier. Other tiers are compared and reported, not gated. A
    /// tier gates its columns under fault plans too: `mid` gates `mid@rate_limited` (`gatesTier`).
    public var tiers: Set<String>?
    /// The components that are gated; nil: every component.
    public var components: Set<String>?
    /// Whether a gated cell that could not be judged fails the gate; default false: it passes with a
    /// warning that names the smallest drop the data could have seen.
    public var inconclusiveFails = false
    /// The share of a gated tier's cells that may fail (crash, time out, not start) after retries;
    /// default 0.
    public var maxErrorShare = 0.0
    /// Absolute floors by component: the candidate fails when it is below one beyond doubt.
    public var floors: [String: GateFloor] = [:]
    /// Test both directions at alpha/2 as the gate did before one-sided tests; for the benchmark's
    /// comparison with the earlier gate only.
    package var legacyTwoSided = false

    /// Creates a configuration.
    public init(
        alpha: Double = 0.05, minEffect: Double = 0.02, seed: UInt64 = 0, resamples: Int = PairedBootstrap.defaultResamples,
        power: Double = 0.8, minimumExamples: Int = 10, minimumSpread: Double = 0.05
    ) {
        self.alpha = alpha
        self.minEffect = minEffect
        self.seed = seed
        self.resamples = resamples
        self.power = power
        self.minimumExamples = minimumExamples
        self.minimumSpread = minimumSpread
    }

    /// Whether a cell is in the gated family.
    public func gates(_ cell: GateCell) -> Bool {
        gatesTier(cell.tier) && (components?.contains(cell.component) ?? true)
    }

    /// Whether a gate column is in the gated tiers: its tier is, or the column itself is named. A column
    /// is a tier, or a tier and a fault plan after `@` (`mid@rate_limited`), so `tiers: [mid]` gates both.
    public func gatesTier(_ column: String) -> Bool {
        guard let tiers else { return true }
        return tiers.contains(column) || tiers.contains(Self.tier(ofColumn: column))
    }

    /// The tier of a gate column: `mid` for `mid` and for `mid@rate_limited` (tier names have no `@`).
    public static func tier(ofColumn column: String) -> String {
        column.firstIndex(of: "@").map { String(column[..<$0]) } ?? column
    }

    /// Whether a gate column ran under a fault plan (`mid@rate_limited`).
    public static func isFaulted(_ column: String) -> Bool { column.contains("@") }

    /// Checks the settings.
    /// - Throws: `AssayError` naming the first bad setting.
    public func validate() throws(AssayError) {
        guard alpha > 0, alpha < 1 else { throw AssayError.setting(place: "alpha", problem: "must lie strictly between 0 and 1, got \(alpha)") }
        guard minEffect > 0, minEffect.isFinite else { throw AssayError.setting(place: "min-effect", problem: "must be positive, got \(minEffect)") }
        guard resamples >= 100 else { throw AssayError.setting(place: "resamples", problem: "must be at least 100, got \(resamples)") }
        guard power > 0, power < 1 else { throw AssayError.setting(place: "power", problem: "must lie strictly between 0 and 1, got \(power)") }
        guard minimumExamples >= 2 else { throw AssayError.setting(place: "minimum examples", problem: "must be at least 2, got \(minimumExamples)") }
        guard minimumSpread >= 0, minimumSpread.isFinite else {
            throw AssayError.setting(place: "minimum spread", problem: "must be zero or positive, got \(minimumSpread)")
        }
        guard (0...1).contains(maxErrorShare) else {
            throw AssayError.setting(place: "max-error-share", problem: "must be from 0 to 1, got \(maxErrorShare)")
        }
        for (component, floor) in floors {
            for (name, value) in [("mean", floor.mean), ("pass_rate", floor.passRate)] {
                if let value, !(0...1).contains(value) {
                    throw AssayError.setting(place: "floors.\(component).\(name)", problem: "must be from 0 to 1, got \(value)")
                }
            }
        }
    }
}
