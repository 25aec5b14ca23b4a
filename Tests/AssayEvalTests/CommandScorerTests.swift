import Foundation
import Testing
@testable import AssayCore
import AssayOTLP
@testable import AssayEval

@Suite("Command scorers")
struct CommandScorerTests {
    func scorer(_ script: String, timeout: Double = 10, threshold: Double? = nil) throws -> CommandScorer {
        try CommandScorer.make(parameters: .object([("command", .array([.string("/bin/sh"), .string("-c"), .string(script)])),
                                                     ("timeout_seconds", .number(String(timeout))),
                                                     ("parameters", .object([("strict", .bool(true))]))]),
                               threshold: threshold, name: "sh")
    }

    let input = ScorerInput(observed: .string("Paris"), expected: .string("Paris"))

    @Test("sends observed, expected, parameters and spans as JSON and reads the score back")
    func roundTrip() async throws {
        let s = try scorer(#"read -r line; case "$line" in *'"observed":"Paris"'*'"expected":"Paris"'*'"strict":true'*'"spans":[]'*) echo '{"score":0.75,"explanation":"ok","metrics":{"f1":0.5}}';; *) echo '{"score":0}';; esac"#)
        let score = await s.score(input)
        #expect(score.value == 0.75 && score.passed == true)
        #expect(score.explanation == "ok" && score.metric("f1") == 0.5)
        #expect(score.kind == .command && score.parameters.contains("/bin/sh"))
    }

    @Test("a crash, a failure, garbage, a bad score or a timeout is unscored with the reason", arguments: [
        ("kill -SEGV $$", "killed by signal 11"),
        ("echo 'boom: cannot import model' >&2; exit 3", "exited with status 3: boom: cannot import model"),
        ("echo 'not json at all'", "did not print a JSON object"),
        (#"echo '{"score": 7}'"#, "printed no score from 0 to 1"),
        (#"echo '{"score": 0.5, "colour": 1}'"#, "unknown key 'colour'"),
        (#"echo '{"unscored": "no reference translation"}'"#, "no reference translation"),
        ("sleep 30 & echo $! > \"$PIDFILE\"; sleep 30; echo '{\"score\":1}'", "did not finish within 1.0 s"),
        ("", "did not print a JSON object"),
    ])
    func failures(script: String, reason: String) async throws {
        let pidFile = FileManager.default.temporaryDirectory.appendingPathComponent("assay-pid-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: pidFile) }
        let score = await (try scorer(script.replacingOccurrences(of: "$PIDFILE", with: pidFile), timeout: 1)).score(input)
        guard case .unscored(.scorerFailed(let text)) = score.outcome else { Issue.record("scored: \(score)"); return }
        #expect(text.contains(reason), "\(text)")
        // At the timeout the whole process group goes, background children included.
        if let pid = (try? String(contentsOfFile: pidFile, encoding: .utf8)).flatMap({ Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }) {
            var alive = true
            for _ in 0..<100 where alive {
                // Gone, or a zombie waiting for init to reap it.
                let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
                alive = kill(pid, 0) == 0 && !stat.contains(") Z ")
                if alive { try await Task.sleep(for: .milliseconds(20)) }
            }
            #expect(!alive, "the scorer's background child \(pid) outlived the timeout")
        }
    }

    @Test("a program that does not exist is unscored, not a crash")
    func missing() async throws {
        let s = try CommandScorer.make(parameters: .object([("command", .array([.string("/nonexistent/scorer")]))]), threshold: nil, name: nil)
        let score = await s.score(input)
        #expect(score.value == nil)
        #expect(score.explanation.contains("/nonexistent/scorer"))
    }

    @Test("refuses a command that is not a list of strings")
    func badParameters() {
        #expect(throws: AssayError.self) { try CommandScorer.make(parameters: .object([("command", .string("python x.py"))]), threshold: nil, name: nil) }
        #expect(throws: AssayError.self) { try CommandScorer.make(parameters: .object([("command", .array([.string("x")])), ("retries", .number("2"))]), threshold: nil, name: nil) }
    }

    @Test("a component combines weighted scores and passes at its threshold")
    func component() async throws {
        let file = try ScorerFileLoader().parse("""
            selector: root
            threshold: 0.6
            scorers:
              - kind: exact_match
                weight: 3
              - kind: contains
                values: [Lyon]
            """, source: "c.yaml")
        let store = InMemoryTraceStore()
        let batch = IngestBatch(TracesData(resourceSpans: [ResourceSpans(scopeSpans: [ScopeSpans(spans: [
            Span(traceID: TraceID(high: 0, low: 1)!, spanID: SpanID(1)!, name: "agent", attributes: [Attribute("output.value", .string("Paris"))]),
        ])])]))
        _ = try store.write { try $0.write(batch) }
        let trace = try #require(try store.trace(TraceID(high: 0, low: 1)!))
        let result = await file.component.score(trace, expected: .string("Paris"))
        #expect(result.value == 0.75 && result.passed == true)
        let none = await file.component.score(trace, expected: nil)
        #expect(none.value == 0 && none.passed == false, "exact_match is unscored without expected; contains still scores")
    }
}
