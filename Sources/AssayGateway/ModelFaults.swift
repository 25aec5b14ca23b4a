import AssayCore
import Foundation
import Hummingbird
import HTTPTypes
import NIOCore

/// What the gateway answers instead of a model call that a fault plan hits (docs/resilience.md).
enum ModelFaults {
    /// The `Retry-After` a 429 gets when its plan gives none, seconds.
    static let defaultRetryAfter = 1.0

    /// A completion with no content, in the API's shape.
    static func emptyBody(_ api: ProviderAPI, model: String) -> JSONValue {
        let text: String = switch api {
        case .chatCompletions:
            #"{"id":"chatcmpl-assay-fault","object":"chat.completion","created":0,"model":"\#(model)","choices":[{"index":0,"message":{"role":"assistant","content":""},"finish_reason":"stop"}],"usage":{"prompt_tokens":0,"completion_tokens":0,"total_tokens":0}}"#
        case .responses:
            #"{"id":"resp_assay_fault","object":"response","created_at":0,"status":"completed","model":"\#(model)","output":[],"usage":{"input_tokens":0,"output_tokens":0,"total_tokens":0}}"#
        case .embeddings:
            #"{"object":"list","data":[],"model":"\#(model)","usage":{"prompt_tokens":0,"total_tokens":0}}"#
        case .messages:
            #"{"id":"msg_assay_fault","type":"message","role":"assistant","model":"\#(model)","content":[],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":0,"output_tokens":0}}"#
        }
        return (try? JSONValue.parse(text)) ?? .null
    }

    /// The bytes of a malformed answer: a 200 that is not the JSON (or the events) the client expects.
    static let malformed = Array("{\"id\": \"assay-fault-malformed\", \"choices\": [".utf8)

    /// An injected error status in the provider's error shape; a 429 carries `Retry-After`. The SDKs
    /// retry it (no `x-should-retry: false`), as they would a real one.
    static func status(_ api: ProviderAPI, _ code: Int, retryAfter: Double?) -> Response {
        var h = HTTPFields()
        h[.contentType] = "application/json"
        if let r = retryAfter { h[HTTPField.Name("retry-after")!] = seconds(r) }
        let (type, message): (String, String) = switch code {
        case 429: (api.family == .anthropic ? "rate_limit_error" : "rate_limit_exceeded", "assay fault: rate limited; retry after \(seconds(retryAfter ?? 0)) s")
        case 529: ("overloaded_error", "assay fault: overloaded")
        case 500...: (api.family == .anthropic ? "api_error" : "server_error", "assay fault: the provider failed (HTTP \(code))")
        default: ("invalid_request_error", "assay fault: HTTP \(code)")
        }
        return Response(status: .init(code: code), headers: h, body: .init(byteBuffer: ByteBuffer(bytes: ProviderErrorBody.bytes(api, type: type, message: message))))
    }

    /// Seconds as `Retry-After` writes them: whole seconds without a fraction.
    static func seconds(_ s: Double) -> String { s == s.rounded() ? String(Int(s)) : String(s) }
}
