import AssayCore

/// Prints a refusal of feedback whose targets are not stored.
func printRefusal(_ refused: FeedbackRefused, source: String?) {
    for u in refused.unknown {
        printError((source.map { "\($0): item \(u.index + 1): " } ?? "") + u.description)
    }
    printError("nothing was stored")
}
