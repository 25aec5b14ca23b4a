import AssayCore
import FuzzSupport

Fuzz.main(testOneInput)

/// A JSON Schema and an instance, as `{"schema": …, "instance": …}`: the schema is checked
/// (`JSONSchemaValidator(schema:)`, as the `json_schema` scorer does when its file is read) and the
/// instance validated against it (as the scorer does for each output).
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let value = try? JSONCursor.parse(Fuzz.bytes(data, size)), let schema = value["schema"],
          let validator = try? JSONSchemaValidator(schema: schema)
    else { return 0 }
    _ = validator.validate(value["instance"] ?? .null)
    return 0
}
