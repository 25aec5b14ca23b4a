import AssayCore
import AssayEval
import AssayGateway
import Foundation

extension CellFinisher {
    /// The recorded cell for a played conversation: each exchange's spans read back, each turn scored
    /// with the suite's components against its expected values, `end_to_end` on the final answer
    /// against the example's expected end state, and the conversation scorers on the whole
    /// (docs/conversations.md).
    func finishConversation(_ play: ConversationPlay, key: CellKey, example: RunPlan.Example, turns script: [ExampleTurn], tier: Suite.Tier,
                            attempts: Int, gateway: GatewayCell?, scorers: [ConversationScorer]) async -> CellResult {
        let exchanges = play.exchanges
        let ids = exchanges.map(\.attempt.traceID)
        let stored = (try? store.traces(ids)) ?? []
        var agentSpans: [TraceID: [StoredSpan]] = [:]
        for t in stored { agentSpans[t.summary.traceID] = t.spans }
        let calls = gateway?.calls ?? []
        let gatewaySpans = Self.writeGatewaySpans(calls, tools: gateway?.toolSpans ?? [], agentSpans: stored.flatMap(\.spans),
                                                  traceIDs: Set(ids), store: store)
        let byTrace = Dictionary(grouping: gatewaySpans, by: \.span.traceID)
        func spans(_ x: ConversationPlay.Exchange) -> [StoredSpan] {
            (agentSpans[x.attempt.traceID] ?? []) + (byTrace[x.attempt.traceID] ?? []) + [x.root]
        }
        let agentSpanCount = stored.reduce(0) { $0 + $1.spans.count }
        let scoring = component == nil ? suite.components : suite.components.filter { $0.name == component }

        // Each turn: its exchanges' records, and the components on its spans.
        var records: [TurnRecord] = []
        var turnTexts: [String] = []
        var turnTraces: [StoredTrace] = []
        for (t, played) in play.turns.enumerated() {
            guard let first = played.first, let last = played.last else { continue }
            let all = played.flatMap(spans)
            let trace = StoredTrace(summary: TraceSummary(traceID: first.attempt.traceID, spans: all.map { ($0.span, $0.summary) }), spans: all)
            turnTraces.append(trace)
            var exchangeRecords: [ExchangeRecord] = []
            var text: [String] = []
            for x in played {
                let own = spans(x)
                let summary = TraceSummary(traceID: x.attempt.traceID, spans: own.map { ($0.span, $0.summary) })
                let chats = own.filter { $0.summary.operation == .chat }.sorted { $0.span.startTimeUnixNano < $1.span.startTimeUnixNano }
                var record = ExchangeRecord(kind: x.request.kind, outcome: .answered, traceID: x.attempt.traceID, decision: x.request.decision?.kind.rawValue,
                                            afterRestart: x.afterRestart, inputTokens: summary.inputTokens, outputTokens: summary.outputTokens,
                                            callInputTokens: chats.compactMap(\.summary.inputTokens), latencyNanos: x.attempt.elapsedNanos)
                switch x.attempt.outcome {
                case .answered(let value):
                    if x.interrupt != nil { record.outcome = .interrupted; record.interrupt = value.compactJSON } else { record.answer = value.compactJSON }
                    text.append(value.text)
                case .failed(let message, _): record.outcome = .failed; record.error = message
                case .timedOut: record.outcome = .timeout; record.error = "timeout"
                }
                for s in own where s.summary.operation == .tool {
                    if let args = SpanContent(span: s.span).toolArguments { text.append(args) }
                }
                exchangeRecords.append(record)
            }
            turnTexts.append(text.joined(separator: "\n"))
            var results: [ComponentResult] = []
            let fromAgent = played.contains { !(agentSpans[$0.attempt.traceID] ?? []).isEmpty || !(byTrace[$0.attempt.traceID] ?? []).isEmpty }
            let turnCase = t < script.count ? script[t] : nil
            for c in scoring {
                results.append(fromAgent ? await c.score(trace, expected: turnCase?.components[c.name]?.expected, costUSD: nil) : c.unscored(.noAgentSpans))
            }
            // The turn's expected answer, judged by the end-to-end scorers on its last answer.
            if component == nil, let e2e = suite.endToEnd, let expected = turnCase?.expected, case .answered(let value) = last.attempt.outcome,
               last.interrupt == nil {
                results.append(await e2e.score(trace, expected: expected, observed: value, costUSD: nil))
            }
            records.append(TurnRecord(index: t + 1, exchanges: exchangeRecords, components: results))
        }

        // Tokens and cost over every exchange; the gateway's figures when it saw the calls.
        var input = records.flatMap(\.exchanges).reduce(Int64(0)) { $0 &+ $1.inputTokens }
        var output = records.flatMap(\.exchanges).reduce(Int64(0)) { $0 &+ $1.outputTokens }
        var cost = tier.info.cost(input: input, output: output)
        if !calls.isEmpty {
            input = calls.reduce(0) { $0 &+ $1.usage.inputTokens }
            output = calls.reduce(0) { $0 &+ $1.usage.outputTokens }
            cost = calls.reduce(0) { $0 + $1.costUSD }
        }

        // Why the conversation ended before its script did, if it did.
        let played = play.turns.count
        let stopped = play.stopped ?? (played < script.count ? "only \(played) of \(script.count) turns were played" : nil)
        // The cell's components: each over the turns that scored it, for a conversation that ran to its
        // end; one that stopped is judged by the conversation scorers, not by the turns it reached.
        var results: [ComponentResult] = scoring.map { c in
            if let stopped { return c.unscored(.notObserved("a conversation that ran to its end (\(stopped))")) }
            return ComponentResult.overTurns(records.compactMap { r in r.components.first { $0.component == c.name } }, component: c.name)
                ?? c.unscored(.noAgentSpans)
        }
        // The final answer: the last exchange's, when the conversation ended with an answer, not a question.
        var finalAnswer: JSONValue?
        if stopped == nil, let last = exchanges.last, last.interrupt == nil, case .answered(let value) = last.attempt.outcome { finalAnswer = value }
        var e2eResult: ComponentResult?
        if let e2e = suite.endToEnd {
            if let finalAnswer, let trace = turnTraces.last {
                e2eResult = await e2e.score(trace, expected: example.expected, observed: finalAnswer, costUSD: tier.info.costKnown ? cost : nil)
            } else {
                e2eResult = e2e.unscored(.notObserved("a final answer (the conversation stopped: \(stopped ?? "no answer"))"))
            }
            if component == nil { results.append(e2eResult!) }
        }
        if component == nil {
            // The decisions the script holds for a turn that ended with an answer, but that the agent never asked for.
            var unasked: [String] = []
            for (t, turn) in play.turns.enumerated() where t < script.count {
                guard let last = turn.last, last.interrupt == nil, case .answered = last.attempt.outcome else { continue }
                let asked = turn.filter { $0.interrupt != nil }.count
                unasked += script[t].decisions.dropFirst(asked).map { "turn \(t + 1): \($0.kind.rawValue)" }
            }
            let scriptedExchanges = script.prefix(played).reduce(0) { $0 + 1 + $1.decisions.count }
            var outcome = ConversationScorer.Outcome(
                turns: records, scriptedTurns: script.count, scriptedExchanges: scriptedExchanges, stopped: stopped,
                stoppedOnUnscriptedInterrupt: play.stoppedOnUnscriptedInterrupt, endToEnd: e2eResult, memory: example.memory, turnTexts: turnTexts)
            outcome.failed = play.failure != nil
            outcome.unasked = unasked
            results += scorers.map { exchanges.isEmpty ? $0.unscored(.notObserved("an exchange with the agent")) : $0.score(outcome) }
            // Conditions are not planned for conversations (RunPlan); a resumed older run may still have them.
            if !resilience.isEmpty { results += resilience.map { $0.unscored(.notObserved("a single-turn cell (fault plans are not played on conversations)")) } }
        }

        var status = CellStatus.ok
        var error: String?
        if let failure = play.failure {
            status = failure.timedOut ? .timeout : .error
            error = failure.message
        }
        if let problems = gateway?.problems, !problems.isEmpty {
            error = problems.joined(separator: "; ") + (error.map { "; then " + $0 } ?? "")
            status = .error
            results = []
        }
        var cell = CellResult(key: key, status: status, error: error, traceID: ids.first, output: finalAnswer?.compactJSON, components: results,
                              inputTokens: input, outputTokens: output, costUSD: cost,
                              latencyNanos: exchanges.reduce(UInt64(0)) { $0 &+ $1.attempt.elapsedNanos }, attempts: attempts,
                              finishedAtUnixNano: AgentLauncher.now(), agentSpans: agentSpanCount)
        cell.conversationID = play.conversationID
        cell.turns = records
        // Not a failure of the cell: the agent behaved (its scores say how well); said where the user
        // looks, beside the failed cells.
        if play.failure == nil, play.stoppedOnUnscriptedInterrupt, let stopped = play.stopped { cell.conversationStopped = stopped + "; the conversation stopped there" }
        let restarts = exchanges.reduce(0) { $0 + $1.attempt.restarts }
        if restarts > 0 { cell.restarts = restarts }
        if !calls.isEmpty {
            cell.modelCalls = calls.count
            cell.replayedCalls = calls.filter { $0.cache == .hit }.count
        }
        return cell
    }
}

extension ComponentResult {
    /// A component's result over the turns that scored it: each scorer's value is its mean over those
    /// turns, and it passes only when it passed on every one; nil when no turn scored it.
    static func overTurns(_ perTurn: [ComponentResult], component: String) -> ComponentResult? {
        guard let first = perTurn.first else { return nil }
        let scored = perTurn.filter { $0.value != nil }
        guard !scored.isEmpty else { return first }
        var scores: [Score] = []
        for (i, template) in first.scores.enumerated() {
            let turnScores = perTurn.enumerated().compactMap { t, r in i < r.scores.count ? (t + 1, r.scores[i]) : nil }
            let values = turnScores.compactMap { $0.1.value }
            var s = template
            guard !values.isEmpty else {
                s = turnScores.first { $0.1.value == nil }?.1 ?? template
                scores.append(s)
                continue
            }
            let mean = values.reduce(0, +) / Double(values.count)
            let failed = turnScores.filter { $0.1.passed == false }
            s.outcome = .scored(value: mean, passed: failed.isEmpty)
            s.explanation = failed.isEmpty ? "passed on \(values.count) turns"
                : failed.map { "turn \($0.0): \($0.1.explanation)" }.joined(separator: "; ")
            s.metrics = [ScoreMetric("turns_scored", Double(values.count))]
            scores.append(s)
        }
        return ComponentResult(component: component, spanIDs: perTurn.flatMap(\.spanIDs), scores: scores, weights: first.weights, threshold: first.threshold)
    }
}
