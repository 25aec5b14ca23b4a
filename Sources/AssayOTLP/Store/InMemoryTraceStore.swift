public import AssayCore
import Synchronization

/// A `TraceStore` in memory: the reference semantics of a store, for tests and for stores to be
/// checked against. Transactions apply whole or not at all.
public final class InMemoryTraceStore: AssayStore {
    struct Row: Sendable {
        var prepared: PreparedSpan
        var resource: [UInt8]
        var scope: [UInt8]
    }

    struct State: Sendable {
        var spans: [TraceID: [SpanID: Row]] = [:]
        /// Feedback in insertion order.
        var feedback: [StoredFeedback] = []
        /// When each trace's first and last spans arrived (the store's clock).
        var arrivals: [TraceID: (first: UInt64, last: UInt64)] = [:]
        /// What online evaluation did with each trace it handled.
        var online: [TraceID: OnlineEvaluation] = [:]
        /// Until when online evaluation has claimed each trace it took.
        var claims: [TraceID: UInt64] = [:]
    }

    private let state = Mutex(State())
    /// Runs, each with its cells in commit order (`InMemoryTraceStore+Runs.swift`).
    let runTable = Mutex<[String: RunRecord]>([:])
    /// Serializes writers, as a database's write lock does.
    private let writeLock = Mutex(())
    private let clock: @Sendable () -> UInt64

    /// Creates an empty store; `clock` gives arrival times (tests pass their own).
    public init(clock: @escaping @Sendable () -> UInt64 = WallClock.nowNanos) { self.clock = clock }

    public func completedTraces(_ completion: TraceCompletion, now: UInt64, limit: Int) throws -> [TraceID] {
        state.withLock { snapshot in
            let taken = snapshot.arrivals.compactMap { id, seen -> (TraceID, UInt64)? in
                guard snapshot.online[id] == nil, (snapshot.claims[id] ?? 0) <= now, let rows = snapshot.spans[id] else { return nil }
                let summary = Self.summary(id, rows)
                guard TraceOrigin(rootName: summary.rootName) == .production,
                      completion.isComplete(rootKind: summary.rootKind, firstSeen: seen.first, lastSeen: seen.last, now: now) else { return nil }
                return (id, seen.last)
            }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.prefix(max(0, limit)).map(\.0)
            for id in taken { snapshot.claims[id] = now &+ onlineClaimNanos }
            return taken
        }
    }

    public func unevaluatedTraceCount() throws -> Int {
        let snapshot = state.withLock { $0 }
        return snapshot.arrivals.keys.filter { id in
            snapshot.online[id] == nil && snapshot.spans[id].map { TraceOrigin(rootName: Self.summary(id, $0).rootName) == .production } == true
        }.count
    }

    /// What online evaluation recorded for a trace, if anything.
    public func evaluation(of id: TraceID) -> OnlineEvaluation? { state.withLock { $0.online[id] } }

    /// "memory".
    public var location: String { "memory" }
    /// One process's store.
    public var isShared: Bool { false }

    public func traceIDs(after: TraceID?, limit: Int) throws -> [TraceID] {
        let ids = state.withLock { Array($0.spans.keys) }.sorted { $0.bytes.lexicographicallyPrecedes($1.bytes) }
        return Array(ids.filter { id in after.map { $0.bytes.lexicographicallyPrecedes(id.bytes) } ?? true }.prefix(max(0, limit)))
    }

    public func write<T>(_ body: (any TraceWriter) throws -> T) throws -> T {
        try writeLock.withLock { _ in
            let writer = Writer(state: state.withLock { $0 }, now: clock())
            let result = try body(writer)
            state.withLock { $0 = writer.state }
            return result
        }
    }

    public func traces(matching query: TraceQuery) throws -> [TraceSummary] {
        let snapshot = state.withLock { $0 }
        let all = snapshot.spans.map { Self.summary($0.key, $0.value) }
        let byTrace = Dictionary(grouping: snapshot.feedback, by: \.feedback.traceID)
        let matching = all.filter { query.matches($0, feedback: byTrace[$0.traceID] ?? []) }.sorted {
            ($0.startTimeUnixNano, $1.traceID) > ($1.startTimeUnixNano, $0.traceID)
        }
        return Array(matching.prefix(max(0, query.limit)))
    }

    public func trace(_ id: TraceID) throws -> StoredTrace? {
        guard let rows = state.withLock({ $0.spans[id] }) else { return nil }
        let spans = try rows.values.map { row -> StoredSpan in
            let span = try OTLPProtoDecoder.decodeSpan(row.prepared.payload)
            let (resource, resourceURL) = try OTLPProtoDecoder.decodeResourceBody(row.resource)
            let (scope, scopeURL) = try OTLPProtoDecoder.decodeScopeBody(row.scope)
            return StoredSpan(span: span, summary: row.prepared.summary, resource: resource, resourceSchemaURL: resourceURL,
                              scope: scope, scopeSchemaURL: scopeURL)
        }.sorted { ($0.span.startTimeUnixNano, $0.span.spanID) < ($1.span.startTimeUnixNano, $1.span.spanID) }
        return StoredTrace(summary: Self.summary(id, rows), spans: spans)
    }

    public func feedback(for ids: [TraceID]) throws -> [TraceID: [StoredFeedback]] {
        let wanted = Set(ids)
        let items = state.withLock { $0.feedback }.filter { wanted.contains($0.feedback.traceID) }
        return Dictionary(grouping: items, by: \.feedback.traceID)
    }

    fileprivate static func summary(_ id: TraceID, _ rows: [SpanID: Row]) -> TraceSummary {
        var rollup = TraceRollup(traceID: id, findsTopmost: true)
        for row in rows.values.sorted(by: { $0.prepared.spanID < $1.prepared.spanID }) { rollup.add(row.prepared) }
        return rollup.summary
    }

    private final class Writer: TraceWriter {
        var state: State
        private var seen: Set<TraceID> = []
        private let now: UInt64

        init(state: State, now: UInt64) {
            self.state = state
            self.now = now
        }

        func recordEvaluation(_ outcomes: [TraceID: OnlineEvaluation], at time: UInt64) throws {
            for (id, outcome) in outcomes where state.spans[id] != nil { state.online[id] = outcome }
        }

        func write(_ batch: IngestBatch) throws -> IngestCounts {
            var counts = IngestCounts()
            for p in batch.spans {
                if seen.insert(p.traceID).inserted {
                    counts.tracesRead += 1
                    if state.spans[p.traceID] == nil { counts.tracesNew += 1 } else { counts.tracesPresent += 1 }
                }
                if state.spans[p.traceID]?[p.spanID] != nil {
                    counts.spansPresent += 1
                } else {
                    state.spans[p.traceID, default: [:]][p.spanID] = Row(prepared: p, resource: batch.resources[p.resourceIndex],
                                                                          scope: batch.scopes[p.scopeIndex])
                    counts.spansNew += 1
                    state.arrivals[p.traceID] = (state.arrivals[p.traceID]?.first ?? now, now)
                }
            }
            return counts
        }

        func unknownTargets(_ feedback: [Feedback]) throws -> [UnknownFeedbackTarget] {
            feedback.enumerated().compactMap { i, f in
                guard let spans = state.spans[f.traceID] else { return UnknownFeedbackTarget(index: i, traceID: f.traceID, spanID: nil) }
                if let span = f.spanID, spans[span] == nil { return UnknownFeedbackTarget(index: i, traceID: f.traceID, spanID: span) }
                if let session = f.sessionID, InMemoryTraceStore.summary(f.traceID, spans).sessionID != session {
                    return UnknownFeedbackTarget(index: i, traceID: f.traceID, spanID: nil, sessionID: session)
                }
                return nil
            }
        }

        func add(_ feedback: [Feedback]) throws -> FeedbackCounts {
            var counts = FeedbackCounts()
            for f in feedback {
                if state.feedback.contains(where: { $0.feedback.id == f.id }) {
                    counts.present += 1
                    continue
                }
                counts.added += 1
                let key = f.reviewKey
                if let i = state.feedback.firstIndex(where: { $0.isCurrent && $0.feedback.reviewKey == key }) {
                    if state.feedback[i].feedback.timeUnixNano <= f.timeUnixNano {
                        state.feedback[i].isCurrent = false
                        state.feedback.append(StoredFeedback(feedback: f, isCurrent: true))
                    } else {
                        state.feedback.append(StoredFeedback(feedback: f, isCurrent: false))
                    }
                } else {
                    state.feedback.append(StoredFeedback(feedback: f, isCurrent: true))
                }
            }
            return counts
        }
    }
}
