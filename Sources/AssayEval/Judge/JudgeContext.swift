import Foundation

/// What LLM judges and embedding scorers need from their surroundings: the environment that holds API
/// keys, where to cache answers, where to record their calls, how to send HTTP and how to wait.
///
/// ```swift
/// let context = JudgeContext(cacheFolder: ".assay/judge-cache", recorder: StoreJudgeRecorder(store: store))
/// let judge = try LLMJudgeScorer.make(parameters: parameters, threshold: nil, name: "helpful", context: context)
/// ```
package struct JudgeContext: Sendable {
    /// The environment the key variable (`api_key_env`) is read from, at call time. Default: the process's.
    package var environment: [String: String]
    /// The folder of the on-disk answer cache, created when first written. Default `.assay/judge-cache`.
    package var cacheFolder: String
    /// Where each HTTP call is recorded as a span; nil records nothing.
    package var recorder: (any JudgeCallRecorder)?
    /// Sends the HTTP requests. Default: `URLSessionJudgeTransport`.
    package var transport: any JudgeTransport
    /// Waits between retries; tests inject a sleep that returns at once.
    package var sleep: @Sendable (Duration) async -> Void

    /// The default cache folder, relative to the working directory.
    package static let defaultCacheFolder = ".assay/judge-cache"

    /// Creates a context; every argument has the default documented on its property.
    package init(environment: [String: String] = ProcessInfo.processInfo.environment,
                cacheFolder: String = JudgeContext.defaultCacheFolder,
                recorder: (any JudgeCallRecorder)? = nil,
                transport: any JudgeTransport = URLSessionJudgeTransport(),
                sleep: @escaping @Sendable (Duration) async -> Void = { try? await Task.sleep(for: $0) }) {
        self.environment = environment
        self.cacheFolder = cacheFolder
        self.recorder = recorder
        self.transport = transport
        self.sleep = sleep
    }
}
