/// A few hundred bytes of YAML whose anchors each hold ten aliases of the previous one, eight levels
/// deep: 10^8 values once expanded.
public enum YAMLBomb {
    /// The YAML text: a sequence item per anchor, starting on a new line.
    public static let text: String = {
        var lines = ["  - &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        for i in 1...8 {
            lines.append("  - &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]")
        }
        return "\n" + lines.joined(separator: "\n")
    }()
}
