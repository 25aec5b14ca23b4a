import Foundation

/// Text normalisation and string similarity: the pure functions behind `normalized_match`,
/// `levenshtein` and `token_f1`.
public enum TextSimilarity {
    /// The most dynamic-programming cells `levenshtein` fills (after removing the common prefix and
    /// suffix): 25 million, about two 5,000-character texts that differ throughout, a fraction of a
    /// second. Larger inputs are not scored rather than truncated.
    public static let maxLevenshteinCells = 25_000_000

    /// Which differences `normalized` removes.
    public struct Normalization: Sendable, Hashable {
        /// Lower-case (after Unicode compatibility normalisation, NFKC).
        public var caseInsensitive: Bool
        /// Collapse runs of whitespace to one space and trim the ends.
        public var whitespace: Bool
        /// Remove punctuation and symbols (Unicode general categories P and S), as SQuAD does: `don't` becomes `dont`.
        public var punctuation: Bool

        /// Creates a normalisation; by default all three differences are removed.
        public init(caseInsensitive: Bool = true, whitespace: Bool = true, punctuation: Bool = true) {
            self.caseInsensitive = caseInsensitive
            self.whitespace = whitespace
            self.punctuation = punctuation
        }
    }

    /// `text` in Unicode NFKC form with the differences in `options` removed.
    public static func normalized(_ text: String, _ options: Normalization = Normalization()) -> String {
        var s = text.precomposedStringWithCompatibilityMapping
        if options.caseInsensitive { s = s.lowercased() }
        if options.punctuation {
            var kept = String.UnicodeScalarView()
            for scalar in s.unicodeScalars where !scalar.properties.generalCategory.isPunctuationOrSymbol {
                kept.append(scalar)
            }
            s = String(kept)
        }
        if options.whitespace { s = s.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
        return s
    }

    /// The edit distance (insertions, deletions, substitutions) between `a` and `b` counted in
    /// characters (grapheme clusters), in O(min(n, m)) memory; nil when more than `maxCells` cells
    /// would be needed after removing the common prefix and suffix.
    public static func levenshtein(_ a: String, _ b: String, maxCells: Int = maxLevenshteinCells) -> Int? {
        EditDistance.distance(Array(a), Array(b), maxCells: maxCells)
    }

    /// 1 minus the edit distance over the longer length: 1 for equal strings (two empty strings
    /// included), 0 for entirely different ones; nil when too large to compute (see `levenshtein`).
    public static func levenshteinSimilarity(_ a: String, _ b: String, maxCells: Int = maxLevenshteinCells) -> Double? {
        let x = Array(a), y = Array(b)
        let longest = max(x.count, y.count)
        if longest == 0 { return 1 }
        guard let d = EditDistance.distance(x, y, maxCells: maxCells) else { return nil }
        return 1 - Double(d) / Double(longest)
    }

    /// The words of `text` after full normalisation (case, punctuation, whitespace).
    public static func tokens(_ text: String) -> [String] {
        normalized(text).split(separator: " ").map(String.init)
    }

    /// Token-overlap F1 as in SQuAD: precision and recall of the observed tokens against the expected
    /// ones, counted as multisets. 1 when both are empty, 0 when only one is.
    public static func tokenF1(observed: String, expected: String) -> (precision: Double, recall: Double, f1: Double) {
        let o = tokens(observed), e = tokens(expected)
        if o.isEmpty && e.isEmpty { return (1, 1, 1) }
        if o.isEmpty || e.isEmpty { return (0, 0, 0) }
        var remaining: [String: Int] = [:]
        for t in e { remaining[t, default: 0] += 1 }
        var common = 0
        for t in o where remaining[t, default: 0] > 0 {
            remaining[t]! -= 1
            common += 1
        }
        let p = Double(common) / Double(o.count), r = Double(common) / Double(e.count)
        return (p, r, p + r == 0 ? 0 : 2 * p * r / (p + r))
    }
}

extension Unicode.GeneralCategory {
    /// Punctuation (P*) or symbol (S*).
    var isPunctuationOrSymbol: Bool {
        switch self {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
             .finalPunctuation, .otherPunctuation, .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            true
        default: false
        }
    }
}

/// Edit distance over any sequences of equatable elements.
enum EditDistance {
    /// Levenshtein distance with unit costs in O(min(n, m)) memory; nil when the table after removing
    /// the common prefix and suffix would exceed `maxCells`.
    static func distance<T: Equatable>(_ a: [T], _ b: [T], maxCells: Int = .max) -> Int? {
        var lo = 0
        while lo < a.count, lo < b.count, a[lo] == b[lo] { lo += 1 }
        var ha = a.count, hb = b.count
        while ha > lo, hb > lo, a[ha - 1] == b[hb - 1] { ha -= 1; hb -= 1 }
        var x = a[lo..<ha], y = b[lo..<hb]
        if x.count < y.count { swap(&x, &y) }
        // y is the shorter: one row of y.count + 1 cells.
        if y.isEmpty { return x.count }
        guard x.count.multipliedReportingOverflow(by: y.count).partialValue <= maxCells,
              !x.count.multipliedReportingOverflow(by: y.count).overflow else { return nil }
        var row = Array(0...y.count)
        for (i, xe) in x.enumerated() {
            var diagonal = row[0]
            row[0] = i + 1
            for (j, ye) in y.enumerated() {
                let above = row[j + 1]
                row[j + 1] = xe == ye ? diagonal : 1 + min(diagonal, above, row[j])
                diagonal = above
            }
        }
        return row[y.count]
    }
}
