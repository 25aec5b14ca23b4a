@testable import AssayCore
@testable import AssayEval
import Foundation
import Testing

@Suite("Judge cache")
struct JudgeCacheTests {
    @Test("a cache hit gives the same score and makes no request")
    func cacheHit() async throws {
        try await OpenAIStub.run { stub in
            let harness = JudgeHarness()
            let first = try await harness.judge(stub.baseURL, model: "ok-0.8").score(parisInput)
            let again = try await harness.judge(stub.baseURL, model: "ok-0.8").score(parisInput)
            #expect(again.outcome == first.outcome)
            #expect(again.explanation == first.explanation)
            #expect(first.metadata["judge_cache"] == "miss" && again.metadata["judge_cache"] == "hit")
            #expect(try await stub.requests("ok-0.8").count == 1)
            #expect(try harness.spans().count == 1, "a cache hit records no span")
            let files = harness.cacheFiles()
            #expect(files.count == 1)
            let entry = try JSONValue.parse(files[0])
            #expect(entry["verdict"]?.canonicalJSON == #"{"reason":"The answer matches the rubric.","score":0.8}"#)
            #expect(entry["model"]?.string == "ok-0.8")
        }
    }

    @Test("a corrupt cache file is a miss and is overwritten")
    func corruptFile() async throws {
        try await OpenAIStub.run { stub in
            let harness = JudgeHarness()
            let judge = try harness.judge(stub.baseURL, model: "ok-0.8")
            let first = await judge.score(parisInput)
            let name = try #require(FileManager.default.contentsOfDirectory(atPath: harness.cacheFolder).first)
            let path = harness.cacheFolder + "/" + name
            for corrupt in [#"{"version":1,"kind":"llm_judge","verdict":{"score":"high"}}"#, "{not json"] {
                try Data(corrupt.utf8).write(to: URL(fileURLWithPath: path))
                let again = await judge.score(parisInput)
                #expect(again.outcome == first.outcome)
                #expect(again.metadata["judge_cache"] == "miss")
            }
            #expect(try await stub.requests("ok-0.8").count == 3)
            #expect(try JSONValue.parse(harness.cacheFiles()[0])["verdict"]?["score"]?.double == 0.8)
            #expect(await judge.score(parisInput).metadata["judge_cache"] == "hit")
        }
    }

    @Test("the rubric, the observed text and the expected value are part of the key", arguments: [
        ([("rubric", JSONValue.string("Another rubric."))], parisInput),
        ([], ScorerInput(observed: .string("Lyon"), expected: .string("Paris"))),
        ([("include_expected", JSONValue.bool(false))], parisInput),
    ])
    func keyMaterial(extra: [(String, JSONValue)], input: ScorerInput) async throws {
        try await OpenAIStub.run { stub in
            let harness = JudgeHarness()
            _ = try await harness.judge(stub.baseURL, model: "ok-0.8").score(parisInput)
            let other = try await harness.judge(stub.baseURL, model: "ok-0.8", extra).score(input)
            #expect(other.metadata["judge_cache"] == "miss")
            #expect(harness.cacheFiles().count == 2)
        }
    }

    @Test("cache keys are the SHA-256 of canonical JSON, whatever the member order")
    func keyIsCanonical() throws {
        let a = try JSONValue.parse(#"{"model":"m","temperature":0,"messages":[{"role":"user","content":"x"}]}"#)
        let b = try JSONValue.parse(#"{"messages":[{"content":"x","role":"user"}],"temperature":0.0,"model":"m"}"#)
        #expect(JudgeCache.key(a) == JudgeCache.key(b))
        #expect(JudgeCache.key(a).count == 64)
    }
}
