import Foundation

extension PriceTable {
    /// The fields of an entry that Assay reads; the others (context windows, image and audio prices,
    /// tiers above a context length, batch and priority prices) are ignored.
    static func costField(_ name: String) -> WritableKeyPath<ModelPrice, Double?>? {
        switch name {
        case "input_cost_per_token": \.inputPerToken
        case "output_cost_per_token": \.outputPerToken
        case "cache_read_input_token_cost": \.cacheReadPerToken
        case "cache_creation_input_token_cost": \.cacheWritePerToken
        case "output_cost_per_reasoning_token": \.reasoningPerToken
        default: nil
        }
    }

    /// Parses a table in LiteLLM's format: a JSON object whose keys are model names and whose values
    /// are objects of prices. `sample_spec` (LiteLLM's description of the fields) and unknown fields
    /// are skipped; a price is a number of US dollars per token, 0 or more, or null for none.
    ///
    /// - Parameters:
    ///   - text: the file's text.
    ///   - source: the file's name, for problems and for `ModelPrice.source`.
    /// - Throws: `AssayError.input` with every problem found, each as `file:line: ["model"].field: problem`.
    public static func parse(_ text: String, source: String) throws(AssayError) -> PriceTable {
        let root: JSONValue
        do { root = try JSONValue.parse(text) } catch {
            throw .input(error.inputProblems.map { p in var p = p; p.source = source; return p })
        }
        guard case .object(let members, _) = root else {
            throw .input([InputProblem(source: source, line: 1, message:
                "expected a JSON object of model names to prices (LiteLLM's model_prices_and_context_window.json), got \(kind(root))")])
        }
        var problems: [InputProblem] = []
        var entries: [ModelPrice] = []
        for m in members where m.key != "sample_spec" {
            let path = "[" + JSONWriter.quoted(DisplayFormat.safe(m.key, limit: 100)) + "]"
            func problem(_ line: Int32, _ field: String?, _ message: String) {
                problems.append(InputProblem(source: source, line: Int(line), path: field.map { path + "." + $0 } ?? path, message: message))
            }
            guard !m.key.trimmingCharacters(in: .whitespaces).isEmpty else { problem(m.line, nil, "an empty model name"); continue }
            guard case .object(let fields, _) = m.value else {
                problem(m.line, nil, "expected an object of prices, got \(kind(m.value))"); continue
            }
            var entry = ModelPrice(key: m.key, source: source)
            for f in fields {
                if let field = costField(f.key) {
                    switch f.value {
                    case .null: entry[keyPath: field] = nil
                    case .number(let text) where Double(text).map { $0.isFinite && $0 >= 0 } == true: entry[keyPath: field] = Double(text)
                    default: problem(f.line, f.key, "expected US dollars per token, a number 0 or more, got \(kind(f.value))")
                    }
                } else if f.key == "litellm_provider" || f.key == "mode" {
                    switch f.value {
                    case .string(let s): if f.key == "mode" { entry.mode = s } else { entry.provider = s }
                    case .null: break
                    default: problem(f.line, f.key, "expected a string, got \(kind(f.value))")
                    }
                }
            }
            entries.append(entry)
        }
        if !problems.isEmpty { throw .input(problems) }
        return PriceTable(entries: entries, sources: [source])
    }

    /// The largest price file read: 64 MiB (LiteLLM's whole table is under 4 MB).
    public static let maxFileBytes: UInt64 = 64 << 20

    /// Reads and parses a price file (see `parse(_:source:)`).
    ///
    /// - Throws: `AssayError.notFound` for a missing file, `.file` for one that cannot be read,
    ///   `.input` for its problems.
    public static func load(file path: String) throws(AssayError) -> PriceTable {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .notFound(place: path, problem: "no such price file (a JSON file in LiteLLM's model_prices_and_context_window.json format)")
        }
        // Only a regular file of a sane size: `/dev/zero` or a 10 GB file must not hang or exhaust memory.
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        guard !isDirectory.boolValue, attributes?[.type] as? FileAttributeType == .typeRegular else {
            throw .file(path: path, problem: "not a regular file")
        }
        if let size = (attributes?[.size] as? NSNumber)?.uint64Value, size > maxFileBytes {
            throw .file(path: path, problem: "the file has \(size) bytes, more than a price file's limit of \(maxFileBytes)")
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw .file(path: path, problem: "cannot read the file") }
        guard let text = String(data: data, encoding: .utf8) else { throw .file(path: path, problem: "not UTF-8 text") }
        return try parse(text, source: path)
    }

    /// A value's kind for a message, never its content: numbers as written (a price is not secret).
    private static func kind(_ v: JSONValue) -> String {
        switch v {
        case .null: "null"
        case .bool: "a boolean"
        case .number(let text): DisplayFormat.safe(text, limit: 40)
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
