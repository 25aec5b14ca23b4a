@testable import AssayEval
import Synchronization

/// A transport that answers from a script, for failures a real server cannot easily produce.
final class ScriptedTransport: JudgeTransport {
    private let script: Mutex<[Result<JudgeHTTPResponse, EvalError>]>
    private let count = Mutex(0)

    init(_ script: [Result<JudgeHTTPResponse, EvalError>]) { self.script = Mutex(script) }

    /// How many requests were sent.
    var sent: Int { count.withLock { $0 } }

    func send(_ request: JudgeHTTPRequest) async throws(EvalError) -> JudgeHTTPResponse {
        count.withLock { $0 += 1 }
        let next = script.withLock { $0.isEmpty ? .failure(.judgeConnection("script exhausted")) : $0.removeFirst() }
        return try next.get()
    }

    /// A 200 chat completion whose message content is `content`.
    static func chat(_ content: String) -> JudgeHTTPResponse {
        let escaped = content.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return JudgeHTTPResponse(status: 200, body: Array(#"{"model":"m","choices":[{"message":{"role":"assistant","content":"\#(escaped)"}}]}"#.utf8))
    }
}
