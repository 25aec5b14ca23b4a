import AssayCore
import AssayEval
import Foundation

/// How the CLI builds evaluation pieces: the scorer file loader with every kind it knows.
enum EvalSetup {
    /// A loader for scorer files.
    static func loader(store: any TraceStore) -> ScorerFileLoader {
        ScorerFileLoader()
    }
}
