import ArgumentParser
import AssayCore
import AssayOTLP
import Foundation

/// `assay ingest FILE... | -`: reads OTLP/JSON into the store.
struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Read OTLP/JSON trace files (or standard input) into the store.",
        discussion: """
            Accepts one ExportTraceServiceRequest / TracesData document, or JSON Lines of them \
            (the OpenTelemetry file exporters' format). Ingest is idempotent: spans already stored \
            are left as they are and counted as already present.

            By default a file with any invalid record is rejected whole and nothing from it is \
            written; each problem is printed as file:line: json.path: problem. With --skip-invalid \
            the valid spans are written and each rejected one is listed. Exit 1 when anything was rejected.

            Examples:
              assay ingest examples/traces/email-assistant.jsonl
              cat spans.jsonl | assay ingest -
            """
    )

    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("OTLP/JSON files to read; - for standard input.", valueName: "file"))
    var files: [String]

    @Flag(name: .long, help: "Write the valid spans of a file that has invalid ones, listing each rejected one.")
    var skipInvalid = false

    @Flag(name: .long, help: "Print the counts as JSON.")
    var json = false

    func validate() throws {
        if files.isEmpty { throw ValidationError("Give at least one file to ingest, or - for standard input.") }
        if files.filter({ $0 == "-" }).count > 1 { throw ValidationError("Standard input (-) can be read only once.") }
    }

    func run() throws {
        let ingestor = Ingestor(store: try store.open(), options: Ingestor.Options(skipInvalid: skipInvalid))
        var results: [Ingestor.Result] = []
        var failed = false
        for file in files {
            let source: IngestSource = file == "-" ? .standardInput : .file(file)
            do {
                let result = try ingestor.ingest(source)
                for problem in result.problems { printError(DisplayFormat.safe(problem.description, limit: 2000)) }
                let hidden = result.counts.spansRejected + result.counts.recordsRejected - result.problems.count
                if result.rejectedWhole {
                    printError("\(source.name): rejected: nothing from this file was written (use --skip-invalid to write its valid spans)")
                } else if hidden > 0 {
                    printError("\(source.name): \(hidden) more problems not listed")
                }
                if !result.problems.isEmpty { failed = true }
                results.append(result)
            } catch let error as IngestError {
                printError(DisplayFormat.safe(error.description, limit: 2000))
                failed = true
            }
        }
        print(json ? IngestReport.json(results) : IngestReport.text(results), terminator: "")
        if failed { throw ExitCode(1) }
    }
}
