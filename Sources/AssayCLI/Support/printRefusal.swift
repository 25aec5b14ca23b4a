import AssayCore

/// Prints a refusal of feedback whose targets are not stored.
func printRefusal(_ refused: AssayError, source: String?) {
    for u in refused.unknownTargets {
        printError((source.map { "\($0): item \(u.index + 1): " } ?? "") + u.description)
    }
    printError("nothing was stored")
}
