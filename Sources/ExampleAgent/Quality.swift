import Foundation
import AssayCore

/// A model tier, as the runner names it in `ASSAY_TIER`.
enum Tier: String, CaseIterable, Sendable {
    case low, mid, frontier

    /// The quality of the model called: `sim-low`, `sim-mid` and `sim-frontier` have their tier's
    /// quality whatever tier the runner names, as a real agent's quality follows its model; another
    /// model keeps the runner's tier.
    static func quality(model: String, tier: Tier) -> Tier {
        guard model.hasPrefix("sim-"), let simulated = Tier(rawValue: String(model.dropFirst(4))) else { return tier }
        return simulated
    }

    /// The chance that the triage label is right.
    var triageAccuracy: Double {
        switch self {
        case .low: 0.55
        case .mid: 0.85
        case .frontier: 0.95
        }
    }

    /// The chance that the tool call is right.
    var toolAccuracy: Double {
        switch self {
        case .low: 0.6
        case .mid: 0.85
        case .frontier: 0.9
        }
    }

    /// The chance that a reply sentence is dropped, and that one is replaced by a filler sentence.
    var replyDamage: (drop: Double, alter: Double) {
        switch self {
        case .low: (0.28, 0.32)
        case .mid: (0.14, 0.16)
        case .frontier: (0.11, 0.12)
        }
    }

    /// The chance that the model recalls, from a long conversation, the meeting time it settled on
    /// in an earlier turn (else it picks another time the thread mentions).
    var memoryAccuracy: Double {
        switch self {
        case .low: 0.55
        case .mid: 0.85
        case .frontier: 0.97
        }
    }

    /// The chance that the model sends a draft the user edited as it is (else it asks for approval
    /// of the edited text again, a decision it already had).
    var editFollowAccuracy: Double {
        switch self {
        case .low: 0.6
        case .mid: 0.9
        case .frontier: 0.97
        }
    }

    /// How long one simulated LLM call takes, in milliseconds.
    var llmLatencyMillis: Int {
        switch self {
        case .low: 5
        case .mid: 10
        case .frontier: 20
        }
    }
}

/// The seeded dice of one cell: every decision depends only on the example id, the tier, the
/// optional `ASSAY_SEED` and the step, so repeated runs give the same results. Each step has its own
/// generators, seeded from the first 8 bytes (big-endian) of SHA-256(`id|tier|seed|step`).
///
/// Whether a step goes right is decided by a draw that is the same on every tier (`difficulty`,
/// seeded with the tier `*`) against the tier's accuracy: an example a weak tier gets right, a
/// stronger tier gets right too, as with real models. How it goes wrong is drawn per tier (`choice`).
struct Dice {
    /// The seed when `ASSAY_SEED` is unset: chosen so that the 12 scenarios' realised means come
    /// close to the tier targets (README.md in examples/agents).
    static let defaultSeed = "1297"

    var exampleID: String
    var tier: Tier
    var seed: String

    /// The generator of how hard each decision of a step is: the same on every tier.
    func difficulty(_ step: String) -> SplitMix64 { generator(step, tier: "*") }

    /// The generator of the choices a step makes when it goes wrong, on this tier.
    func choice(_ step: String) -> SplitMix64 { generator(step, tier: tier.rawValue) }

    private func generator(_ step: String, tier: String) -> SplitMix64 {
        var hash = SHA256()
        hash.update("\(exampleID)|\(tier)|\(seed)|\(step)")
        let digest = hash.finalize()
        return SplitMix64(seed: digest.prefix(8).reduce(0) { ($0 << 8) | UInt64($1) })
    }
}

extension SplitMix64 {
    /// A uniform double in [0, 1) from the top 53 bits.
    mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }
}

/// What the simulated model decides at each step, given the dice.
enum Quality {
    /// Filler sentences a weak model writes instead of the specific ones.
    static let fillers = [
        "Please let me know if you have any other questions.",
        "We appreciate your patience while we look into this.",
        "I will get back to you as soon as I can.",
        "Thanks again for reaching out to us.",
    ]

    /// The triage label: the right one with the tier's accuracy, else one of the other two.
    static func label(right: TriageLabel, dice: Dice) -> TriageLabel {
        var d = dice.difficulty("triage"), c = dice.choice("triage")
        if d.unit() < dice.tier.triageAccuracy { return right }
        let others = TriageLabel.allCases.filter { $0 != right }
        return others[Int(c.next() % UInt64(others.count))]
    }

    /// The tool call made: the right one with the tier's accuracy; otherwise wrong arguments or no
    /// call (half each), or, for a scenario needing none, a needless `archive_email`.
    static func toolCall(for scenario: Scenario, dice: Dice) -> ToolUse? {
        var d = dice.difficulty("tools"), c = dice.choice("tools")
        let right = d.unit() < dice.tier.toolAccuracy
        guard let spec = scenario.tool else {
            return right ? nil : ToolUse(name: "archive_email", arguments: #"{"label":"misc"}"#, result: #"{"archived":true,"label":"misc"}"#)
        }
        if right { return spec.call }
        if c.next() % 2 == 0 {
            return ToolUse(name: spec.call.name, arguments: spec.wrongArguments, result: #"{"error":"not found"}"#)
        }
        return nil
    }

    /// The drafted reply: the ideal one with body sentences dropped or replaced by fillers, at the
    /// tier's rates. The greeting (first paragraph) and sign-off (last paragraph) are always kept.
    /// `step` names the dice (one per drafting step); a sentence `keep` holds to is never damaged (its
    /// draw is still made, so the other sentences fare the same).
    static func reply(ideal: String, dice: Dice, step: String = "reply", keep: (String) -> Bool = { _ in false }) -> String {
        var d = dice.difficulty(step), c = dice.choice(step)
        let (drop, alter) = dice.tier.replyDamage
        let paragraphs = ideal.components(separatedBy: "\n\n")
        guard paragraphs.count > 2 else { return ideal }
        var out = [paragraphs[0]]
        for paragraph in paragraphs[1..<(paragraphs.count - 1)] {
            var kept: [String] = []
            for sentence in sentences(paragraph) {
                let u = d.unit()
                if keep(sentence) {
                    kept.append(sentence)
                    continue
                }
                if u < drop { continue }
                if u < drop + alter {
                    kept.append(fillers[Int(c.next() % UInt64(fillers.count))])
                } else {
                    kept.append(sentence)
                }
            }
            if !kept.isEmpty { out.append(kept.joined(separator: " ")) }
        }
        out.append(paragraphs[paragraphs.count - 1])
        return out.joined(separator: "\n\n")
    }

    /// Splits a paragraph after each `.`, `!` or `?` that a space follows.
    static func sentences(_ paragraph: String) -> [String] {
        var out: [String] = []
        var current = ""
        var previous: Character = " "
        for c in paragraph {
            if c == " ", previous == "." || previous == "!" || previous == "?" {
                out.append(current)
                current = ""
            } else {
                current.append(c)
            }
            previous = c
        }
        if !current.isEmpty { out.append(current) }
        return out
    }
}
