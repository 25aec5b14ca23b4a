import AssayCore
import Foundation

/// Where and how a judge scorer calls its model: the parameters shared by `llm_judge` and
/// `embedding_similarity`.
///
/// | parameter | default | meaning |
/// |---|---|---|
/// | `base_url` | required | `http` or `https` URL of an OpenAI-compatible API, e.g. `http://127.0.0.1:8080/v1` |
/// | `model` | required | the model name sent with every request |
/// | `api_key_env` | none | the name of the environment variable holding the key, sent as `Authorization: Bearer` |
/// | `provider` | `openai` | recorded as `gen_ai.provider.name` |
/// | `timeout_seconds` | 60 | per request, above 0 and at most 3600 |
/// | `max_retries` | 3 | retries after a 429, a 5xx, a timeout or a connection failure, 0 to 10 |
package struct JudgeEndpoint: Sendable, Hashable {
    /// The API's base URL without a trailing slash.
    package var baseURL: String
    /// The model name.
    package var model: String
    /// The environment variable holding the key (its name, never its value); nil sends no key.
    package var apiKeyEnv: String?
    /// The provider recorded in spans.
    package var provider: String
    /// Seconds to wait for each answer.
    package var timeoutSeconds: Double
    /// Retries after the first attempt.
    package var maxRetries: Int

    /// The parameter names read here.
    static let parameterNames: Set<String> = ["base_url", "model", "api_key_env", "provider", "timeout_seconds", "max_retries"]

    /// Reads the shared parameters.
    init(_ p: ScorerParameters) throws(AssayError) {
        let base = try p.requiredString("base_url").trimmingCharacters(in: .whitespaces)
        guard let url = URL(string: base), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty
        else { throw p.error("base_url", "expected an http or https URL, got \(JudgeText.quote(base, limit: 60))") }
        guard url.user == nil, url.password == nil else {
            throw p.error("base_url", "must not contain credentials; name the key's environment variable in api_key_env")
        }
        baseURL = base.hasSuffix("/") ? String(base.dropLast()) : base
        model = try p.requiredString("model")
        apiKeyEnv = try p.string("api_key_env")
        if let name = apiKeyEnv, name.isEmpty || name.contains(where: { $0.isWhitespace || $0 == "=" }) {
            throw p.error("api_key_env", "expected the name of an environment variable, got \(JudgeText.quote(name, limit: 40))")
        }
        provider = try p.string("provider") ?? "openai"
        timeoutSeconds = try p.number("timeout_seconds", in: 0.001...3600, default: 60)
        maxRetries = try p.integer("max_retries", in: 0...10, default: 3)
    }

    /// The URL of an API path such as `chat/completions`.
    func url(_ path: String) -> URL? { URL(string: baseURL + "/" + path) }

    /// The key from `environment`; nil when no variable is configured.
    /// - Throws: `.scorerFailed` naming the variable (not its value) when it is unset or empty.
    func apiKey(in environment: [String: String]) throws(UnscoredReason) -> String? {
        guard let name = apiKeyEnv else { return nil }
        guard let key = environment[name], !key.isEmpty else {
            throw .scorerFailed("the environment variable \(name) (api_key_env) is not set")
        }
        return key
    }
}
