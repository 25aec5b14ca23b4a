@testable import AssayCore
import AssayOTLP
@testable import AssayEval
import Foundation
import Synchronization

/// The key the tests configure; it must never appear in scores, cache files or spans.
let sentinelKey = "sk-test-SENTINEL-7f3a9c"
/// The environment variable the tests name in `api_key_env`.
let keyVariable = "ASSAY_JUDGE_TEST_KEY"

/// A fresh cache folder, store and zero-length sleep for one test; the folder is removed at the end.
final class JudgeHarness: Sendable {
    let cacheFolder: String
    let store = InMemoryTraceStore()
    private let sleeps = SleepLog()

    init() {
        cacheFolder = FileManager.default.temporaryDirectory.appendingPathComponent("assay-judge-tests/\(UUID().uuidString)").path
    }

    deinit { try? FileManager.default.removeItem(atPath: cacheFolder) }

    /// The delays the scorer asked to sleep, in order.
    var requestedSleeps: [Duration] { sleeps.all }

    /// A context with the key set, this harness's cache and store, and sleeps that return at once.
    func context(environment: [String: String] = [keyVariable: sentinelKey], transport: (any JudgeTransport)? = nil) -> JudgeContext {
        JudgeContext(environment: environment, cacheFolder: cacheFolder, recorder: StoreJudgeRecorder(store: store),
                     transport: transport ?? URLSessionJudgeTransport(),
                     sleep: { [sleeps] duration in sleeps.add(duration) })
    }

    /// Every recorded span, oldest first.
    func spans() throws -> [StoredSpan] {
        try store.traces(matching: TraceQuery(limit: 1000)).compactMap { try store.trace($0.traceID) }
            .flatMap(\.spans).sorted { $0.span.startTimeUnixNano < $1.span.startTimeUnixNano }
    }

    /// The cache files' contents.
    func cacheFiles() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: cacheFolder)) ?? []
        return names.sorted().compactMap { FileManager.default.contents(atPath: cacheFolder + "/" + $0) }.map { String(decoding: $0, as: UTF8.self) }
    }

    /// A judge on `stub` (or `baseURL`) with `model`, a short rubric and `extra` parameters.
    func judge(_ baseURL: String, model: String, _ extra: [(String, JSONValue)] = [], threshold: Double? = nil,
               environment: [String: String] = [keyVariable: sentinelKey]) throws -> LLMJudgeScorer {
        let parameters = JSONValue.object([("base_url", .string(baseURL)), ("model", .string(model)),
                                           ("api_key_env", .string(keyVariable)),
                                           ("rubric", .string("The answer names the capital of France."))] + extra)
        return try LLMJudgeScorer.make(parameters: parameters, threshold: threshold, name: "capital",
                                       context: context(environment: environment))
    }

    /// An embedding scorer on `baseURL` with `model`.
    func embedding(_ baseURL: String, model: String) throws -> EmbeddingSimilarityScorer {
        let parameters = JSONValue.object([("base_url", .string(baseURL)), ("model", .string(model)),
                                           ("api_key_env", .string(keyVariable))])
        return try EmbeddingSimilarityScorer.make(parameters: parameters, threshold: nil, name: nil, context: context())
    }
}

/// An example whose observed output is "Paris" and expected value "Paris".
let parisInput = ScorerInput(observed: .string("Paris"), expected: .string("Paris"))

extension JSONValue {
    /// A number value.
    static func num(_ d: Double) -> JSONValue { .number(d.judgeText) }
}

/// The sleeps a scorer asked for; none of them waits.
final class SleepLog: Sendable {
    private let durations = Mutex<[Duration]>([])
    var all: [Duration] { durations.withLock { $0 } }
    func add(_ duration: Duration) { durations.withLock { $0.append(duration) } }
}
