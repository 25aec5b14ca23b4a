/// The test the gate runs on a cell, chosen from the data.
public enum GateMethod: Hashable, Sendable, CustomStringConvertible {
    /// A paired bootstrap on the mean score difference, for continuous scores.
    case pairedBootstrap
    /// An exact McNemar test on the discordant pairs, for pass/fail outcomes.
    case mcnemarExact

    /// A short name for reports: `paired bootstrap` or `exact McNemar`.
    public var description: String {
        switch self {
        case .pairedBootstrap: "paired bootstrap"
        case .mcnemarExact: "exact McNemar"
        }
    }
}
