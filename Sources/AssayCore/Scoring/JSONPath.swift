/// A JSONPath of the simple kind that names one value: `$`, then any of `.name`, `["name"]` or
/// `['name']`, and `[index]` (a negative index counts from the end, `[-1]` is the last element).
/// Wildcards, slices, filters and recursive descent are not supported.
///
/// ```swift
/// let path = try JSONPath("$.answer.items[0][\"unit price\"]")
/// let value = path.value(in: document)
/// ```
package struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    /// One step of a path.
    package enum Component: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    /// The steps from the root.
    package let components: [Component]
    /// The source text.
    package let description: String

    /// Parses a path; throws a message naming the offending position.
    package init(_ text: String) throws(AssayError) {
        description = text
        var chars = Array(text)[...]
        guard chars.first == "$" else { throw AssayError.setting(place: "JSONPath", problem: "a path starts with $") }
        chars = chars.dropFirst()
        var out: [Component] = []
        func position() -> Int { text.count - chars.count }
        while let c = chars.first {
            if c == "." {
                chars = chars.dropFirst()
                let name = chars.prefix(while: { $0 != "." && $0 != "[" })
                guard !name.isEmpty else { throw AssayError.setting(place: "JSONPath", problem: "expected a member name at character \(position() + 1)") }
                guard !name.contains("*") else { throw AssayError.setting(place: "JSONPath", problem: "wildcards are not supported") }
                out.append(.key(String(name)))
                chars = chars.dropFirst(name.count)
            } else if c == "[" {
                chars = chars.dropFirst()
                if let quote = chars.first, quote == "\"" || quote == "'" {
                    chars = chars.dropFirst()
                    var name = ""
                    while let d = chars.first, d != quote {
                        chars = chars.dropFirst()
                        if d == "\\", let escaped = chars.first { name.append(escaped); chars = chars.dropFirst() } else { name.append(d) }
                    }
                    guard chars.first == quote, chars.dropFirst().first == "]" else {
                        throw AssayError.setting(place: "JSONPath", problem: "unterminated quoted name at character \(position() + 1)")
                    }
                    chars = chars.dropFirst(2)
                    out.append(.key(name))
                } else {
                    let digits = chars.prefix(while: { $0 != "]" })
                    guard chars.dropFirst(digits.count).first == "]", let n = Int(String(digits)) else {
                        throw AssayError.setting(place: "JSONPath", problem: "expected an index or a quoted name at character \(position() + 1)")
                    }
                    chars = chars.dropFirst(digits.count + 1)
                    out.append(.index(n))
                }
            } else {
                throw AssayError.setting(place: "JSONPath", problem: "unexpected \(Quote.short(String(c))) at character \(position() + 1)")
            }
        }
        components = out
    }

    /// The value the path names in `root`, or nil when a member or element is missing.
    package func value(in root: JSONValue) -> JSONValue? {
        var current = root
        for component in components {
            switch component {
            case .key(let name):
                guard let next = current[name] else { return nil }
                current = next
            case .index(let i):
                guard let list = current.elements else { return nil }
                let j = i < 0 ? list.count + i : i
                guard list.indices.contains(j) else { return nil }
                current = list[j]
            }
        }
        return current
    }
}
