/// The snapshot suffixes providers put after a model's name, which the price table may not list:
/// OpenAI's `-2024-07-18`, Anthropic's `-20241022`, Vertex AI's `@20240620` (and `@default`,
/// `@latest`), and `-latest` aliases. Four-digit suffixes (`-0613`, `-0825`) are not removed: they are
/// too easily a version number.
enum DatedModelName {
    /// The name without its snapshot suffix, and the suffix; nil when it has none.
    static func split(_ name: String) -> (base: String, suffix: String)? {
        let u = Array(name.utf8)
        func digits(_ range: Range<Int>) -> Bool { range.allSatisfy { u[$0] >= 0x30 && u[$0] <= 0x39 } }
        func plausibleDate(_ year: Range<Int>, _ month: Range<Int>, _ day: Range<Int>) -> Bool {
            guard digits(year), digits(month), digits(day), u[year.lowerBound] == 0x32 else { return false }
            let m = Int(String(decoding: u[month], as: UTF8.self)) ?? 0, d = Int(String(decoding: u[day], as: UTF8.self)) ?? 0
            return (1...12).contains(m) && (1...31).contains(d)
        }
        let n = u.count
        var cut: Int?
        if n > 11, u[n - 11] == 0x2D, u[n - 6] == 0x2D, u[n - 3] == 0x2D, plausibleDate(n - 10..<n - 6, n - 5..<n - 3, n - 2..<n) {
            cut = n - 11                                   // -YYYY-MM-DD
        } else if n > 9, u[n - 9] == 0x2D || u[n - 9] == 0x40, plausibleDate(n - 8..<n - 4, n - 4..<n - 2, n - 2..<n) {
            cut = n - 9                                    // -YYYYMMDD, @YYYYMMDD
        } else if name.hasSuffix("-latest") && n > 7 {
            cut = n - 7
        } else if name.hasSuffix("@latest") && n > 7 {
            cut = n - 7
        } else if name.hasSuffix("@default") && n > 8 {
            cut = n - 8
        }
        guard let cut else { return nil }
        return (String(decoding: u[..<cut], as: UTF8.self), String(decoding: u[cut...], as: UTF8.self))
    }
}
