/// One validation run of `JSONSchemaValidator`: walks the instance and the schema together and
/// collects violations up to a limit. Not shared between tasks.
final class JSONSchemaValidation {
    let root: JSONValue
    private(set) var violations: [JSONSchemaViolation] = []
    private var limit: Int
    private var regexes: [String: Regex<AnyRegexOutput>] = [:]
    /// How deep `$ref`s and applicators may nest.
    static let maxDepth = 128
    /// The `$ref`s being followed, by (canonical schema pointer, instance pointer): meeting one again is a
    /// reference cycle that consumes none of the instance and would never end.
    private var following: Set<RefVisit> = []
    /// What following a `$ref` produced, by (canonical schema pointer, instance pointer, depth), so that
    /// references that fan out (`oneOf` of two references, each to a schema that does the same) cost
    /// each reference at each place once instead of exponentially often.
    private var followed: [RefVisit: Outcome] = [:]
    private var references: [String: (schema: JSONValue, pointer: String)?] = [:]
    /// The reference cycle met, if any: a problem of the schema that ends the run.
    private(set) var cycle: JSONSchemaViolation?

    private struct RefVisit: Hashable {
        var pointer: String
        var at: String
        var depth: Int
    }

    /// The violations one `$ref` produced; `complete` is false when the limit cut them short.
    private struct Outcome {
        var violations: [JSONSchemaViolation]
        var complete: Bool
    }

    init(root: JSONValue, limit: Int) {
        self.root = root
        self.limit = limit
    }

    /// A JSON pointer token for `key` (`~` and `/` escaped).
    static func escape(_ key: String) -> String {
        key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    private func fail(_ at: String, _ keyword: String, _ message: String) {
        if violations.count < limit { violations.append(JSONSchemaViolation(instancePath: at, keyword: keyword, message: message)) }
    }

    private var full: Bool { violations.count >= limit || cycle != nil }

    /// Whether `instance` satisfies `schema`, leaving no violations behind.
    private func isValid(_ instance: JSONValue, _ schema: JSONValue, at: String, depth: Int) -> Bool {
        let before = violations.count, savedLimit = limit
        limit = before + 1
        validate(instance, against: schema, at: at, depth: depth)
        let ok = violations.count == before
        violations.removeSubrange(before...)
        limit = savedLimit
        return ok
    }

    private func regex(_ source: String) -> Regex<AnyRegexOutput>? {
        if let r = regexes[source] { return r }
        let r = try? Regex(source)
        regexes[source] = r
        return r
    }

    func validate(_ instance: JSONValue, against schema: JSONValue, at: String, depth: Int) {
        if full { return }
        if case .bool(let allowed) = schema {
            if !allowed { fail(at, "false", "no value is allowed here") }
            return
        }
        guard depth < Self.maxDepth else { return fail(at, "$ref", "the schema nests deeper than \(Self.maxDepth) levels") }
        let s = schema.uniqueMembers
        if let ref = s["$ref"]?.string { follow(ref, instance, at: at, depth: depth + 1) }
        validateGeneric(instance, s, at: at, depth: depth)
        switch instance {
        case .number(let text): validateNumber(text, s, at: at)
        case .string(let text): validateString(text, s, at: at)
        case .array(let items, _): validateArray(items, s, at: at, depth: depth)
        case .object: validateObject(instance.uniqueMembers, s, at: at, depth: depth)
        case .null, .bool: break
        }
    }

    /// Validates `instance` against the schema `ref` points to, once per (schema, place, depth).
    private func follow(_ ref: String, _ instance: JSONValue, at: String, depth: Int) {
        if references[ref] == nil { references[ref] = .some(JSONSchemaValidator.locate(ref, in: root)) }
        guard let (target, pointer) = references[ref] ?? nil else { return }
        let visit = RefVisit(pointer: pointer, at: at, depth: depth)
        let place = RefVisit(pointer: pointer, at: at, depth: 0)
        guard !following.contains(place) else {
            cycle = JSONSchemaViolation(instancePath: at, keyword: "$ref", message: "the schema refers back to \(Quote.short(pointer)) "
                + "without going into the value, so validation would never end; a recursive schema must descend into the value "
                + "(through properties, items and the like) before it refers back")
            return
        }
        let before = violations.count
        if let known = followed[visit], known.complete || known.violations.count >= limit - before {
            for v in known.violations { fail(v.instancePath, v.keyword, v.message) }
            return
        }
        following.insert(place)
        validate(instance, against: target, at: at, depth: depth)
        following.remove(place)
        if cycle == nil { followed[visit] = Outcome(violations: Array(violations[before...]), complete: violations.count < limit) }
    }

    private func validateGeneric(_ instance: JSONValue, _ s: [String: JSONValue], at: String, depth: Int) {
        if let type = s["type"] {
            let names = type.string.map { [$0] } ?? type.elements?.compactMap(\.string) ?? []
            if !names.contains(where: { Self.hasType(instance, $0) }) {
                fail(at, "type", "expected \(names.joined(separator: " or ")), got \(instance.typeName)")
            }
        }
        if let options = s["enum"]?.elements, !options.contains(where: instance.semanticallyEquals) {
            fail(at, "enum", "not one of the \(options.count) allowed values")
        }
        if let c = s["const"], !instance.semanticallyEquals(c) { fail(at, "const", "not the required value") }
        for sub in s["allOf"]?.elements ?? [] { validate(instance, against: sub, at: at, depth: depth + 1) }
        if let options = s["anyOf"]?.elements, !options.contains(where: { isValid(instance, $0, at: at, depth: depth + 1) }) {
            fail(at, "anyOf", "matches none of the \(options.count) schemas")
        }
        if let options = s["oneOf"]?.elements {
            let n = options.filter { isValid(instance, $0, at: at, depth: depth + 1) }.count
            if n != 1 { fail(at, "oneOf", "matches \(n) of the \(options.count) schemas, expected exactly one") }
        }
        if let not = s["not"], isValid(instance, not, at: at, depth: depth + 1) { fail(at, "not", "matches a schema it must not") }
    }

    static func hasType(_ v: JSONValue, _ name: String) -> Bool {
        switch (v, name) {
        case (.number(let n), "integer"): JSONNumber.isIntegerLiteral(n) || JSONNumber.double(n).map { $0.isFinite && $0 == $0.rounded() } ?? false
        default: v.typeName == name
        }
    }

    private func validateNumber(_ text: String, _ s: [String: JSONValue], at: String) {
        guard let x = JSONNumber.double(text) else { return }
        let checks: [(String, (Double, Double) -> Bool, String)] = [
            ("minimum", { $0 >= $1 }, "at least"), ("maximum", { $0 <= $1 }, "at most"),
            ("exclusiveMinimum", { $0 > $1 }, "above"), ("exclusiveMaximum", { $0 < $1 }, "below"),
        ]
        for (keyword, ok, words) in checks {
            if let bound = s[keyword]?.doubleValue, !ok(x, bound) {
                fail(at, keyword, "expected \(words) \(bound.formatted), got \(x.formatted)")
            }
        }
        if case .number(let m)? = s["multipleOf"], !Self.isMultiple(text, of: m) {
            fail(at, "multipleOf", "expected a multiple of \(m)")
        }
    }

    /// Exact for integers that fit 64 bits, else within a relative 1e-9 of a whole quotient; never traps.
    ///
    /// A `$ref` can reach a `multipleOf` that the schema check never saw (under `enum`, `const` or an
    /// unknown keyword), so any number may arrive here: the integers are compared by magnitude
    /// (`Int64.min % -1` overflows), and zero or a non-finite divisor is a multiple of nothing.
    static func isMultiple(_ text: String, of m: String) -> Bool {
        if let a = Int64(text), let b = Int64(m) { return b != 0 && a.magnitude % b.magnitude == 0 }
        guard let x = JSONNumber.double(text), let y = JSONNumber.double(m), y != 0, x.isFinite, y.isFinite else { return false }
        let q = x / y
        guard q.isFinite else { return false }
        return abs(q - q.rounded()) <= 1e-9 * max(1, abs(q))
    }

    private func validateString(_ text: String, _ s: [String: JSONValue], at: String) {
        let length = text.unicodeScalars.count
        if let min = s["minLength"]?.doubleValue, Double(length) < min { fail(at, "minLength", "expected at least \(min.formatted) characters, got \(length)") }
        if let max = s["maxLength"]?.doubleValue, Double(length) > max { fail(at, "maxLength", "expected at most \(max.formatted) characters, got \(length)") }
        if let p = s["pattern"]?.string, let r = regex(p), (try? r.firstMatch(in: text)) == nil {
            fail(at, "pattern", "does not match \(Quote.short(p))")
        }
    }

    private func validateArray(_ items: [JSONValue], _ s: [String: JSONValue], at: String, depth: Int) {
        if let min = s["minItems"]?.doubleValue, Double(items.count) < min { fail(at, "minItems", "expected at least \(min.formatted) items, got \(items.count)") }
        if let max = s["maxItems"]?.doubleValue, Double(items.count) > max { fail(at, "maxItems", "expected at most \(max.formatted) items, got \(items.count)") }
        if case .bool(true)? = s["uniqueItems"] {
            var seen: [String: Int] = [:]
            for (i, item) in items.enumerated() {
                if let first = seen.updateValue(i, forKey: item.canonicalJSON) {
                    fail(at, "uniqueItems", "items \(first) and \(i) are equal")
                    break
                }
            }
        }
        let prefix = s["prefixItems"]?.elements ?? (s["items"]?.elements ?? [])
        for (i, sub) in prefix.enumerated() where i < items.count {
            validate(items[i], against: sub, at: at + "/\(i)", depth: depth + 1)
        }
        if let rest = s["items"], rest.elements == nil {
            for i in prefix.count..<max(prefix.count, items.count) { validate(items[i], against: rest, at: at + "/\(i)", depth: depth + 1) }
        }
        if let c = s["contains"], !items.enumerated().contains(where: { isValid($1, c, at: at + "/\($0)", depth: depth + 1) }) {
            fail(at, "contains", "no item matches the schema")
        }
    }

    private func validateObject(_ members: [String: JSONValue], _ s: [String: JSONValue], at: String, depth: Int) {
        for case .string(let key) in s["required"]?.elements ?? [] where members[key] == nil {
            fail(at, "required", "missing property \(Quote.short(key))")
        }
        if let min = s["minProperties"]?.doubleValue, Double(members.count) < min { fail(at, "minProperties", "expected at least \(min.formatted) properties, got \(members.count)") }
        if let max = s["maxProperties"]?.doubleValue, Double(members.count) > max { fail(at, "maxProperties", "expected at most \(max.formatted) properties, got \(members.count)") }
        let properties = s["properties"]?.uniqueMembers ?? [:]
        let patterns = (s["patternProperties"]?.uniqueMembers ?? [:]).sorted { $0.key < $1.key }
        for (key, value) in members.sorted(by: { $0.key < $1.key }) {
            let here = at + "/" + Self.escape(key)
            if let names = s["propertyNames"] { validate(.string(key), against: names, at: here, depth: depth + 1) }
            var matched = false
            if let sub = properties[key] { matched = true; validate(value, against: sub, at: here, depth: depth + 1) }
            for (pattern, sub) in patterns {
                if let r = regex(pattern), (try? r.firstMatch(in: key)) != nil { matched = true; validate(value, against: sub, at: here, depth: depth + 1) }
            }
            if !matched, let extra = s["additionalProperties"] {
                if case .bool(false) = extra { fail(here, "additionalProperties", "property not allowed") } else {
                    validate(value, against: extra, at: here, depth: depth + 1)
                }
            }
        }
    }
}
