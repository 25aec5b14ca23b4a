/// Provider names as spans give them (`gen_ai.provider.name`, the older `gen_ai.system`, OpenInference's
/// `llm.provider`) mapped to the prefixes of LiteLLM's keys (`gemini/…`, `azure/…`, `mistral/…`).
enum ProviderNames {
    /// Spellings seen in spans, lower case, to LiteLLM's prefixes in the order they are tried.
    static let prefixesByName: [String: [String]] = [
        "openai": ["openai"],
        "anthropic": ["anthropic"],
        "gcp.gemini": ["gemini"], "gemini": ["gemini"], "google_genai": ["gemini"], "google.genai": ["gemini"],
        "google": ["gemini", "vertex_ai"], "gcp.gen_ai": ["gemini", "vertex_ai"],
        "gcp.vertex_ai": ["vertex_ai"], "vertex_ai": ["vertex_ai"], "vertexai": ["vertex_ai"], "google_vertexai": ["vertex_ai"],
        "aws.bedrock": ["bedrock"], "bedrock": ["bedrock"], "aws_bedrock": ["bedrock"], "amazon_bedrock": ["bedrock"],
        "azure.ai.openai": ["azure"], "az.ai.openai": ["azure"], "azure": ["azure"], "azure_openai": ["azure"],
        "azure.ai.inference": ["azure_ai"], "az.ai.inference": ["azure_ai"], "azure_ai": ["azure_ai"],
        "mistral_ai": ["mistral"], "mistral": ["mistral"], "mistralai": ["mistral"],
        "groq": ["groq"], "deepseek": ["deepseek"], "xai": ["xai"], "x_ai": ["xai"],
        "cohere": ["cohere", "cohere_chat"], "perplexity": ["perplexity"],
        "ibm.watsonx.ai": ["watsonx"], "watsonx": ["watsonx"],
    ]

    /// LiteLLM's `litellm_provider` values that belong to each prefix, besides those starting with it
    /// (`vertex_ai-language-models` under `vertex_ai`, `bedrock_converse` under `bedrock`).
    static let otherFamilies: [String: [String]] = ["openai": ["text-completion-openai"], "gemini": ["vertex_ai-language-models"]]

    /// The key prefixes for a span's provider: known spellings mapped, any other name as it is
    /// (lower case) when it is a plain word; none for nil.
    static func prefixes(_ provider: String?) -> [String] {
        guard let p = provider?.trimmingCharacters(in: .whitespaces).lowercased(), !p.isEmpty else { return [] }
        if let known = prefixesByName[p] { return known }
        let plain = p.utf8.count <= 40 && p.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F || $0 == 0x2D }
        return plain ? [p] : []
    }

    /// Whether `head`, the part of a model name before its first `/`, names a provider.
    static func isProvider(_ head: String) -> Bool { prefixesByName[head.lowercased()] != nil }

    /// Whether an entry of LiteLLM provider `litellm` is one of the span's provider's.
    static func entry(_ litellm: String, belongsTo provider: String) -> Bool {
        let l = litellm.lowercased()
        return prefixes(provider).contains { p in l.hasPrefix(p) || (otherFamilies[p] ?? []).contains(l) }
    }
}
