/// A regular expression checked when configured and compiled where it is used.
///
/// Swift's `Regex` is not `Sendable`, so scorers keep the checked source and compile it per use (a
/// matter of microseconds). The syntax is Swift's (`Regex(_:)`), close to PCRE and ECMAScript for
/// the common constructs. Matching is backtracking: a pathological pattern on a huge input can be
/// slow, so keep patterns simple when outputs are large.
struct RegexPattern: Sendable, Hashable {
    /// The pattern as written.
    let source: String
    /// Whether letters match regardless of case.
    let caseInsensitive: Bool

    /// Checks that `source` compiles; throws the compiler's message.
    init(_ source: String, caseInsensitive: Bool = false) throws(AssayError) {
        do {
            _ = try Regex(source)
        } catch {
            throw AssayError.setting(place: "regular expression", problem: "\(error)")
        }
        self.source = source
        self.caseInsensitive = caseInsensitive
    }

    /// The compiled expression.
    func compiled() -> Regex<AnyRegexOutput> {
        // The source compiled in `init`, so this cannot fail.
        let regex = try! Regex(source)
        return caseInsensitive ? regex.ignoresCase() : regex
    }

    /// Whether the pattern matches somewhere in `text` (or all of it when `whole`).
    func matches(_ text: String, whole: Bool = false) -> Bool {
        let regex = compiled()
        if whole { return (try? regex.wholeMatch(in: text)) != nil }
        return (try? regex.firstMatch(in: text)) != nil
    }
}
