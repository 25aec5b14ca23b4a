package import AssayCore
import Foundation

/// Any program as a scorer (kind `command`). The program gets one JSON document on standard input:
///
/// ```json
/// {"observed": ..., "expected": ..., "parameters": {...}, "spans": [span, ...]}
/// ```
///
/// (`spans` in the form of `assay traces show --json`), and writes one JSON object on standard output:
/// `{"score": 0.8, "passed": true, "explanation": "...", "metrics": {"name": 1.5}}` (only `score` is
/// required), or `{"unscored": "why"}`. A non-zero exit, a crash, a timeout or anything else on
/// standard output makes the score unscored with the reason; Assay itself never fails because of it.
package struct CommandScorer: Scorer {
    package let name: String
    package var kind: ScorerKind { .command }
    package let parametersJSON: String
    package let threshold: Double
    private let process: ChildProcess
    private let parameters: JSONValue

    /// Builds a command scorer from its parameters: `command` (a list: the program and its arguments,
    /// required), `timeout_seconds` (default 30), `parameters` (an object passed to the program),
    /// `environment` (an object of extra variables), `working_directory`.
    package static func make(parameters: JSONValue, threshold: Double?, name: String?) throws(AssayError) -> CommandScorer {
        let p = try ScorerParameters(kind: "command", value: parameters)
        try p.only(["command", "timeout_seconds", "parameters", "environment", "working_directory"])
        guard p.value("command")?.elements != nil, let command = try p.strings("command"), !command.isEmpty, !command[0].isEmpty else {
            throw AssayError.setting(place: "command", field: "command", problem: "required: the program and its arguments, as a list")
        }
        let timeout = try p.number("timeout_seconds", minimum: 0, exclusive: true) ?? 30
        guard timeout <= 86_400 else { throw p.error("timeout_seconds", "expected at most 86400 seconds (a day), got \(timeout)") }
        var environment: [String: String] = [:]
        if let env = p.value("environment") {
            guard let members = env.members else { throw p.error("environment", "expected an object of names to strings") }
            for m in members {
                guard let v = m.value.string else { throw p.error("environment", "\(m.key): expected a string") }
                environment[m.key] = v
            }
        }
        let passed = p.value("parameters") ?? .object([])
        guard passed.members != nil else { throw p.error("parameters", "expected an object") }
        let t = threshold ?? 0.5
        guard (0...1).contains(t) else { throw AssayError.setting(place: "command", field: "threshold", problem: "expected a number from 0 to 1") }
        return CommandScorer(name: name ?? "command", parametersJSON: parameters.canonicalJSON, threshold: t,
                             process: ChildProcess(arguments: command, environment: environment,
                                                   workingDirectory: try p.string("working_directory"), timeoutSeconds: timeout),
                             parameters: passed)
    }

    package func score(_ input: ScorerInput) async -> Score {
        var w = JSONWriter(capacity: 4096)
        w.raw("{\"observed\":")
        let derived = input.spans.reversed().lazy.compactMap { SpanContent(span: $0.span).outputText }.first
        (input.observed ?? derived.map(JSONValue.string) ?? .null).write(to: &w)
        w.raw(",\"expected\":")
        (input.expected ?? .null).write(to: &w)
        w.raw(",\"parameters\":")
        parameters.write(to: &w)
        w.raw(",\"spans\":[")
        for (i, s) in input.spans.enumerated() {
            if i > 0 { w.byte(UInt8(ascii: ",")) }
            SpanJSON.write(s, to: &w)
        }
        w.raw("]}\n")
        let program = DisplayFormat.safe(process.arguments[0], limit: 60)
        let result: ChildProcess.Result
        do { result = try await process.run(input: w.bytes) } catch {
            return unscored("\(error)")
        }
        if result.timedOut { return unscored("\(program) did not finish within \(process.timeoutSeconds) s and was killed") }
        if let signal = result.signal { return unscored("\(program) was killed by signal \(signal)") }
        if result.exitStatus != 0 {
            let firstLine = String(decoding: result.stderr.prefix(400), as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
            return unscored("\(program) exited with status \(result.exitStatus ?? -1)" + (firstLine.isEmpty ? "" : ": " + DisplayFormat.safe(firstLine, limit: 160)))
        }
        return parse(result.stdout, program: program)
    }

    private func parse(_ stdout: [UInt8], program: String) -> Score {
        guard let value = try? JSONValue.parse(String(decoding: stdout, as: UTF8.self)), let members = value.members else {
            return unscored("\(program) did not print a JSON object on standard output")
        }
        if let reason = value["unscored"]?.string { return unscored("\(program): " + DisplayFormat.safe(reason, limit: 200)) }
        let known: Set<String> = ["score", "passed", "explanation", "metrics", "unscored"]
        if let bad = members.first(where: { !known.contains($0.key) }) {
            return unscored("\(program) printed an unknown key '\(DisplayFormat.safe(bad.key, limit: 40))' (expected score, passed, explanation, metrics)")
        }
        guard let v = value["score"]?.double, (0...1).contains(v) else { return unscored("\(program) printed no score from 0 to 1") }
        var passed = v >= threshold
        if let p = value["passed"] {
            guard case .bool(let b) = p else { return unscored("\(program): passed must be true or false") }
            passed = b
        }
        var metrics: [ScoreMetric] = []
        if let m = value["metrics"] {
            guard let list = m.members else { return unscored("\(program): metrics must be an object of numbers") }
            for item in list {
                guard let d = item.value.double else { return unscored("\(program): metrics.\(DisplayFormat.safe(item.key, limit: 40)) is not a number") }
                metrics.append(ScoreMetric(item.key, d))
            }
        }
        let explanation = value["explanation"]?.string.map { DisplayFormat.safe($0, limit: 500) } ?? ""
        return Score(scorer: name, kind: kind, parameters: parametersJSON, threshold: threshold,
                     outcome: .scored(value: v, passed: passed), explanation: explanation, metrics: metrics)
    }

    private func unscored(_ reason: String) -> Score {
        Score(scorer: name, kind: kind, parameters: parametersJSON, threshold: threshold,
              outcome: .unscored(.scorerFailed(reason)), explanation: reason)
    }
}
