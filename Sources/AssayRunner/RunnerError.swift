package import AssayCore

/// The runner's one error: why a run cannot start or go on, naming the file or run at fault.
package enum RunnerError: Error, CustomStringConvertible {
    /// The suite file changed since the run started (run id, suite path).
    case suiteChanged(String, String)
    /// A dataset changed since the run started (run id).
    case datasetsChanged(String)
    /// A shard joins a run of a shared store that another suite, fault plans or datasets started (run id, what differs).
    case sharedRunDiffers(String, String)
    /// An example id is in two datasets of the suite (id, the later dataset's path).
    case duplicateExample(String, String)
    /// A dataset of the suite has problems (path, every problem); nothing was run.
    case invalidDataset(String, [InputProblem])
    /// The model gateway cannot run: a missing key variable, no port (the sentence).
    case gateway(String)
    /// `--faults` names a plan the suite does not have (the name, the suite's path, its plans).
    case unknownFaultPlan(String, String, [String])

    /// A sentence naming the place and the problem; a dataset's problems one per line.
    package var description: String {
        switch self {
        case .suiteChanged(let id, let path): "\(path) changed since run \(id) started; resume needs the same suite (start a new run instead)"
        case .datasetsChanged(let id): "a dataset changed since run \(id) started; resume needs the same datasets (start a new run instead)"
        case .sharedRunDiffers(let id, let what):
            "run \(id) is already in the store with \(what): every shard of a run needs the same suite, datasets and fault plans (give another --run)"
        case .duplicateExample(let id, let path): "\(path): example id \(id) is also in an earlier dataset of the suite"
        case .gateway(let problem): problem
        case .unknownFaultPlan(let name, let path, let plans):
            "--faults: \(path) has no fault plan \(name)" + (plans.isEmpty ? "; it declares none (faults: in the suite, docs/resilience.md)" : "; its plans are \(plans.joined(separator: ", ")), or none")
        case .invalidDataset(let path, let problems):
            AssayError.input(problems).description + "\n\(path): \(problems.count) problems; fix the dataset (assay datasets validate \(path))"
        }
    }
}
