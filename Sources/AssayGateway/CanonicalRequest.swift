package import AssayCore

/// The content address of a request: provider, upstream model and the request's canonical JSON
/// (keys sorted at every level, no spaces, numbers as written), hashed with SHA-256.
package enum CanonicalRequest {
    /// The hex SHA-256 of the request for `provider` sent to `model`. The request's `model` member is
    /// the upstream model already (after rewriting).
    package static func hash(provider: String, api: ProviderAPI, model: String, request: JSONValue) -> String {
        var w = JSONWriter(capacity: 1024)
        write(request, to: &w)
        var sha = SHA256()
        sha.update("assay-llm-cache/1\n\(provider)\n\(api.rawValue)\n\(model)\n")
        sha.update(w.bytes)
        return sha.finalize().map { String($0, radix: 16).leftPadded(2) }.joined()
    }

    /// Canonical JSON text of a value.
    package static func text(_ value: JSONValue) -> String {
        var w = JSONWriter(capacity: 256)
        write(value, to: &w)
        return String(decoding: w.bytes, as: UTF8.self)
    }

    static func write(_ value: JSONValue, to w: inout JSONWriter) {
        switch value {
        case .array(let values, _):
            w.byte(UInt8(ascii: "["))
            for (i, v) in values.enumerated() {
                if i > 0 { w.byte(UInt8(ascii: ",")) }
                write(v, to: &w)
            }
            w.byte(UInt8(ascii: "]"))
        case .object(let members, _):
            // Duplicate keys: the last one wins, as lookups do.
            var last: [String: JSONValue] = [:]
            for m in members { last[m.key] = m.value }
            w.byte(UInt8(ascii: "{"))
            for (i, key) in last.keys.sorted().enumerated() {
                if i > 0 { w.byte(UInt8(ascii: ",")) }
                w.string(key)
                w.byte(UInt8(ascii: ":"))
                write(last[key]!, to: &w)
            }
            w.byte(UInt8(ascii: "}"))
        default:
            value.write(to: &w)
        }
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
