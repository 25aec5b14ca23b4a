extension PriceTable {
    /// The entry for a model, as a span names it, and how it matched; nil when no key matches.
    ///
    /// The keys tried, in order (docs/prices.md, "Matching"), first for the name as given, then for the
    /// name without its snapshot suffix (so an entry for the dated name wins over its base):
    /// 1. `prefix/model`, for each LiteLLM prefix of the span's provider (`gcp.gemini` → `gemini/`);
    /// 2. the model name itself;
    /// 3. for a name that starts with a provider (`openai/gpt-4o`), LiteLLM's prefix for it, then the rest.
    /// A Gemini API resource name (`models/gemini-2.5-flash`) loses its `models/`. Keys compare
    /// exactly, else ignoring case.
    public func match(model: String, provider: String? = nil) -> PriceMatch? {
        var tried: [String] = []
        for c in candidates(model: model, provider: provider) {
            if let price = entry(c.key) {
                return PriceMatch(price: price, rule: c.rule, model: model, provider: provider, removedSuffix: c.suffix, tried: tried)
            }
            tried.append(c.key)
        }
        return nil
    }

    /// The keys `match` tries for a model, in order.
    public func keysTried(model: String, provider: String? = nil) -> [String] {
        candidates(model: model, provider: provider).map(\.key)
    }

    /// Up to `limit` keys of entries that price tokens whose model names are closest to `model`, for
    /// a message about a model with no entry.
    public func closeKeys(to model: String, limit: Int = 5) -> [String] {
        let target = Self.bareName(model).lowercased()
        guard !target.isEmpty, target.unicodeScalars.count <= 200 else { return [] }
        let t = Array(target.unicodeScalars)
        var scored: [(distance: Int, key: String)] = []
        for (key, price) in entries where price.pricesTokens {
            let name = Array((key.split(separator: "/").last.map(String.init) ?? key).lowercased().unicodeScalars)
            var d = Self.editDistance(t, name)
            if name.starts(with: t) || t.starts(with: name) { d = min(d, abs(name.count - t.count) / 4) }
            if d <= max(2, t.count / 3) { scored.append((d, key)) }
        }
        return scored.sorted { ($0.distance, $0.key.count, $0.key) < ($1.distance, $1.key.count, $1.key) }.prefix(limit).map(\.key)
    }

    private func candidates(model: String, provider: String?) -> [(key: String, rule: PriceMatch.Rule, suffix: String?)] {
        var name = model.trimmingCharacters(in: .whitespaces)
        if name.hasPrefix("models/") { name.removeFirst("models/".count) }
        guard !name.isEmpty else { return [] }
        var out: [(key: String, rule: PriceMatch.Rule, suffix: String?)] = []
        var seen: Set<String> = []
        func add(_ key: String, _ rule: PriceMatch.Rule, _ suffix: String?) {
            if seen.insert(key.lowercased()).inserted { out.append((key, rule, suffix)) }
        }
        func forms(of n: String, suffix: String?) {
            for p in ProviderNames.prefixes(provider) { add(p + "/" + n, .providerPrefix, suffix) }
            add(n, .exact, suffix)
            if let slash = n.firstIndex(of: "/"), ProviderNames.isProvider(String(n[..<slash])) {
                let head = String(n[..<slash]), rest = String(n[n.index(after: slash)...])
                guard !rest.isEmpty else { return }
                for p in ProviderNames.prefixes(head) { add(p + "/" + rest, .modelPrefix, suffix) }
                add(rest, .modelPrefix, suffix)
            }
        }
        forms(of: name, suffix: nil)
        if let (base, suffix) = DatedModelName.split(name) { forms(of: base, suffix: suffix) }
        return out
    }

    /// The model name without `models/`, a known provider prefix and a snapshot suffix.
    static func bareName(_ model: String) -> String {
        var name = model.trimmingCharacters(in: .whitespaces)
        if name.hasPrefix("models/") { name.removeFirst("models/".count) }
        if let slash = name.firstIndex(of: "/"), ProviderNames.isProvider(String(name[..<slash])) { name = String(name[name.index(after: slash)...]) }
        return DatedModelName.split(name)?.base ?? name
    }

    /// Levenshtein distance with unit costs, in O(min) memory (names are short).
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
