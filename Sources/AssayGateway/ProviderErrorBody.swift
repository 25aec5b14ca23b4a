import AssayCore

/// An error body in the shape the calling API's clients parse, so that the SDK raises it with its
/// message: OpenAI `{"error": {...}}`, Anthropic `{"type": "error", "error": {...}}`.
enum ProviderErrorBody {
    static func bytes(_ api: ProviderAPI, type: String, message: String) -> [UInt8] {
        let body: JSONValue = api.family == .anthropic
            ? .object([("type", .string("error")), ("error", .object([("type", .string(type)), ("message", .string(message))]))])
            : .object([("error", .object([("message", .string(message)), ("type", .string(type)), ("code", .string(type)), ("param", .null)]))])
        return Array(body.compactJSON.utf8)
    }
}
