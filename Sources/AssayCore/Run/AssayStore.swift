/// A whole store as the commands use it: traces, feedback, online evaluation and runs. The SQLite
/// store (one file, the default) and the PostgreSQL team store (docs/team-store.md) implement it.
public protocol AssayStore: OnlineEvaluationStore, RunStore {
    /// Where the store is, for messages: a file path, or a database URL without its password.
    var location: String { get }
    /// Whether several machines use the store at once (a team store): shards of a run then fill one
    /// run in it, where a store on one machine has each shard write its own and `assay merge` join them.
    var isShared: Bool { get }
    /// Every stored trace id after `after` (all when nil), in id order, at most `limit`: a way through
    /// the whole store page by page, for `assay store copy`.
    func traceIDs(after: TraceID?, limit: Int) throws -> [TraceID]
    /// What online evaluation recorded for a trace, if anything.
    func evaluation(of id: TraceID) throws -> OnlineEvaluation?
}
