/// One HTTP call a judge made, as handed to a `JudgeCallRecorder`: what was asked and what came back,
/// without the key or any header.
package struct JudgeCall: Sendable, Hashable {
    /// The GenAI operation.
    package enum Operation: String, Sendable, Hashable {
        /// A chat completion (`llm_judge`).
        case chat
        /// An embeddings request (`embedding_similarity`).
        case embeddings
    }

    /// The operation.
    package var operation: Operation
    /// The scorer's name (`assay.judge.scorer`).
    package var scorer: String
    /// The provider (`gen_ai.provider.name`).
    package var provider: String
    /// The endpoint URL called (no credentials: `base_url` may not carry any).
    package var url: String
    /// The model asked for.
    package var requestModel: String
    /// The temperature asked for (chat only).
    package var temperature: Double?
    /// The output token limit asked for (chat only).
    package var maxTokens: Int?
    /// The request's messages as GenAI `gen_ai.input.messages` JSON (chat only).
    package var inputMessagesJSON: String?
    /// The answer as GenAI `gen_ai.output.messages` JSON, when one arrived.
    package var outputMessagesJSON: String?
    /// The model that answered, as the response named it.
    package var responseModel: String?
    /// The response id.
    package var responseID: String?
    /// Finish reasons of the choices.
    package var finishReasons: [String] = []
    /// `usage.prompt_tokens`.
    package var inputTokens: Int?
    /// `usage.completion_tokens`.
    package var outputTokens: Int?
    /// The HTTP status, when an answer arrived.
    package var httpStatus: Int?
    /// Which attempt this was, from 1.
    package var attempt: Int = 1
    /// Why the call failed (`error.type`): the HTTP status, `timeout`, `connection_error`,
    /// `invalid_response` or `malformed_verdict`; nil on success.
    package var errorType: String?
    /// A short description of the failure, without model text at length.
    package var errorMessage: String?
    /// Start, nanoseconds since the Unix epoch.
    package var startTimeUnixNano: UInt64 = 0
    /// End, nanoseconds since the Unix epoch.
    package var endTimeUnixNano: UInt64 = 0

    /// Creates a call record for a request about to be sent.
    package init(operation: Operation, scorer: String, provider: String, url: String, requestModel: String) {
        self.operation = operation
        self.scorer = scorer
        self.provider = provider
        self.url = url
        self.requestModel = requestModel
    }
}

/// Receives every HTTP call a judge makes (one per attempt; cache hits make no call and are not
/// recorded). Recording must not fail scoring: implementations deal with their own errors.
package protocol JudgeCallRecorder: Sendable {
    /// Records one call.
    func record(_ call: JudgeCall) async
}
