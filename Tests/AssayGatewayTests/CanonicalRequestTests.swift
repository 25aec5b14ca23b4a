@testable import AssayGateway
import AssayCore
import Testing

@Suite("The gateway's content address")
struct CanonicalRequestTests {
    @Test("key order and spacing do not change a request's hash; its model and content do")
    func hashIgnoresLayout() throws {
        let a = try JSONValue.parse(#"{"model":"m","messages":[{"role":"user","content":"hi"}],"temperature":0}"#)
        let b = try JSONValue.parse(#"{ "temperature":0, "messages":[{"content":"hi","role":"user"}], "model":"m" }"#)
        let c = try JSONValue.parse(#"{"model":"m","messages":[{"role":"user","content":"hello"}],"temperature":0}"#)
        let h = { (v: JSONValue, model: String) in CanonicalRequest.hash(provider: "openai", api: .chatCompletions, model: model, request: v) }
        #expect(h(a, "m") == h(b, "m"))
        #expect(h(a, "m") != h(c, "m"))
        #expect(h(a, "m") != h(a, "n"))
        #expect(h(a, "m").count == 64)
    }
}
