/// A parsed JSON value as the OTLP/JSON reader needs it.
///
/// Numbers keep their source text so that 64-bit integers are never read through `Double`.
/// Objects keep their members in order, duplicates included (a lookup takes the last one, as most
/// JSON readers do). Objects and arrays carry the 1-based line they start on, for error messages.
package indirect enum JSONValue: Sendable {
    case null
    case bool(Bool)
    /// The number's source text, e.g. `"-12"`, `"1.5e3"`, or `"NaN"` for the bare token some encoders write.
    case number(String)
    case string(String)
    case array([JSONValue], line: Int32)
    case object([JSONMember], line: Int32)
}

/// One member of a JSON object, with the line its key is on.
package struct JSONMember: Sendable {
    package var key: String
    package var value: JSONValue
    package var line: Int32

    package init(key: String, value: JSONValue, line: Int32) {
        self.key = key
        self.value = value
        self.line = line
    }
}
