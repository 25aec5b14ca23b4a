package import AssayCore
import Foundation

/// The machine-readable form of a run for `--json`: the record, its summary, the resilience summary
/// and the gate's report.
///
/// `{"gate": {...} | null, "resilience": ResilienceSummary, "run": RunRecord, "summary": RunSummary}`,
/// keys sorted, pretty-printed; `resilience` only when the run had a fault plan.
/// Non-finite numbers are written as the strings `"NaN"`, `"Infinity"`, `"-Infinity"`.
package enum RunJSON {
    /// The JSON text.
    package static func encode(_ record: RunRecord, summary: RunSummary, gate: GateReport?) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        do {
            let data = try encoder.encode(Document(run: record, summary: summary, resilience: ResilienceSummary(record), gate: gate.map(GateJSON.init)))
            return String(decoding: data, as: UTF8.self)
        } catch {
            // Unreachable with the float strategy above; say so in the output rather than crash.
            return "{\"error\": \(JSONWriter.quoted("the run could not be encoded as JSON"))}"
        }
    }

    private struct Document: Encodable {
        var run: RunRecord
        var summary: RunSummary
        var resilience: ResilienceSummary
        var gate: GateJSON?

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(run, forKey: .run)
            try c.encode(summary, forKey: .summary)
            if !resilience.isEmpty { try c.encode(resilience, forKey: .resilience) }
            try c.encode(gate, forKey: .gate)
        }

        enum CodingKeys: String, CodingKey { case run, summary, resilience, gate }
    }
}

/// A gate report as JSON (the core's `GateReport` is not `Codable`: its shape is an output format).
struct GateJSON: Encodable {
    struct Configuration: Encodable {
        var alpha: Double
        var minEffect: Double
        var seed: UInt64
        var resamples: Int
        var power: Double
        var minimumExamples: Int
        var minimumSpread: Double
    }

    struct Decision: Encodable {
        var component: String
        var tier: String
        var method: String
        var verdict: String
        var examplesNeeded: Int
        var shared: Int
        var dropped: Int
        var meanDifference: Double?
        var low: Double?
        var high: Double?
        var pValue: Double?
        var adjustedPValue: Double?
        var passToFail: Int?
        var failToPass: Int?
        var explanation: String
    }

    var regressed: Bool
    var configuration: Configuration
    var decisions: [Decision]

    init(_ report: GateReport) {
        regressed = report.regressed
        let c = report.configuration
        configuration = Configuration(alpha: c.alpha, minEffect: c.minEffect, seed: c.seed, resamples: c.resamples, power: c.power,
                                      minimumExamples: c.minimumExamples, minimumSpread: c.minimumSpread)
        decisions = report.decisions.map { d in
            Decision(component: d.cell.component, tier: d.cell.tier, method: d.method == .mcnemarExact ? "mcnemar_exact" : "paired_bootstrap",
                     verdict: d.verdict.code, examplesNeeded: d.examplesNeeded, shared: d.shared, dropped: d.dropped,
                     meanDifference: d.meanDifference, low: d.low, high: d.high, pValue: d.pValue, adjustedPValue: d.adjustedPValue,
                     passToFail: d.discordant?.passToFail, failToPass: d.discordant?.failToPass, explanation: d.explanation)
        }
    }
}

extension GateVerdict {
    /// A stable code: `regressed`, `improved`, `unchanged`, `inconclusive`.
    var code: String {
        switch self {
        case .regressed: "regressed"
        case .improved: "improved"
        case .unchanged: "unchanged"
        case .inconclusive: "inconclusive"
        }
    }
}

extension GateReport {
    /// The decision for a component on a tier, when the gate made one.
    func decision(_ component: String, _ tier: String) -> GateDecision? {
        decisions.first { $0.cell.component == component && $0.cell.tier == tier }
    }
}
