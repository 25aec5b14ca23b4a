// swift-tools-version: 6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Assay",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "assay", targets: ["AssayCLI"]),
        .executable(name: "assay-bench", targets: ["AssayBench"]),
        .executable(name: "assay-example-agent", targets: ["ExampleAgent"]),
        .library(name: "AssayCore", targets: ["AssayCore"]),
        .library(name: "AssayOTLP", targets: ["AssayOTLP"]),
        .library(name: "AssaySQLite", targets: ["AssaySQLite"]),
        .library(name: "AssayPostgres", targets: ["AssayPostgres"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        // The pure core: the trace model, the JSON toolkit, LLM semantics, store protocols, feedback,
        // datasets, selection, scoring, runs and the gate (docs/architecture.md gives the layers).
        .target(name: "AssayCore", swiftSettings: strict),
        // The wire formats and ingest: OTLP/JSON and protobuf codecs, the record reader, the ingest
        // pipeline and the in-memory reference store.
        .target(name: "AssayOTLP", dependencies: ["AssayCore"], swiftSettings: strict),
        // The SQLite store (GRDB over the system libsqlite3).
        .target(
            name: "AssaySQLite",
            dependencies: [
                "AssayCore", "AssayOTLP",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: strict
        ),
        // The team store on PostgreSQL (postgres-nio), the same protocols as the SQLite store (docs/team-store.md).
        .target(
            name: "AssayPostgres",
            dependencies: [
                "AssayCore", "AssayOTLP",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // The OTLP/HTTP collector (Hummingbird), its group-commit writer and metrics.
        .target(
            name: "AssayCollector",
            dependencies: [
                "AssayCore", "AssayOTLP", "AssayEval",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict
        ),
        // The static HTML trace browser (`assay browse`): the page template and its data, gzip via zlib.
        .target(
            name: "AssayBrowse",
            dependencies: [
                "AssayCore",
                .product(name: "CompressNIO", package: "compress-nio"),
            ],
            exclude: ["Page/DATA-FORMAT.md"],
            resources: [.embedInCode("Page/Resources/browser.html")],
            swiftSettings: strict
        ),
        // Evaluation adapters: scorer files (YAML), command scorers (processes), the LLM judge and
        // embeddings (HTTP to OpenAI-compatible endpoints).
        .target(
            name: "AssayEval",
            dependencies: ["AssayCore", "AssayOTLP", .product(name: "Yams", package: "Yams")],
            swiftSettings: strict
        ),
        // The model gateway (docs/gateway.md): a loopback OpenAI/Anthropic endpoint that rewrites the
        // model per tier, forwards upstream (AsyncHTTPClient) or simulates, records GenAI spans, caches
        // and replays responses, and caps spending.
        .target(
            name: "AssayGateway",
            dependencies: [
                "AssayCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // The runner: agents as processes, its own loopback collector, cells committed as they finish.
        .target(
            name: "AssayRunner",
            dependencies: [
                "AssayCore", "AssayOTLP", "AssayEval", "AssayCollector", "AssayGateway",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Report writers: JUnit XML, the HTML run report, the Markdown summary, baselines.
        .target(name: "AssayReports", dependencies: ["AssayCore"], swiftSettings: strict),
        // The example email-assistant agent that the tests and the demo run (`assay-example-agent`).
        .executableTarget(name: "ExampleAgent", dependencies: ["AssayCore", "AssayOTLP"], swiftSettings: strict),
        // The `assay` command-line tool: a thin layer over the libraries.
        .executableTarget(
            name: "AssayCLI",
            dependencies: [
                "AssayCore", "AssayOTLP", "AssaySQLite", "AssayPostgres", "AssayCollector", "AssayBrowse", "AssayEval", "AssayGateway", "AssayRunner", "AssayReports",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Benchmarks whose figures go into notes: `swift run -c release assay-bench ingest`.
        .executableTarget(
            name: "AssayBench",
            dependencies: [
                "AssayCore", "AssayOTLP", "AssaySQLite", "AssayPostgres", "AssayEval", "AssayGateway", "AssayRunner",
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        // Fixtures and stubs shared by the test targets (built only for the tests).
        .target(
            name: "AssayTestSupport",
            dependencies: ["AssayCore", "AssayOTLP"],
            path: "Tests/AssayTestSupport",
            exclude: ["Fixtures"],
            swiftSettings: strict
        ),
        .testTarget(name: "AssayCoreTests", dependencies: ["AssayCore", "AssayOTLP", "AssayTestSupport"], swiftSettings: strict),
        // Checks the rules of docs/architecture.md against the source tree.
        .testTarget(name: "ArchitectureTests", swiftSettings: strict),
        .testTarget(name: "AssayOTLPTests", dependencies: ["AssayCore", "AssayOTLP", "AssayTestSupport"], swiftSettings: strict),
        .testTarget(name: "AssaySQLiteTests", dependencies: ["AssayCore", "AssayOTLP", "AssaySQLite", "AssayTestSupport",
                                                           .product(name: "GRDB", package: "GRDB.swift")], swiftSettings: strict),
        // One store conformance suite over the in-memory store, SQLite and PostgreSQL (a real server: PostgresFixture).
        .testTarget(name: "AssayStoreTests", dependencies: ["AssayCore", "AssayOTLP", "AssaySQLite", "AssayPostgres", "AssayTestSupport",
                                                          .product(name: "PostgresNIO", package: "postgres-nio")],
                    swiftSettings: strict),
        .testTarget(name: "AssayReportsTests", dependencies: ["AssayCore", "AssayReports"], exclude: ["Schemas"], swiftSettings: strict),
        .testTarget(name: "AssayEvalTests", dependencies: ["AssayCore", "AssayOTLP", "AssayEval", "AssayTestSupport"], exclude: ["Servers"], swiftSettings: strict),
        .testTarget(name: "AssayRunnerTests", dependencies: ["AssayCore", "AssayOTLP", "AssayEval", "AssayGateway", "AssayRunner", "AssayTestSupport"], swiftSettings: strict),
        .testTarget(name: "AssayCLITests", dependencies: ["AssayTestSupport"], exclude: ["Golden", "Gateway", "Agents"], swiftSettings: strict),
        .testTarget(name: "AssayGatewayTests", dependencies: ["AssayCore", "AssayGateway"], swiftSettings: strict),
        .testTarget(
            name: "AssayBrowseTests",
            dependencies: ["AssayCore", "AssayOTLP", "AssayBrowse", .product(name: "CompressNIO", package: "compress-nio")],
            exclude: ["Page"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "AssayCollectorTests",
            dependencies: [
                "AssayCore", "AssayOTLP", "AssayCollector", "AssaySQLite", "AssayPostgres", "AssayTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "CompressNIO", package: "compress-nio"),
            ],
            exclude: ["Clients"],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)

// Fuzz targets (Fuzz/Sources, docs/fuzzing.md): one libFuzzer executable per parser, declared only when
// ASSAY_FUZZ=1 so that `swift build` and `swift test` never build them. `scripts/fuzz.sh` sets it.
// Then every target of this package is compiled with `-sanitize=fuzzer,address` (coverage and
// AddressSanitizer in the library code the fuzzers reach), but not the dependencies, so a build folder
// that already holds them (CI's, after `swift test`) builds only this package's targets again.
if Context.environment["ASSAY_FUZZ"] == "1" {
    let fuzzers: [(name: String, dependencies: [Target.Dependency])] = [
        ("FuzzOTLPJSON", ["AssayCore", "AssayOTLP"]),
        ("FuzzOTLPJSONLines", ["AssayCore", "AssayOTLP"]),
        ("FuzzOTLPProto", ["AssayCore", "AssayOTLP"]),
        ("FuzzOTLPProtoSpan", ["AssayCore", "AssayOTLP"]),
        ("FuzzCollectorBody", ["AssayCore", "AssayOTLP", "AssayCollector"]),
        ("FuzzDatasetLines", ["AssayCore"]),
        ("FuzzFeedbackLines", ["AssayCore"]),
        ("FuzzSuiteYAML", ["AssayCore", "AssayEval", "AssayRunner"]),
        ("FuzzScorerYAML", ["AssayCore", "AssayEval"]),
        ("FuzzSelector", ["AssayCore"]),
        ("FuzzJSONPath", ["AssayCore"]),
        ("FuzzJSONSchema", ["AssayCore"]),
    ]
    // The libFuzzer entry point (`LLVMFuzzerRunDriver`) declared for Swift.
    package.targets.append(.target(name: "CLibFuzzer", path: "Fuzz/Sources/CLibFuzzer"))
    // What every fuzz target shares: the driver, the checks that trap on a mismatch, the OTLP round trip.
    package.targets.append(.target(name: "FuzzSupport", dependencies: ["CLibFuzzer", "AssayCore", "AssayOTLP"], path: "Fuzz/Sources/FuzzSupport", swiftSettings: strict))
    for fuzzer in fuzzers {
        package.targets.append(.executableTarget(
            name: fuzzer.name, dependencies: fuzzer.dependencies + ["FuzzSupport"], path: "Fuzz/Sources/\(fuzzer.name)", swiftSettings: strict,
            linkerSettings: [.unsafeFlags(["-sanitize=fuzzer,address"])]
        ))
    }
    for target in package.targets where target.type != .test {
        target.swiftSettings = (target.swiftSettings ?? []) + [.unsafeFlags(["-sanitize=fuzzer,address"])]
    }
}
