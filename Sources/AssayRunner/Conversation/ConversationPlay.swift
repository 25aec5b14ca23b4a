import AssayCore
import AssayEval
import AssayGateway
import Foundation

/// One attempt at a conversation cell as it was played: every exchange with its attempt, its request
/// and the runner's root span, and how the conversation ended (docs/conversations.md).
struct ConversationPlay {
    /// One exchange as played.
    struct Exchange {
        var request: ExchangeRequest
        var attempt: CellAttempt
        var root: StoredSpan
        var rootSpan: Span { root.span }
        /// The interrupt the agent answered with, if it asked for a decision.
        var interrupt: AgentInterrupt?
        /// A new process served it, not the one that served the exchange before.
        var afterRestart: Bool
    }

    var conversationID: String
    /// The exchanges by turn, in order (turn 1 first); only turns that were started.
    var turns: [[Exchange]] = []
    /// Why the conversation ended before its last scripted turn did.
    var stopped: String?
    /// It ended on an interrupt the script had no decision for.
    var stoppedOnUnscriptedInterrupt = false
    /// The exchange that failed, and whether a retry of the whole conversation may help.
    var failure: (message: String, transient: Bool, timedOut: Bool)?
    var startNanos: UInt64

    /// Every exchange, in order.
    var exchanges: [Exchange] { turns.flatMap { $0 } }

    /// The runner's root spans of every exchange, as one batch.
    var rootBatch: IngestBatch { CellFinisher.rootBatch(exchanges.map(\.rootSpan)) }
}

extension Runner {
    /// Plays a multi-turn example once: each turn's message, then a scripted decision for each
    /// interrupt, one exchange (and one trace) at a time; with `restart`, a persistent agent is killed
    /// at each interrupt and a new one takes the decision.
    func playConversation(_ key: CellKey, _ example: RunPlan.Example, turns: [ExampleTurn], _ tier: Suite.Tier, attempt: Int, restart: Bool,
                          launcher: AgentLauncher, finisher: CellFinisher, child: inout PersistentChild?, slot: GatewaySlot?,
                          account: GatewayCell?) async -> ConversationPlay {
        let conversationID = "\(launcher.runID)/\(key.description)#\(attempt)"
        var play = ConversationPlay(conversationID: conversationID, startNanos: AgentLauncher.now())
        var restartedNext = false
        var served = 0
        turnLoop: for (t, turn) in turns.enumerated() {
            var decisions = turn.decisions[...]
            var request = ExchangeRequest.message(conversationID, turn: t + 1, turn.user)
            while !isCancelled {
                // A turn is recorded once its first exchange has run (a cancelled run may stop between turns).
                if play.turns.count == t { play.turns.append([]) }
                // A persistent agent that is gone (killed at an interrupt, or dead) is replaced by a new process.
                let afterRestart = served > 0 && (!suite.agent.persistent || restartedNext || child?.alive != true)
                let a = suite.agent.persistent
                    ? await launcher.runPersistent(key, example, tier: tier, attempt: attempt, child: &child, slot: slot, cell: account, exchange: request)
                    : await launcher.runProcess(key, example, tier: tier, attempt: attempt, cell: account, exchange: request)
                served += 1
                restartedNext = false
                let (_, root) = finisher.root(a, key: key, tier: tier, input: request.payload, attempt: attempt, extra: request.rootAttributes)
                var exchange = ConversationPlay.Exchange(request: request, attempt: a, root: root, interrupt: nil, afterRestart: afterRestart)
                let label = "turn \(t + 1) \(request.kind == .message ? "message" : "decision")"
                switch a.outcome {
                case .failed(let message, let transient):
                    play.turns[t].append(exchange)
                    play.failure = ("\(label): \(message)", transient, false)
                    play.stopped = "\(label) failed"
                    break turnLoop
                case .timedOut:
                    play.turns[t].append(exchange)
                    play.failure = ("\(label): the agent did not answer within \(suite.agent.timeoutSeconds) s; its process group was killed", false, true)
                    play.stopped = "\(label) timed out"
                    break turnLoop
                case .answered(let value):
                    guard let interrupt = AgentInterrupt(answer: value) else {
                        play.turns[t].append(exchange)
                        continue turnLoop
                    }
                    exchange.interrupt = interrupt
                    play.turns[t].append(exchange)
                    guard let decision = decisions.popFirst() else {
                        play.stopped = "turn \(t + 1): the agent asked for a decision (\(DisplayFormat.safe(interrupt.kind, limit: 40))) the script does not have"
                        play.stoppedOnUnscriptedInterrupt = true
                        break turnLoop
                    }
                    // A person comes back later, to a new process.
                    if restart && suite.agent.persistent {
                        child?.stop()
                        child = nil
                        restartedNext = true
                    }
                    request = .resume(conversationID, turn: t + 1, interrupt, decision)
                }
            }
            if isCancelled { break }
        }
        return play
    }
}

extension Runner {
    /// Runs a conversation cell with retries: an exchange that crashed or failed transiently starts the
    /// whole conversation again under a new conversation id, with backoff, as a single-turn cell is
    /// retried; the last attempt is scored and recorded.
    func runConversation(_ key: CellKey, _ example: RunPlan.Example, turns: [ExampleTurn], _ tier: Suite.Tier, launcher: AgentLauncher,
                         finisher: CellFinisher, child: inout PersistentChild?, slot: GatewaySlot?, account: GatewayCell?) async -> (CellResult, IngestBatch) {
        var attempt = 0
        while true {
            attempt += 1
            let play = await playConversation(key, example, turns: turns, tier, attempt: attempt, restart: launcher.restartBetweenTurns,
                                              launcher: launcher, finisher: finisher, child: &child, slot: slot, account: account)
            if let failure = play.failure, failure.transient, key.isClean, attempt <= suite.maxRetries, !isCancelled, account?.problems.isEmpty ?? true {
                _ = try? store.write { try $0.write(play.rootBatch) }
                let delay = suite.retryBaseSeconds * pow(2, Double(attempt - 1)) * Double.random(in: 0.5...1)
                try? await Task.sleep(for: .milliseconds(Int(delay * 1000)))
                continue
            }
            let cell = await finisher.finishConversation(play, key: key, example: example, turns: turns, tier: tier, attempts: attempt,
                                                         gateway: account, scorers: suite.conversation.scorers)
            return (cell, play.rootBatch)
        }
    }
}
