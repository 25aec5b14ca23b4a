import AssayCore
import AssayEval
import Foundation

/// How the CLI builds evaluation pieces: the scorer file loader with every kind it knows.
enum EvalSetup {
    /// A loader for scorer files whose LLM judges and embeddings cache in `.assay/judge-cache` and
    /// record their calls as traces in `store`.
    static func loader(store: any TraceStore) -> ScorerFileLoader {
        let context = JudgeContext(cacheFolder: ".assay/judge-cache", recorder: StoreJudgeRecorder(store: store))
        return ScorerFileLoader(extraKinds: [
            "llm_judge": { p, t, n throws(AssayError) in try LLMJudgeScorer.make(parameters: p, threshold: t, name: n, context: context) },
            "embedding_similarity": { p, t, n throws(AssayError) in
                try EmbeddingSimilarityScorer.make(parameters: p, threshold: t, name: n, context: context)
            },
        ])
    }
}
