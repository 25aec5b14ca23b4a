import Testing
@testable import AssayCore

struct JSONSchemaValidatorTests {
    static func violations(_ schema: String, _ instance: String) throws -> [String] {
        try JSONSchemaValidator(schema: .parsed(schema)).validate(.parsed(instance)).map(\.description)
    }

    @Test("keywords accept and reject values", arguments: [
        (#"{"type": "integer"}"#, "3", true), (#"{"type": "integer"}"#, "3.0", true), (#"{"type": "integer"}"#, "3.5", false),
        (#"{"type": ["string", "null"]}"#, "null", true), (#"{"type": "number"}"#, #""3""#, false),
        (#"{"enum": [1, "a"]}"#, "1.0", true), (#"{"const": {"a": 1}}"#, #"{"a": 1}"#, true), (#"{"const": 2}"#, "3", false),
        (#"{"minimum": 0, "exclusiveMaximum": 10}"#, "10", false), (#"{"exclusiveMinimum": 0}"#, "0", false),
        (#"{"multipleOf": 0.1}"#, "0.3", true), (#"{"multipleOf": 3}"#, "10", false),
        (#"{"minLength": 2, "maxLength": 3}"#, #""日本""#, true), (#"{"maxLength": 1}"#, #""é""#, true),
        (#"{"pattern": "^[a-z]+$"}"#, #""abc""#, true), (#"{"pattern": "^[a-z]+$"}"#, #""ab1""#, false),
        (#"{"minItems": 1, "maxItems": 2}"#, "[]", false), (#"{"uniqueItems": true}"#, "[1, 1.0]", false),
        (#"{"prefixItems": [{"type": "string"}], "items": {"type": "integer"}}"#, #"["a", 1, 2]"#, true),
        (#"{"prefixItems": [{"type": "string"}], "items": false}"#, #"["a", 1]"#, false),
        (#"{"contains": {"type": "string"}}"#, "[1, 2]", false),
        (#"{"required": ["a"], "properties": {"a": {"type": "string"}}}"#, #"{"a": "x"}"#, true),
        (#"{"properties": {"a": true}, "additionalProperties": false}"#, #"{"a": 1, "b": 2}"#, false),
        (#"{"additionalProperties": {"type": "integer"}}"#, #"{"a": 1, "b": 2}"#, true),
        (#"{"patternProperties": {"^x-": {"type": "string"}}, "additionalProperties": false}"#, #"{"x-a": "s"}"#, true),
        (#"{"anyOf": [{"type": "string"}, {"type": "integer"}]}"#, "true", false),
        (#"{"oneOf": [{"minimum": 0}, {"maximum": 10}]}"#, "5", false), (#"{"oneOf": [{"minimum": 0}, {"maximum": 10}]}"#, "50", true),
        (#"{"allOf": [{"minimum": 0}, {"maximum": 10}]}"#, "11", false), (#"{"not": {"type": "null"}}"#, "null", false),
        (##"{"$defs": {"pos": {"minimum": 0}}, "items": {"$ref": "#/$defs/pos"}}"##, "[1, -1]", false),
        (##"{"definitions": {"s": {"type": "string"}}, "$ref": "#/definitions/s"}"##, ##""ok""##, true),
        ("true", "{}", true), ("false", "{}", false),
        (#"{"minProperties": 1}"#, "{}", false), (#"{"propertyNames": {"maxLength": 2}}"#, #"{"abc": 1}"#, false),
    ] as [(String, String, Bool)])
    func keyword(schema: String, instance: String, valid: Bool) throws {
        #expect(try Self.violations(schema, instance).isEmpty == valid)
    }

    @Test("violations carry the failing value's JSON pointer")
    func pointers() throws {
        let schema = #"{"properties": {"items": {"items": {"required": ["price"], "properties": {"a/b": {"type": "string"}}}}}}"#
        let v = try Self.violations(schema, #"{"items": [{"price": 1}, {"a/b": 2}]}"#)
        #expect(v == ["/items/1: required: missing property \"price\"", "/items/1/a~1b: type: expected string, got number"])
    }

    @Test("a recursive schema validates nested values, and a reference cycle ends")
    func recursion() throws {
        let tree = ##"{"$defs": {"node": {"type": "object", "properties": {"children": {"type": "array", "items": {"$ref": "#/$defs/node"}}}}}, "$ref": "#/$defs/node"}"##
        #expect(try Self.violations(tree, #"{"children": [{"children": []}, {"children": [3]}]}"#) == ["/children/1/children/0: type: expected object, got number"])
        #expect(try !Self.violations(##"{"$ref": "#"}"##, "1").isEmpty)
    }

    @Test("multipleOf never traps, whatever the number and divisor a $ref reaches", arguments: [
        // The schema check skips unknown keywords, so a $ref can reach a negative, zero or huge multipleOf.
        (##"{"x": {"multipleOf": -1}, "$ref": "#/x"}"##, "-9223372036854775808", true),
        (##"{"x": {"multipleOf": -1}, "$ref": "#/x"}"##, "9223372036854775807", true),
        (##"{"x": {"multipleOf": -9223372036854775808}, "$ref": "#/x"}"##, "-9223372036854775808", true),
        (##"{"x": {"multipleOf": -9223372036854775808}, "$ref": "#/x"}"##, "-1", false),
        (##"{"x": {"multipleOf": 0}, "$ref": "#/x"}"##, "-9223372036854775808", false),
        (##"{"x": {"multipleOf": 0.0}, "$ref": "#/x"}"##, "0", false),
        (##"{"x": {"multipleOf": -2.5}, "$ref": "#/x"}"##, "-5", true),
        (##"{"x": {"multipleOf": 1e-320}, "$ref": "#/x"}"##, "1e300", false),
        (##"{"x": {"multipleOf": 1e308}, "$ref": "#/x"}"##, "-1e308", true),
        (##"{"x": {"multipleOf": 3}, "$ref": "#/x"}"##, "-9223372036854775808", false),
        (##"{"x": {"multipleOf": 2}, "$ref": "#/x"}"##, "-9223372036854775808", true),
        (##"{"x": {"multipleOf": 2}, "$ref": "#/x"}"##, "1e400", false),
    ] as [(String, String, Bool)])
    func multipleOfNeverTraps(schema: String, instance: String, valid: Bool) throws {
        #expect(try Self.violations(schema, instance).isEmpty == valid)
    }

    @Test("a reference cycle that never descends into the value is a clear schema error, found at once", arguments: [
        ##"{"oneOf": [{"$ref": "#"}, {"$ref": "#"}]}"##,
        ##"{"anyOf": [{"$ref": "#"}, {"$ref": "#"}, {"$ref": "#"}]}"##,
        ##"{"not": {"oneOf": [{"$ref": "#"}, {"not": {"$ref": "#"}}]}}"##,
        ##"{"$defs": {"a": {"oneOf": [{"$ref": "#/$defs/b"}, {"$ref": "#/$defs/b"}]}, "b": {"anyOf": [{"$ref": "#/$defs/a"}, {"$ref": "#/$defs/a"}]}}, "$ref": "#/$defs/a"}"##,
        ##"{"allOf": [{"$ref": "#/allOf/01"}, {"$ref": "#/allOf/1"}]}"##,
    ])
    func referenceCycle(schema: String) throws {
        let started = ContinuousClock.now
        let v = try Self.violations(schema, "1")
        #expect(ContinuousClock.now - started < .seconds(2))
        #expect(v.count == 1 && v[0].hasPrefix("(root): $ref: the schema refers back to \"#") && v[0].contains("never end"), "\(v)")
    }

    @Test("references that fan out without a cycle cost each place once, not exponentially")
    func fanOut() throws {
        // 40 definitions, each applying the next twice: 2^40 paths through the references.
        func chain(_ applicator: String) -> String {
            var defs: [String] = []
            for i in 0..<40 { defs.append(##""d\##(i)": {"\##(applicator)": [{"$ref": "#/$defs/d\##(i + 1)"}, {"allOf": [{"$ref": "#/$defs/d\##(i + 1)"}]}]}"##) }
            defs.append(##""d40": {"type": "integer"}"##)
            return ##"{"$defs": {"## + defs.joined(separator: ", ") + ##"}, "$ref": "#/$defs/d0"}"##
        }
        let started = ContinuousClock.now
        #expect(try Self.violations(chain("anyOf"), #""s""#) == ["(root): anyOf: matches none of the 2 schemas"])
        #expect(try Self.violations(chain("allOf"), "1").isEmpty)
        #expect(ContinuousClock.now - started < .seconds(2))
        // A recursive schema that does descend into the value is no cycle.
        let list = ##"{"anyOf": [{"type": "integer"}, {"type": "array", "items": {"$ref": "#"}}]}"##
        #expect(try Self.violations(list, "[1, [2, [3, []]], [[[4]]]]").isEmpty)
        #expect(try Self.violations(list, #"[1, ["x"]]"#) == ["(root): anyOf: matches none of the 2 schemas"])
    }

    @Test("violations stop at the limit")
    func limit() throws {
        let v = try JSONSchemaValidator(schema: .parsed(#"{"items": {"type": "string"}}"#)).validate(.parsed("[" + Array(repeating: "1", count: 100).joined(separator: ",") + "]"), limit: 5)
        #expect(v.count == 5)
    }

    @Test("unusable schemas are rejected with their pointer", arguments: [
        (#"{"type": "text"}"#, "/type"), (#"{"required": "a"}"#, "/required"), (#"{"pattern": "("}"#, "/pattern"),
        (##"{"$ref": "#/$defs/missing"}"##, "/$ref"), (##"{"anyOf": []}"##, "/anyOf"), (##"{"multipleOf": 0}"##, "/multipleOf"),
        ("3", ""), (#"{"properties": {"a": 3}}"#, "/properties/a"),
    ] as [(String, String)])
    func badSchema(schema: String, pointer: String) {
        #expect { try JSONSchemaValidator(schema: .parsed(schema)) } throws: { ($0 as? AssayError)?.field == pointer }
    }
}
