import ArgumentParser

/// `assay-bench`: benchmarks whose figures go into issue notes. Build in release:
/// `swift run -c release assay-bench ingest`.
@main
struct AssayBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assay-bench",
        abstract: "Benchmarks for Assay (run with -c release).",
        subcommands: [IngestBenchmark.self, CollectorBenchmark.self, BrowseBenchmark.self, RunnerBenchmark.self, GateBenchmark.self, GatewayBenchmark.self, ToolProxyBenchmark.self]
    )
}
