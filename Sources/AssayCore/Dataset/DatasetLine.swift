/// The JSON Lines form of dataset examples: one example per line, keys in a fixed order at the top
/// (`id`, `input`, `expected`, `status`, `components`, `metadata`, `provenance`) and sorted below, so
/// that the same content always gives the same bytes and a change shows as a small diff.
public enum DatasetLine {
    /// The top-level keys, in the order they are written.
    public static let keys = ["id", "input", "expected", "status", "components", "metadata", "provenance"]

    /// The example as one line (without the newline).
    public static func encode(_ e: DatasetExample) -> String {
        var w = JSONWriter(capacity: 512)
        w.raw("{\"id\":")
        w.string(e.id)
        w.raw(",\"input\":")
        e.input.writeCanonical(to: &w)
        w.raw(",\"expected\":")
        (e.expected ?? .null).writeCanonical(to: &w)
        w.raw(",\"status\":")
        w.string(e.status.rawValue)
        w.raw(",\"components\":")
        components(e.components).writeCanonical(to: &w)
        w.raw(",\"metadata\":")
        e.metadata.writeCanonical(to: &w)
        if let p = e.provenance {
            w.raw(",\"provenance\":")
            provenance(p).writeCanonical(to: &w)
        }
        w.byte(UInt8(ascii: "}"))
        return String(decoding: w.bytes, as: UTF8.self)
    }

    /// The line without its promotion times: equal for examples whose content did not change.
    public static func content(_ e: DatasetExample) -> String {
        var copy = e
        copy.provenance?.promotedAt = ""
        copy.provenance?.updatedAt = nil
        return encode(copy)
    }

    static func components(_ c: [String: ComponentCase]) -> JSONValue {
        .object(c.keys.sorted().map { name in
            let k = c[name]!
            var pairs: [(String, JSONValue)] = [("selector", .string(k.selector)), ("expected", k.expected ?? .null),
                                                ("status", .string(k.status.rawValue))]
            if let input = k.input { pairs.append(("input", input)) }
            return (name, .object(pairs))
        })
    }

    static func provenance(_ p: Provenance) -> JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("traceId", .string(p.traceID)), ("spanIds", .array(p.spanIDs.map(JSONValue.string))),
            ("feedbackIds", .array(p.feedbackIDs.map(JSONValue.string))), ("promotedAt", .string(p.promotedAt)),
        ]
        if let u = p.updatedAt { pairs.append(("updatedAt", .string(u))) }
        return .object(pairs)
    }
}
