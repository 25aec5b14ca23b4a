/// One HTTP call a judge made, as handed to a `JudgeCallRecorder`: what was asked and what came back,
/// without the key or any header.
public struct JudgeCall: Sendable, Hashable {
    /// The GenAI operation.
    public enum Operation: String, Sendable, Hashable {
        /// A chat completion (`llm_judge`).
        case chat
        /// An embeddings request (`embedding_similarity`).
        case embeddings
    }

    /// The operation.
    public var operation: Operation
    /// The scorer's name (`assay.judge.scorer`).
    public var scorer: String
    /// The provider (`gen_ai.provider.name`).
    public var provider: String
    /// The endpoint URL called (no credentials: `base_url` may not carry any).
    public var url: String
    /// The model asked for.
    public var requestModel: String
    /// The temperature asked for (chat only).
    public var temperature: Double?
    /// The output token limit asked for (chat only).
    public var maxTokens: Int?
    /// The request's messages as GenAI `gen_ai.input.messages` JSON (chat only).
    public var inputMessagesJSON: String?
    /// The answer as GenAI `gen_ai.output.messages` JSON, when one arrived.
    public var outputMessagesJSON: String?
    /// The model that answered, as the response named it.
    public var responseModel: String?
    /// The response id.
    public var responseID: String?
    /// Finish reasons of the choices.
    public var finishReasons: [String] = []
    /// `usage.prompt_tokens`.
    public var inputTokens: Int?
    /// `usage.completion_tokens`.
    public var outputTokens: Int?
    /// The HTTP status, when an answer arrived.
    public var httpStatus: Int?
    /// Which attempt this was, from 1.
    public var attempt: Int = 1
    /// Why the call failed (`error.type`): the HTTP status, `timeout`, `connection_error`,
    /// `invalid_response` or `malformed_verdict`; nil on success.
    public var errorType: String?
    /// A short description of the failure, without model text at length.
    public var errorMessage: String?
    /// Start, nanoseconds since the Unix epoch.
    public var startTimeUnixNano: UInt64 = 0
    /// End, nanoseconds since the Unix epoch.
    public var endTimeUnixNano: UInt64 = 0

    /// Creates a call record for a request about to be sent.
    public init(operation: Operation, scorer: String, provider: String, url: String, requestModel: String) {
        self.operation = operation
        self.scorer = scorer
        self.provider = provider
        self.url = url
        self.requestModel = requestModel
    }
}

/// Receives every HTTP call a judge makes (one per attempt; cache hits make no call and are not
/// recorded). Recording must not fail scoring: implementations deal with their own errors.
public protocol JudgeCallRecorder: Sendable {
    /// Records one call.
    func record(_ call: JudgeCall) async
}
