import AssayEval

extension ChildProcess {
    /// Runs a program to the end with nothing on its standard input, measuring its wall time and its
    /// peak resident memory.
    static func measure(_ path: String, _ arguments: [String]) throws -> Result {
        var child = ChildProcess(arguments: [path] + arguments, timeoutSeconds: 6 * 3600)
        child.measuresPeakMemory = true
        return try child.runBlocking(input: [])
    }
}

extension ChildProcess.Result {
    /// The wall time, in seconds, for display.
    var seconds: Double { Double(elapsedNanos) / 1e9 }
}
