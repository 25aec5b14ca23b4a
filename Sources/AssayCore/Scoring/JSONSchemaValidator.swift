/// Validates JSON values against a JSON Schema using the common keywords of draft 2020-12
/// (https://json-schema.org/draft/2020-12/json-schema-validation):
///
/// - any value: `type` (including `integer`: a number with no fractional part, so `1.0` counts),
///   `enum`, `const`, `allOf`, `anyOf`, `oneOf`, `not`, `$ref`;
/// - numbers: `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum` (numbers, as in 2020-12),
///   `multipleOf`;
/// - strings: `minLength`, `maxLength` (in Unicode code points), `pattern` (Swift regex syntax, searched
///   anywhere in the string);
/// - arrays: `prefixItems`, `items` (an array of schemas is read as draft-07's tuple form), `minItems`,
///   `maxItems`, `uniqueItems`, `contains`;
/// - objects: `properties`, `patternProperties`, `additionalProperties` (boolean or schema),
///   `required`, `minProperties`, `maxProperties`, `propertyNames`.
///
/// `$ref` resolves JSON pointers within the schema (`#`, `#/$defs/name`, `#/definitions/name`); remote
/// references are rejected when the validator is created. Other keywords (`format`, `title`, ...) are
/// annotations and ignored. Violations name the failing value with a JSON pointer (`/items/0/price`).
package struct JSONSchemaValidator: Sendable {
    /// The schema.
    package let schema: JSONValue

    /// Checks the schema's keywords (types, shapes, patterns, references); throws the first problem
    /// with its JSON pointer in the schema.
    package init(schema: JSONValue) throws(AssayError) {
        self.schema = schema
        try check(schema, at: "")
    }

    /// The violations of `instance`, at most `limit` of them, in document order; empty when valid.
    ///
    /// A `$ref` cycle that comes back to the same schema at the same place in the instance (a recursive
    /// schema that never descends into the value) would never end: it is reported alone, as one
    /// violation with the keyword `$ref`.
    package func validate(_ instance: JSONValue, limit: Int = 20) -> [JSONSchemaViolation] {
        let run = JSONSchemaValidation(root: schema, limit: max(limit, 1))
        run.validate(instance, against: schema, at: "", depth: 0)
        if let cycle = run.cycle { return [cycle] }
        return run.violations
    }

    /// The schema at a `#...` JSON pointer reference, when it exists.
    static func resolve(_ reference: String, in root: JSONValue) -> JSONValue? {
        locate(reference, in: root)?.schema
    }

    /// The schema at a `#...` JSON pointer reference and its canonical pointer (`#/items/1` for `#/items/01`),
    /// which names the place however the reference spells it.
    static func locate(_ reference: String, in root: JSONValue) -> (schema: JSONValue, pointer: String)? {
        guard reference.hasPrefix("#") else { return nil }
        let pointer = reference.dropFirst()
        if pointer.isEmpty { return (root, "#") }
        guard pointer.hasPrefix("/") else { return nil }
        var current = root
        var canonical = "#"
        for raw in pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            let token = raw.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            if let list = current.elements {
                guard let i = Int(token), list.indices.contains(i) else { return nil }
                current = list[i]
                canonical += "/\(i)"
            } else if let next = current[token] {
                current = next
                canonical += "/" + JSONSchemaValidation.escape(token)
            } else {
                return nil
            }
        }
        return (current, canonical)
    }

    private static let types: Set<String> = ["null", "boolean", "object", "array", "number", "string", "integer"]
    private static let schemaKeywords: Set<String> = ["items", "additionalProperties", "not", "contains", "propertyNames"]
    private static let schemaListKeywords: Set<String> = ["prefixItems", "allOf", "anyOf", "oneOf"]
    private static let schemaMapKeywords: Set<String> = ["properties", "patternProperties", "$defs", "definitions"]
    private static let countKeywords: Set<String> = ["minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"]
    private static let numberKeywords: Set<String> = ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"]

    private func check(_ s: JSONValue, at pointer: String) throws(AssayError) {
        if case .bool = s { return }
        guard case .object = s else { throw AssayError.setting(place: "schema", field: pointer, problem: "a schema is an object or a boolean, got \(s.typeName)") }
        for (key, value) in s.uniqueMembers.sorted(by: { $0.key < $1.key }) {
            let here = pointer + "/" + JSONSchemaValidation.escape(key)
            func fail(_ message: String) -> AssayError { AssayError.setting(place: "schema", field: here, problem: message) }
            if Self.schemaKeywords.contains(key) {
                if key == "items", let list = value.elements {
                    for (i, e) in list.enumerated() { try check(e, at: here + "/\(i)") }
                } else {
                    try check(value, at: here)
                }
            } else if Self.schemaListKeywords.contains(key) {
                guard let list = value.elements, !list.isEmpty else { throw fail("expected a non-empty array of schemas") }
                for (i, e) in list.enumerated() { try check(e, at: here + "/\(i)") }
            } else if Self.schemaMapKeywords.contains(key) {
                guard case .object = value else { throw fail("expected an object of schemas") }
                for (name, sub) in value.uniqueMembers.sorted(by: { $0.key < $1.key }) {
                    if key == "patternProperties" {
                        do throws(AssayError) { _ = try RegexPattern(name) } catch { throw fail("invalid pattern \(Quote.short(name)): \(error.problem)") }
                    }
                    try check(sub, at: here + "/" + JSONSchemaValidation.escape(name))
                }
            } else if Self.countKeywords.contains(key) {
                guard let d = value.doubleValue, d >= 0, d == d.rounded() else { throw fail("expected a non-negative integer") }
            } else if Self.numberKeywords.contains(key) {
                guard let d = value.doubleValue, d.isFinite else { throw fail("expected a number") }
                if key == "multipleOf", d <= 0 { throw fail("expected a number above 0") }
            } else {
                switch key {
                case "type":
                    let names = value.string.map { [$0] } ?? value.elements?.compactMap(\.string) ?? []
                    guard !names.isEmpty, names.count == (value.elements?.count ?? 1), names.allSatisfy(Self.types.contains) else {
                        throw fail("expected a type name or an array of them (\(Self.types.sorted().joined(separator: ", ")))")
                    }
                case "enum":
                    guard value.elements != nil else { throw fail("expected an array") }
                case "required":
                    guard let list = value.elements, list.allSatisfy({ $0.string != nil }) else { throw fail("expected an array of strings") }
                case "pattern":
                    guard let p = value.string else { throw fail("expected a string") }
                    do throws(AssayError) { _ = try RegexPattern(p) } catch { throw fail("invalid pattern: \(error.problem)") }
                case "uniqueItems":
                    guard case .bool = value else { throw fail("expected true or false") }
                case "$ref":
                    guard let ref = value.string else { throw fail("expected a string") }
                    guard Self.resolve(ref, in: schema) != nil else {
                        throw fail("cannot resolve \(Quote.short(ref)) (only references within the schema, such as #/$defs/name, are supported)")
                    }
                default: continue
                }
            }
        }
    }
}


/// One way a value fails a schema.
package struct JSONSchemaViolation: Sendable, Hashable, CustomStringConvertible {
    /// The failing value's JSON pointer in the instance, empty for the root.
    package var instancePath: String
    /// The keyword that failed, e.g. `required`.
    package var keyword: String
    /// What is wrong, without quoting the value's text.
    package var message: String

    /// `/items/0/price: minimum: expected at least 0, got -1`.
    package var description: String { (instancePath.isEmpty ? "(root)" : instancePath) + ": " + keyword + ": " + message }
}
