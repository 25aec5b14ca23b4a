import AssayCore
import AssayEval
import Foundation

/// How the CLI builds evaluation pieces: the scorer file loader with every kind it knows.
enum EvalSetup {
    /// A loader for scorer files whose LLM judges and embeddings cache in `.assay/judge-cache` and
    /// record their calls as traces in `store`.
    static func loader(store: any TraceStore) -> ScorerFileLoader { loader(recorder: StoreJudgeRecorder(store: store)) }

    /// A loader whose judges record their calls with `recorder`.
    static func loader(recorder: any JudgeCallRecorder) -> ScorerFileLoader {
        let context = JudgeContext(cacheFolder: ".assay/judge-cache", recorder: recorder)
        return ScorerFileLoader(extraKinds: [
            "llm_judge": { p, t, n throws(AssayError) in try LLMJudgeScorer.make(parameters: p, threshold: t, name: n, context: context) },
            "embedding_similarity": { p, t, n throws(AssayError) in
                try EmbeddingSimilarityScorer.make(parameters: p, threshold: t, name: n, context: context)
            },
        ])
    }
}
