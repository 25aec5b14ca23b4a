/// What goes wrong in the model gateway, in sentences that name the place and the value.
package enum GatewayError: Error, CustomStringConvertible, Equatable {
    /// A tier's upstream needs a key variable that is not set.
    case missingKey(tier: String, variable: String)
    /// The cache folder cannot be written.
    case cacheUnwritable(String, String)
    /// The gateway could not start.
    case cannotStart(String)
    /// A stream broke off between the upstream and the agent.
    case streamBroken(String)

    /// The sentence.
    package var description: String {
        switch self {
        case .missingKey(let tier, let variable):
            "tier \(tier): its upstream's key variable \(variable) is not set (export it, or use a sim-* model to run with no provider)"
        case .cacheUnwritable(let folder, let problem): "the LLM cache \(folder) cannot be written: \(problem)"
        case .cannotStart(let problem): "the model gateway cannot start: \(problem)"
        case .streamBroken(let problem): problem
        }
    }
}
