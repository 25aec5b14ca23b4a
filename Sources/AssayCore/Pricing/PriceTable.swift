/// Model prices in LiteLLM's `model_prices_and_context_window.json` format: entries by key, each
/// with US dollars per token by kind (docs/prices.md).
///
/// `PriceTable.pinned` is the copy built into Assay; an override file's entries replace or add to
/// it with `merging(_:)`:
///
/// ```swift
/// let table = PriceTable.pinned.merging(try PriceTable.load(file: "prices.json"))
/// let match = table.match(model: "gpt-4o-mini-2024-07-18", provider: "openai")
/// print(match?.explanation ?? "no price")
/// ```
public struct PriceTable: Sendable {
    /// The entries by their exact key.
    public private(set) var entries: [String: ModelPrice]
    /// Keys by their lower-case form, for a lookup that ignores case.
    private var folded: [String: String]
    /// What the table was built from, in order: `pinned` first, then each override file.
    public private(set) var sources: [String]

    /// A table of `entries`; a later entry with the same key replaces an earlier one.
    public init(entries: [ModelPrice] = [], sources: [String] = []) {
        self.entries = [:]
        self.folded = [:]
        self.sources = sources
        for e in entries { insert(e) }
    }

    /// How many entries the table has.
    public var count: Int { entries.count }

    /// The keys, sorted.
    public var keys: [String] { entries.keys.sorted() }

    /// The entry with this key: exactly, else ignoring case.
    public func entry(_ key: String) -> ModelPrice? {
        if let e = entries[key] { return e }
        return folded[key.lowercased()].flatMap { entries[$0] }
    }

    /// This table with `overrides` laid over it: an entry of `overrides` replaces the entry with the
    /// same key (ignoring case) and adds the others.
    public func merging(_ overrides: PriceTable) -> PriceTable {
        var out = self
        for e in overrides.entries.keys.sorted().compactMap({ overrides.entries[$0] }) {
            if let old = out.folded[e.key.lowercased()], old != e.key { out.entries[old] = nil }
            out.insert(e)
        }
        out.sources += overrides.sources
        return out
    }

    private mutating func insert(_ e: ModelPrice) {
        entries[e.key] = e
        folded[e.key.lowercased()] = e.key
    }
}
