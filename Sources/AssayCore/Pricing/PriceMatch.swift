/// How a model name found its entry in a price table: the entry, the rule that matched, and a
/// sentence saying so, for `assay prices show` and the notes of unknown costs.
public struct PriceMatch: Hashable, Sendable {
    /// The rules, in the order they are tried (docs/prices.md, "Matching").
    public enum Rule: String, Hashable, Sendable {
        /// `provider/model`, with the span's provider mapped to LiteLLM's prefix (`gcp.gemini` → `gemini/`).
        case providerPrefix = "provider prefix"
        /// The model name as it is.
        case exact
        /// The model name without a provider prefix it already had (`openai/gpt-4o` → `gpt-4o`), or with
        /// that prefix mapped to LiteLLM's (`mistral_ai/…` → `mistral/…`).
        case modelPrefix = "model prefix"
    }

    /// The entry.
    public var price: ModelPrice
    /// The rule that matched the key.
    public var rule: Rule
    /// The model looked up, as given.
    public var model: String
    /// The provider given with it.
    public var provider: String?
    /// The snapshot suffix removed before the key matched (`-2024-07-18`), when one was.
    public var removedSuffix: String?
    /// The keys tried before this one, in order.
    public var tried: [String]

    /// The key of the entry.
    public var key: String { price.key }

    /// One sentence: which key matched and why.
    public var explanation: String {
        var name = model
        var text = ""
        if let removedSuffix {
            name = String(model.dropLast(removedSuffix.utf8.count))
            text = "no entry for \(model) itself; without its snapshot suffix \(removedSuffix), "
        }
        switch rule {
        case .exact:
            text += "entry \(key) matches the model name \(name)" + (key == name ? "" : " (ignoring case)")
        case .providerPrefix:
            text += "entry \(key): the span's provider \(provider ?? "") is LiteLLM's \(key.split(separator: "/").first.map(String.init) ?? "")"
        case .modelPrefix:
            text += "entry \(key): the name \(name) starts with a provider"
        }
        if removedSuffix != nil { text += " (an entry for the dated name would have won)" }
        if let provider, let entryProvider = price.provider, !ProviderNames.prefixes(provider).isEmpty,
           !ProviderNames.entry(entryProvider, belongsTo: provider) {
            text += "; the entry is \(entryProvider)'s price, the span names \(provider)"
        }
        return text
    }
}
