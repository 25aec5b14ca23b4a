import AssayCore

/// Writes a multi-line message (such as one problem per line) to standard error, each line made safe
/// for a terminal.
func printLines(_ text: String) {
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) { printError(DisplayFormat.safe(String(line), limit: 2000)) }
}
