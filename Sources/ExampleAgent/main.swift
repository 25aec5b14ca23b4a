import Foundation

// assay-example-agent: a simulated email assistant that follows Assay's runner protocol
// (examples/agents/README.md). Process mode answers one cell; `--persistent` answers one JSON
// request per line until end of input.

do {
    let options = try Options(arguments: Array(CommandLine.arguments.dropFirst()))
    if options.dumpScenarios {
        Output.line(ScenarioDump.json())
        exit(0)
    }
    let environment = ProcessInfo.processInfo.environment
    exit(options.persistent ? PersistentMode.run(options: options, environment: environment)
                            : ProcessMode.run(options: options, environment: environment))
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(64)
}
