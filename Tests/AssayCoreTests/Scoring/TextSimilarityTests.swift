import Testing
@testable import AssayCore

struct TextSimilarityTests {
    /// Random strings over a small alphabet (so that they share characters), including combining marks
    /// and emoji, from a seeded generator.
    static func randomStrings(seed: UInt64, count: Int) -> [String] {
        var rng = SplitMix64(seed: seed)
        let alphabet: [String] = ["a", "b", "c", " ", "é", "e\u{301}", "🇫🇷", "日", "."]
        return (0..<count).map { _ in
            String((0..<Int.random(in: 0...12, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }.joined())
        }
    }

    @Test("levenshtein distances of known pairs", arguments: [
        ("", "", 0), ("", "abc", 3), ("abc", "", 3), ("kitten", "sitting", 3), ("flaw", "lawn", 2),
        ("café", "cafe\u{301}", 0), ("🇫🇷🇩🇪", "🇩🇪", 1), ("日本語", "日本", 1),
    ])
    func knownDistances(a: String, b: String, distance: Int) {
        #expect(TextSimilarity.levenshtein(a, b) == distance)
    }

    @Test("similarity is symmetric, 1 on equal strings and within 0...1")
    func similarityProperties() {
        let strings = Self.randomStrings(seed: 42, count: 60)
        for (a, b) in zip(strings, strings.reversed()) {
            let ab = TextSimilarity.levenshteinSimilarity(a, b)!, ba = TextSimilarity.levenshteinSimilarity(b, a)!
            #expect(ab == ba)
            #expect((0...1).contains(ab))
            #expect(TextSimilarity.levenshteinSimilarity(a, a) == 1)
        }
    }

    @Test("edit distance satisfies the triangle inequality")
    func triangle() {
        let s = Self.randomStrings(seed: 7, count: 45)
        for i in stride(from: 0, to: 45, by: 3) {
            let ab = TextSimilarity.levenshtein(s[i], s[i + 1])!, bc = TextSimilarity.levenshtein(s[i + 1], s[i + 2])!
            #expect(TextSimilarity.levenshtein(s[i], s[i + 2])! <= ab + bc)
        }
    }

    @Test("levenshtein returns nil beyond the cell cap")
    func cap() {
        #expect(TextSimilarity.levenshtein(String(repeating: "a", count: 100), String(repeating: "b", count: 100), maxCells: 9_999) == nil)
        #expect(TextSimilarity.levenshtein(String(repeating: "a", count: 100), String(repeating: "b", count: 100), maxCells: 10_000) == 100)
    }

    @Test("normalisation folds case, width, punctuation and whitespace")
    func normalization() {
        #expect(TextSimilarity.normalized("  Hello,\n  WORLD!! ") == "hello world")
        #expect(TextSimilarity.normalized("ﬁne") == "fine")
        #expect(TextSimilarity.normalized("don't") == "dont")
        #expect(TextSimilarity.normalized("A b", .init(caseInsensitive: false, whitespace: false, punctuation: false)) == "A b")
    }

    @Test("token F1 is symmetric in its F1 and counts repeated tokens once each")
    func tokenF1() {
        for (a, b) in zip(Self.randomStrings(seed: 9, count: 30), Self.randomStrings(seed: 10, count: 30)) {
            #expect(abs(TextSimilarity.tokenF1(observed: a, expected: b).f1 - TextSimilarity.tokenF1(observed: b, expected: a).f1) < 1e-12)
        }
        let r = TextSimilarity.tokenF1(observed: "a a a", expected: "a b")
        #expect(abs(r.precision - 1.0 / 3) < 1e-12 && r.recall == 0.5)
    }

    @Test("generic edit distance works on step names")
    func steps() {
        #expect(EditDistance.distance(["search", "read", "answer"], ["search", "answer"]) == 1)
        #expect(EditDistance.distance([String](), []) == 0)
    }
}
