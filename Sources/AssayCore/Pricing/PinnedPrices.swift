// The pinned price table: entries of LiteLLM's model price table, as Assay ships them (docs/prices.md).
//
// Source: BerriAI/litellm, `model_prices_and_context_window.json`, as packaged in the litellm 1.110.2
// release on PyPI (`litellm/model_prices_and_context_window_backup.json` in
// litellm-1.110.2-cp310-abi3-manylinux_2_28_x86_64.whl; SHA-256 of that file
// 8943af58bf9f979c6a4bef815687117ffa341e462a41faed9be17b5c33d3dcc2). Pinned on 2026-12-05.
//
// Kept: the 874 entries of providers (`litellm_provider`) anthropic, azure, azure_ai, bedrock,
// bedrock_converse, cohere, cohere_chat, deepseek, gemini, groq, mistral, openai, perplexity,
// text-completion-openai, vertex_ai, vertex_ai-anthropic_models, vertex_ai-embedding-models,
// vertex_ai-language-models and xai whose mode is chat, completion, responses or embedding and
// that give a per-token price; less fine-tuned (`ft:`) models, Bedrock's `bedrock/…` keys, Azure's
// regional `azure/eu/…`, `azure/us/…` and `azure/global/…` copies, Bedrock models other than
// Anthropic, Amazon Nova, Meta Llama, Mistral, DeepSeek and gpt-oss, and Azure AI models other than
// GPT, Grok, DeepSeek, Mistral and Llama.
// Of each entry only the fields Assay reads are kept, values unchanged. To pin a newer table, see
// docs/prices.md ("Pinning a newer table").
//
// The table is Copyright (c) 2023 Berri AI, under the MIT License:
// Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
// associated documentation files (the "Software"), to deal in the Software without restriction,
// including without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense,
// and/or sell copies of the Software, and to permit persons to whom the Software is furnished to do so,
// subject to the following conditions: The above copyright notice and this permission notice shall be
// included in all copies or substantial portions of the Software. THE SOFTWARE IS PROVIDED "AS IS",
// WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF
// MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR
// COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF
// CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR
// OTHER DEALINGS IN THE SOFTWARE.

extension PriceTable {
    /// The table built into Assay: LiteLLM's per-token prices for the common providers, pinned from
    /// litellm 1.110.2 on 2026-12-05 (docs/prices.md). Its entries' `source` is `pinned`.
    public static let pinned: PriceTable = {
        // The text is Assay's own and checked by the tests; should it ever fail to parse, every cost
        // reads unknown rather than the tool stopping.
        let entries = PinnedPrices.groups.flatMap { text -> [ModelPrice] in
            guard let group = try? PriceTable.parse(text, source: "pinned") else { return [] }
            return group.keys.compactMap { group.entries[$0] }
        }
        return PriceTable(entries: entries, sources: [pinnedDescription])
    }()

    /// What the pinned table is: its origin, version and date.
    public static let pinnedDescription = "pinned: LiteLLM model_prices_and_context_window.json from litellm 1.110.2, 2026-12-05"
}

/// The pinned entries as JSON, in LiteLLM's format, one text per group of providers (files `PinnedPrices+…`).
enum PinnedPrices {
    /// Every group, in the order they are laid over each other (their keys do not overlap).
    static let groups = [openAI, anthropic, google, others]
}
