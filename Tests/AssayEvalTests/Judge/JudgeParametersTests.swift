@testable import AssayCore
@testable import AssayEval
import Testing

@Suite("Judge parameters")
struct JudgeParametersTests {
    static let valid = #""base_url": "http://127.0.0.1:8080/v1", "model": "m", "rubric": "r""#

    @Test("bad llm_judge parameters are errors naming the parameter", arguments: [
        (#"{"model": "m", "rubric": "r"}"#, "base_url"),
        (#"{\#(valid), "rubrik": "x"}"#, "rubrik"),
        (#"{\#(valid), "scale": "stars"}"#, "scale"),
        (#"{"base_url": "ftp://host/v1", "model": "m", "rubric": "r"}"#, "base_url"),
        (#"{"base_url": "http://user:pw@host/v1", "model": "m", "rubric": "r"}"#, "base_url"),
        (#"{"base_url": "http://host/v1", "rubric": "r"}"#, "model"),
        (#"{"base_url": "http://host/v1", "model": "m"}"#, "rubric"),
        (#"{"base_url": "http://host/v1", "model": "m", "rubric": "  "}"#, "rubric"),
        (#"{\#(valid), "temperature": 3}"#, "temperature"),
        (#"{\#(valid), "max_tokens": 0}"#, "max_tokens"),
        (#"{\#(valid), "max_retries": -1}"#, "max_retries"),
        (#"{\#(valid), "timeout_seconds": 0}"#, "timeout_seconds"),
        (#"{\#(valid), "api_key_env": ""}"#, "api_key_env"),
        (#"{\#(valid), "include_expected": "yes"}"#, "include_expected"),
    ])
    func judgeErrors(json: String, parameter: String) throws {
        let error = #expect(throws: AssayError.self) {
            try LLMJudgeScorer.make(parameters: JSONValue.parse(json), threshold: nil, name: nil, context: JudgeContext(environment: [:]))
        }
        #expect(error?.place == "llm_judge")
        #expect(error?.field == parameter)
    }

    @Test("a threshold outside 0 to 1 is an error naming threshold")
    func badThreshold() throws {
        let error = #expect(throws: AssayError.self) {
            try LLMJudgeScorer.make(parameters: JSONValue.parse("{\(Self.valid)}"), threshold: 1.5, name: nil, context: JudgeContext(environment: [:]))
        }
        #expect(error?.field == "threshold")
    }

    @Test("parameters that are not an object are an error")
    func notAnObject() {
        #expect(throws: AssayError.self) {
            try LLMJudgeScorer.make(parameters: .string("x"), threshold: nil, name: nil, context: JudgeContext(environment: [:]))
        }
    }

    @Test("embedding_similarity takes only the endpoint parameters")
    func embeddingErrors() throws {
        let error = #expect(throws: AssayError.self) {
            try EmbeddingSimilarityScorer.make(parameters: JSONValue.parse("{\(Self.valid)}"), threshold: nil, name: nil, context: JudgeContext(environment: [:]))
        }
        #expect(error?.place == "embedding_similarity")
        #expect(error?.field == "rubric")
        #expect(error?.description.hasPrefix("embedding_similarity: parameter rubric: unknown parameter (known: api_key_env, base_url") == true)
    }

    @Test("defaults: score scale at 0.5, pass_fail at 1, embeddings at 0.8, the recorded parameters canonical")
    func defaults() throws {
        let context = JudgeContext(environment: [:])
        let judge = try LLMJudgeScorer.make(parameters: JSONValue.parse(#"{"rubric": "r", "model": "m", "base_url": "http://h/v1/"}"#),
                                            threshold: nil, name: nil, context: context)
        #expect(judge.threshold == 0.5)
        #expect(judge.name == "llm_judge")
        #expect(judge.parametersJSON == #"{"base_url":"http://h/v1/","model":"m","rubric":"r"}"#)
        #expect(judge.endpoint.baseURL == "http://h/v1")
        #expect(judge.endpoint.timeoutSeconds == 60 && judge.endpoint.maxRetries == 3 && judge.endpoint.provider == "openai")
        #expect(judge.temperature == 0 && judge.maxTokens == 512 && judge.includeExpected)
        let passFail = try LLMJudgeScorer.make(parameters: JSONValue.parse("{\(Self.valid), \"scale\": \"pass_fail\"}"), threshold: nil, name: "pf", context: context)
        #expect(passFail.threshold == 1 && passFail.name == "pf")
        let embedding = try EmbeddingSimilarityScorer.make(parameters: JSONValue.parse(#"{"base_url": "https://h/v1", "model": "e"}"#),
                                                           threshold: nil, name: nil, context: context)
        #expect(embedding.threshold == 0.8)
    }
}
