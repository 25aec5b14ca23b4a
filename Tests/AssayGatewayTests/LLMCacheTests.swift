@testable import AssayGateway
import AssayCore
import Foundation
import Testing

@Suite("The LLM cache on disk")
struct LLMCacheTests {
    static func folder() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("assay-cache-\(UInt64.random(in: 0...UInt64.max))").path
    }

    @Test("a recording is read back as written, at FOLDER/PROVIDER/AB/HASH.json, with no temporary file left")
    func roundTrip() throws {
        let cache = LLMCache(folder: Self.folder())
        let hash = String(repeating: "ab", count: 32)
        let stream = LLMCache.Entry(status: 200, contentType: "text/event-stream", events: [Array("data: {\"a\":1}\n\n".utf8), Array("data: [DONE]\n\n".utf8)])
        try cache.write(stream, provider: "openai", api: .chatCompletions, model: "m", hash: hash, request: .object([("model", .string("m"))]))
        #expect(cache.read(provider: "openai", hash: hash) == stream)
        #expect(cache.path(provider: "openai", hash: hash).hasSuffix("/openai/ab/\(hash).json"))
        let files = try FileManager.default.contentsOfDirectory(atPath: cache.folder + "/openai/ab")
        #expect(files == [hash + ".json"])
        let body = LLMCache.Entry(status: 200, contentType: "application/json", body: Array("{\"ok\":true}".utf8))
        try cache.write(body, provider: "openai", api: .chatCompletions, model: "m", hash: hash, request: .null)
        #expect(cache.read(provider: "openai", hash: hash) == body, "a second recording of the same request replaces the first")
        #expect(cache.read(provider: "anthropic", hash: hash) == nil)
    }

    @Test("a damaged recording counts as absent")
    func damagedIsAbsent() throws {
        let cache = LLMCache(folder: Self.folder())
        let hash = String(repeating: "cd", count: 32)
        let path = cache.path(provider: "sim", hash: hash)
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data("{\"status\": 200".utf8).write(to: URL(fileURLWithPath: path))
        #expect(cache.read(provider: "sim", hash: hash) == nil)
    }
}
