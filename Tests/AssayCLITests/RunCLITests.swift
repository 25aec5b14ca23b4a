import Foundation
import Testing

/// `assay run` end to end with small shell agents that follow the protocol, so that every outcome is known.
@Suite("assay run", .serialized)
struct RunCLITests {
    /// A workspace with a dataset of `count` examples whose expected output is their input.
    func workspace(examples count: Int = 3, suite: String) throws -> URL {
        let w = try AssayProcess.workspace()
        try FileManager.default.createDirectory(at: w.appendingPathComponent("Datasets"), withIntermediateDirectories: true)
        let lines = (1...count).map {
            #"{"id":"ex\#(String(format: "%02d", $0))","input":"q\#($0)","expected":"q\#($0)","status":"ready","components":{"answer":{"selector":"op=chat","expected":"q\#($0)","status":"ready"}}}"#
        }
        try (lines.joined(separator: "\n") + "\n").write(to: w.appendingPathComponent("Datasets/d.jsonl"), atomically: true, encoding: .utf8)
        try suite.write(to: w.appendingPathComponent("assay.yaml"), atomically: true, encoding: .utf8)
        return w
    }

    static func suite(agent: String, extra: String = "", timeout: Int = 10) -> String {
        """
        agent:
          command:
            - /bin/sh
            - -c
            - |
        \(agent.split(separator: "\n", omittingEmptySubsequences: false).map { "      " + $0 }.joined(separator: "\n"))
          timeout_seconds: \(timeout)
        tiers:
          low: {model: small, input_price: 1, output_price: 2}
          mid: {model: medium, input_price: 3, output_price: 6}
          frontier: {model: large, input_price: 10, output_price: 30}
        datasets: [Datasets/d.jsonl]
        components:
          - component: answer
            selector: op=chat
            scorers: [{kind: exact_match}]
        end_to_end:
          threshold: 1
          scorers: [{kind: exact_match}]
        retries: {max: 2, base_delay_seconds: 0.01}
        \(extra)
        """
    }

    /// A shell agent that writes one chat span with tokens to $ASSAY_TRACE_FILE under $TRACEPARENT,
    /// then prints `answer` (a shell expression giving a JSON value).
    static func spanAgent(answer: String) -> String {
        #"""
        read -r input; tp=$TRACEPARENT; trace=$(echo $tp | cut -d- -f2); parent=$(echo $tp | cut -d- -f3)
        out=\#(answer)
        printf '{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"%s","spanId":"%s","parentSpanId":"%s","name":"chat","startTimeUnixNano":"1","endTimeUnixNano":"2","attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"chat"}},{"key":"gen_ai.request.model","value":{"stringValue":"%s"}},{"key":"gen_ai.usage.input_tokens","value":{"intValue":"1000"}},{"key":"gen_ai.usage.output_tokens","value":{"intValue":"100"}},{"key":"output.value","value":{"stringValue":%s}}]}]}]}]}\n' $trace 00000000000000aa $parent $ASSAY_MODEL "$out" >> $ASSAY_TRACE_FILE
        echo "$out"
        """#
    }

    func runJSON(_ w: URL, _ id: String) throws -> [String: Any] {
        let data = try Data(contentsOf: w.appendingPathComponent("Reports/runs/\(id).json"))
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    /// The cells of the run whose id the output names.
    func cells(_ w: URL, _ output: String) throws -> [[String: Any]] {
        guard let id = runID(output) else { throw CLIFailure("no run id in: \(output)") }
        return try runJSON(w, id)["cells"] as? [[String: Any]] ?? []
    }

    func runID(_ output: String) -> String? {
        output.range(of: #"run (run-[0-9a-f-]+):"#, options: .regularExpression).map { String(output[$0].dropFirst(4).dropLast()) }
    }

    @Test("runs every example on every tier, scores components and the final output, and advises the cheapest good tier")
    func wholeRun() throws {
        let agent = Self.spanAgent(answer: #"$( [ "$ASSAY_TIER" = low ] && echo '"wrong"' || echo "$input")"#)
        let w = try workspace(suite: Self.suite(agent: agent))
        let r = try AssayProcess.run(["run", "--quiet"], in: w)
        #expect(r.status == 0, "\(r.stderr)")
        let id = try #require(runID(r.stdout))
        let run = try runJSON(w, id)
        let cells = try #require(run["cells"] as? [[String: Any]])
        #expect(cells.count == 9 && run["state"] as? String == "finished")
        #expect(r.stdout.contains("routing: answer: use mid"), "\(r.stdout)")
        #expect(r.stdout.contains("routing: end_to_end: use mid"))
        #expect(!r.stdout.contains("scaling check: answer"), "the answer improves from low to mid")
        // 1000 input and 100 output tokens: low 0.0012, mid 0.0036, frontier 0.013 dollars a cell.
        let costs = Dictionary(grouping: cells, by: { ($0["key"] as? [String: Any])?["tier"] as? String ?? "" }).mapValues { $0.compactMap { $0["costUSD"] as? Double } }
        #expect(costs["low"]?.allSatisfy { abs($0 - 0.0012) < 1e-9 } == true)
        #expect(costs["frontier"]?.allSatisfy { abs($0 - 0.013) < 1e-9 } == true)
        let low = cells.filter { ($0["key"] as? [String: Any])?["tier"] as? String == "low" }
        let scores = low.compactMap { ($0["components"] as? [[String: Any]])?.first?["value"] as? Double }
        #expect(scores == [0, 0, 0])
        let trace = try #require(cells.first?["traceID"] as? String)
        let show = try AssayProcess.run(["traces", "show", trace], in: w)
        #expect(show.stdout.contains("assay.cell") && show.stdout.contains("chat"), "the cell's trace holds the runner's root and the agent's span")
        let page = try String(contentsOf: w.appendingPathComponent("Reports/traces.html"), encoding: .utf8)
        #expect(page.contains("run \(id)"), "the run's trace page carries each cell's component scores as the run's feedback")
        #expect(run["datasetVersions"] as? [String: String] != nil && run["gitRevision"] != nil || run["gitRevision"] == nil)
    }

    @Test("a crashing, hanging, garbage-printing or span-less agent fails only its cells, with the reason")
    func badAgents() throws {
        let agent = #"""
        read -r input
        case "$input" in
          '"q1"') kill -SEGV $$ ;;
          '"q2"') sleep 60 ;;
          '"q3"') echo 'this is not json' ;;
          *) echo "$input" ;;
        esac
        """#
        let w = try workspace(examples: 4, suite: Self.suite(agent: agent, extra: "concurrency: 4", timeout: 1))
        let started = Date()
        let r = try AssayProcess.run(["run", "--quiet"], in: w)
        #expect(r.status == 1, "failed cells fail the run's gate (none allowed by default): \(r.stderr)")
        #expect(r.stdout.contains("gate: FAILED: ") && r.stdout.contains("tier low: 3 of 4 cells failed"), "\(r.stdout)")
        #expect(Date().timeIntervalSince(started) < 55, "hung agents (sleep 60) are killed at the cell timeout")
        let cells = try self.cells(w, r.stdout)
        func cell(_ example: String) -> [String: Any]? { cells.first { ($0["key"] as? [String: Any])?["example"] as? String == example } }
        #expect(cells.count == 12)
        #expect(cell("ex01")?["status"] as? String == "error" && (cell("ex01")?["error"] as? String)?.contains("signal 11") == true)
        #expect(cell("ex01")?["attempts"] as? Int == 3, "crashes are retried")
        #expect(cell("ex02")?["status"] as? String == "timeout")
        #expect(cell("ex03")?["status"] as? String == "error" && cell("ex03")?["attempts"] as? Int == 1, "garbage is not retried")
        #expect(cell("ex04")?["status"] as? String == "ok")
        let components = cell("ex04")?["components"] as? [[String: Any]] ?? []
        #expect(components.first { $0["component"] as? String == "answer" }?["value"] == nil, "no spans: the component is unscored")
        #expect(components.first { $0["component"] as? String == "end_to_end" }?["value"] as? Double == 1)
        // The terminal says why, reason by reason, with counts and a cell each.
        #expect(r.stdout.contains("cells failed:"), "\(r.stdout)")
        #expect(r.stdout.contains("3 × the agent was killed by signal 11") && r.stdout.contains("(e.g. ex01/"), "\(r.stdout)")
        #expect(r.stdout.contains("× the agent's standard output is not one JSON value") && r.stdout.contains("starting \"this is not json\"")
                && r.stdout.contains("logs on standard error"), "\(r.stdout)")
        #expect(r.stdout.contains("× the agent did not answer within 1"), "\(r.stdout)")
        #expect(r.stdout.contains("WARNING: 3 of 12 cells got no spans from the agent"), "\(r.stdout)")
    }

    @Test("an agent that sends no spans gets a loud warning and no scaling or routing claim drawn from what was not scored")
    func spanlessAgent() throws {
        let w = try workspace(suite: Self.suite(agent: #"read -r input; echo "$input""#))
        let r = try AssayProcess.run(["run", "--quiet"], in: w)
        #expect(r.stdout.contains("WARNING: 9 of 9 cells got no spans from the agent"), "\(r.stdout)")
        #expect(r.stdout.contains("scaling check: answer could not be judged"), "\(r.stdout)")
        #expect(!r.stdout.contains("does not improve"), "no bottleneck from unscored data: \(r.stdout)")
        #expect(r.stdout.contains("routing: answer: no tier is good enough (nothing was scored)"), "\(r.stdout)")
        #expect(!r.stdout.contains("cheapest"), "no token counts: no tier is called cheapest: \(r.stdout)")
        #expect(r.stdout.contains("costs are unknown"), "\(r.stdout)")
        let cells = try self.cells(w, r.stdout)
        let answer = cells.compactMap { ($0["components"] as? [[String: Any]])?.first { $0["component"] as? String == "answer" } }
        let codes = answer.flatMap { ($0["scores"] as? [[String: Any]] ?? []).compactMap { $0["unscored"] as? String } }
        #expect(codes.count == 9 && codes.allSatisfy { $0 == "no_agent_spans" }, "\(codes)")
        let reasons = answer.flatMap { ($0["scores"] as? [[String: Any]] ?? []).compactMap { $0["reason"] as? String } }
        #expect(reasons.count == 9 && reasons.allSatisfy { $0.hasPrefix("no spans arrived from the agent") }, "one shape everywhere: code and sentence")
        #expect(cells.allSatisfy { $0["agentSpans"] as? Int == 0 })
    }

    @Test("a missing, non-executable or unknown agent program is a usage error before any cell, naming the program",
          arguments: [("./build/no-such-agent", "no such file"), ("./agent.sh", "not executable"), ("no-such-program-on-path", "not found in PATH")])
    func agentPreflight(program: String, reason: String) throws {
        let suite = Self.suite(agent: "cat").replacingOccurrences(of: "    - /bin/sh\n    - -c\n    - |\n      cat\n", with: "    - \(program)\n")
        #expect(suite.contains(program))
        let w = try workspace(suite: suite)
        try "#!/bin/sh\ncat\n".write(to: w.appendingPathComponent("agent.sh"), atomically: true, encoding: .utf8)
        let started = Date()
        let r = try AssayProcess.run(["run", "--quiet"], in: w)
        #expect(r.status == 2, "\(r.stdout)\(r.stderr)")
        #expect(r.stderr.contains("cannot start the agent \(program)") && r.stderr.contains(reason), "\(r.stderr)")
        #expect(Date().timeIntervalSince(started) < 10)
        let runs = try AssayProcess.run(["runs"], in: w)
        #expect(!runs.stdout.contains("run-"), "no run is recorded: \(runs.stdout)")
    }

    @Test("a failure the agent marks transient (exit 75) is retried and then succeeds")
    func transient() throws {
        let agent = #"read -r input; m="$TMPDIR_MARK/$ASSAY_EXAMPLE_ID-$ASSAY_TIER"; if [ ! -e "$m" ]; then touch "$m"; exit 75; fi; echo "$input""#
        let w = try workspace(examples: 2, suite: Self.suite(agent: agent))
        let marks = w.appendingPathComponent("marks")
        try FileManager.default.createDirectory(at: marks, withIntermediateDirectories: true)
        let r = try AssayProcess.run(["run", "--quiet"], in: w, environment: ["TMPDIR_MARK": marks.path])
        let cells = try self.cells(w, r.stdout)
        #expect(cells.allSatisfy { $0["status"] as? String == "ok" && $0["attempts"] as? Int == 2 })
    }

    @Test("kill -9 of the runner mid-run, then --resume: every cell exactly once")
    func killAndResume() throws {
        let agent = #"read -r input; sleep 0.2; echo "$input""#
        let w = try workspace(examples: 10, suite: Self.suite(agent: agent, extra: "concurrency: 2"))
        let process = Process()
        process.executableURL = AssayProcess.executable
        process.arguments = ["run", "--quiet"]
        process.currentDirectoryURL = w
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        var done = 0
        let deadline = Date().addingTimeInterval(30)
        while done < 6 && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.1)
            let runs = try AssayProcess.run(["runs"], in: w).stdout
            done = runs.range(of: #"(\d+)/30"#, options: .regularExpression).flatMap { Int(runs[$0].split(separator: "/")[0]) } ?? 0
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(done >= 6 && done < 30, "killed mid-run after \(done) cells")
        let resumed = try AssayProcess.run(["run", "--resume", "--quiet"], in: w)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let cells = try self.cells(w, resumed.stdout)
        let keys = cells.compactMap { c -> String? in (c["key"] as? [String: Any]).map { "\($0["example"]!)/\($0["tier"]!)/\($0["repeatIndex"]!)" } }
        #expect(keys.count == 30 && Set(keys).count == 30)
        #expect(cells.allSatisfy { $0["status"] as? String == "ok" })
    }

    @Test("shards merged give the same cells and scores as one unsharded run")
    func shards() throws {
        let agent = Self.spanAgent(answer: #"$( [ "$ASSAY_TIER" = low ] && echo '"wrong"' || echo "$input")"#)
        let w = try workspace(examples: 6, suite: Self.suite(agent: agent))
        let whole = try AssayProcess.run(["run", "--quiet"], in: w)
        let one = try AssayProcess.run(["run", "--quiet", "--shard", "1/2"], in: w)
        let two = try AssayProcess.run(["run", "--quiet", "--shard", "2/2"], in: w)
        let ids = try [whole, one, two].map { try #require(runID($0.stdout)) }
        let merged = try AssayProcess.run(["merge", "Reports/runs/\(ids[1]).json", "Reports/runs/\(ids[2]).json"], in: w)
        #expect(merged.status == 0, "\(merged.stderr)")
        let mergedID = try #require(merged.stdout.range(of: #"run-merged-[0-9a-f]+"#, options: .regularExpression).map { String(merged.stdout[$0]) })
        func digest(_ id: String) throws -> [String] {
            try (runJSON(w, id)["cells"] as? [[String: Any]] ?? []).map { c in
                let k = c["key"] as? [String: Any] ?? [:]
                let values = (c["components"] as? [[String: Any]] ?? []).map { "\($0["component"]!)=\($0["value"] ?? "-")" }
                return "\(k["example"]!)/\(k["tier"]!) \(c["status"]!) \(values) \(c["costUSD"]!)"
            }.sorted()
        }
        #expect(try digest(mergedID) == digest(ids[0]))
        #expect(try digest(ids[1]).count > 0 && digest(ids[2]).count > 0)
        let twice = try AssayProcess.run(["merge", "Reports/runs/\(ids[1]).json", "Reports/runs/\(ids[1]).json", "Reports/runs/\(ids[2]).json"], in: w)
        #expect(twice.status == 1 && twice.stderr.contains("is in both"), "\(twice.stderr)")
        let half = try AssayProcess.run(["merge", "Reports/runs/\(ids[1]).json"], in: w)
        #expect(half.status == 1 && half.stderr.contains("shard 2/2 is missing"), "\(half.stderr)")
    }

    @Test("persistent mode: one process per worker answers a line per cell; a crash fails only its cell and a new process takes over")
    func persistent() throws {
        let agent = #"n=0; while read -r line; do n=$((n+1)); if [ $n -eq 3 ]; then exit 1; fi; echo '{"output":"q1"}'; done"#
        let w = try workspace(examples: 1, suite: Self.suite(agent: agent, extra: "concurrency: 1\nrepeats: 3").replacingOccurrences(of: "  timeout_seconds", with: "  mode: persistent\n  timeout_seconds"))
        let r = try AssayProcess.run(["run", "--quiet"], in: w)
        #expect(r.status == 0, "\(r.stderr)")
        let cells = try self.cells(w, r.stdout)
        #expect(cells.count == 9)
        #expect(cells.allSatisfy { $0["status"] as? String == "ok" }, "the crashed request is retried on a new process")
        #expect(cells.contains { $0["attempts"] as? Int == 2 })
    }

    @Test("the budget stops new cells, and Ctrl-C stops cleanly with the resume command")
    func budgetAndInterrupt() throws {
        let w = try workspace(examples: 10, suite: Self.suite(agent: Self.spanAgent(answer: #""$input""#), extra: "concurrency: 1\nbudget_usd: 0.01"))
        let r = try AssayProcess.run(["run", "--quiet"], in: w)
        #expect(r.status == 1 && r.stderr.contains("budget"), "\(r.stderr)")
        #expect(r.stdout.contains("budget_exhausted"))
        let more = try AssayProcess.run(["run", "--quiet", "--resume", "--budget-usd", "1"], in: w)
        #expect(more.status == 0 && more.stdout.contains("30 of 30 cells"), "a larger budget finishes the run: \(more.stdout)\(more.stderr)")

        let slow = try workspace(examples: 10, suite: Self.suite(agent: #"read -r input; sleep 1; echo "$input""#, extra: "concurrency: 2"))
        let process = Process()
        process.executableURL = AssayProcess.executable
        process.arguments = ["run", "--quiet"]
        process.currentDirectoryURL = slow
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        Thread.sleep(forTimeInterval: 2.5)
        kill(process.processIdentifier, SIGINT)
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        #expect(text.contains("--resume --run run-"), "\(text)")
        let resumed = try AssayProcess.run(["run", "--resume", "--quiet"], in: slow)
        #expect(resumed.status == 0 && resumed.stdout.contains("30 of 30 cells"), "\(resumed.stdout)\(resumed.stderr)")
    }

    @Test("the gate passes a run against its own baseline, fails a real drop with exit 1, and refuses a bad baseline with exit 2")
    func gate() throws {
        let good = #"read -r input; echo "$input""#
        let w = try workspace(examples: 40, suite: Self.suite(agent: good, extra: "concurrency: 4"))
        #expect(try AssayProcess.run(["run", "--quiet"], in: w).status == 0)
        let saved = try AssayProcess.run(["baseline", "save", "latest", "--to", "Reports/baseline.json"], in: w)
        #expect(saved.status == 0, "\(saved.stderr)")
        #expect(try AssayProcess.run(["run", "--quiet"], in: w).status == 0)
        let same = try AssayProcess.run(["gate", "latest", "--baseline", "Reports/baseline.json"], in: w)
        // `answer` is never scored (no spans), and 40 equal examples cannot rule out a 2-point drop: the verdict says so.
        #expect(same.status == 0 && same.stdout.contains("gate against Reports/baseline.json: passed, but 6 of 6 gated cells could not be judged: drops under"),
                "\(same.stdout)\(same.stderr)")
        // Half of the examples now get a wrong answer on the mid tier.
        let worse = #"read -r input; n=$(echo "$input" | tr -dc 0-9); if [ "$ASSAY_TIER" = mid ] && [ $((n % 2)) -eq 0 ]; then echo '"wrong"'; else echo "$input"; fi"#
        try Self.suite(agent: worse, extra: "concurrency: 4").write(to: w.appendingPathComponent("assay.yaml"), atomically: true, encoding: .utf8)
        let worseRun = try AssayProcess.run(["run", "--quiet"], in: w)
        #expect(worseRun.status == 1 && worseRun.stdout.contains("gate against Reports/baseline.json: FAILED: end_to_end on mid regressed"),
                "with a baseline present, assay run exits 1 when the gate fails: \(worseRun.stdout)")
        let dropped = try AssayProcess.run(["gate", "latest", "--baseline", "Reports/baseline.json"], in: w)
        #expect(dropped.status == 1, "\(dropped.stdout)")
        #expect(dropped.stdout.contains("FAILED: end_to_end on mid regressed"), "\(dropped.stdout)")
        #expect(!dropped.stdout.contains("end_to_end on low regressed") && !dropped.stdout.contains("end_to_end on frontier regressed"))
        // Gating only the other tiers passes: mid is then compared, not gated.
        let others = try AssayProcess.run(["gate", "latest", "--baseline", "Reports/baseline.json", "--tier", "low", "--tier", "frontier"], in: w)
        #expect(others.status == 0, "\(others.stdout)")
        let report = try String(contentsOf: w.appendingPathComponent("Reports/assay-summary.md"), encoding: .utf8)
        #expect(report.contains("regress"), "the reports of the run carry the gate's verdict")
        try "{\"version\": 9}".write(to: w.appendingPathComponent("bad.json"), atomically: true, encoding: .utf8)
        let bad = try AssayProcess.run(["gate", "latest", "--baseline", "bad.json"], in: w)
        #expect(bad.status == 2 && bad.stderr.contains("bad.json"), "\(bad.stderr)")
        #expect(try AssayProcess.run(["gate", "latest", "--baseline", "Reports/baseline.json", "--alpha", "2"], in: w).status == 2)
    }

    @Test("a run's cell traces stay apart from the application's: traces list, browse and score leave them out unless asked")
    func runTracesApart() throws {
        let w = try workspace(suite: Self.suite(agent: Self.spanAgent(answer: #""$input""#)))
        #expect(try AssayProcess.run(["ingest", ScoreCLITests.traces], in: w).status == 0)
        #expect(try AssayProcess.run(["run", "--quiet"], in: w).status == 0)
        func count(_ arguments: [String]) throws -> Int {
            let r = try AssayProcess.run(["traces", "list", "--json", "--limit", "100"] + arguments, in: w)
            return (try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [Any])?.count ?? -1
        }
        #expect(try count([]) == 5, "the application's traces only")
        #expect(try count(["--runs"]) == 9)
        #expect(try count(["--include-runs"]) == 14)
        #expect(!(try AssayProcess.run(["traces", "list"], in: w).stdout.contains("assay.cell")))
        #expect(try AssayProcess.run(["traces", "list", "--runs", "--include-runs"], in: w).status == 2)
        let page = w.appendingPathComponent("Reports/traces.html")
        let before = try Data(contentsOf: page)
        let browse = try AssayProcess.run(["browse"], in: w)
        #expect(browse.status == 0 && browse.stdout.hasPrefix("Reports/browse.html: 5 traces"), "\(browse.stdout)\(browse.stderr)")
        #expect(try Data(contentsOf: page) == before, "the run's page is left as the run wrote it")
        let over = try AssayProcess.run(["browse", "--out", "Reports/traces.html"], in: w)
        #expect(over.status == 2 && over.stderr.contains("is the trace page of a run"), "\(over.stderr)")
    }

    @Test("a component's expected value is its case's, never the example's top-level expected: without one it is unscored missing_expected")
    func noExpectedFallback() throws {
        let w = try workspace(examples: 2, suite: Self.suite(agent: Self.spanAgent(answer: #""$input""#)))
        let lines = (1...2).map { #"{"id":"ex0\#($0)","input":"q\#($0)","expected":"q\#($0)","status":"ready","components":{"answer":{"selector":"op=chat","expected":null,"status":"needs_expected"}}}"# }
        try (lines.joined(separator: "\n") + "\n").write(to: w.appendingPathComponent("Datasets/d.jsonl"), atomically: true, encoding: .utf8)
        let r = try AssayProcess.run(["run", "--quiet"], in: w)
        #expect(r.status == 0, "\(r.stderr)")
        let cells = try self.cells(w, r.stdout)
        let answers = cells.compactMap { ($0["components"] as? [[String: Any]])?.first { $0["component"] as? String == "answer" } }
        #expect(answers.count == 6 && answers.allSatisfy { $0["value"] == nil })
        #expect(answers.allSatisfy { (($0["scores"] as? [[String: Any]])?.first?["unscored"] as? String) == "missing_expected" })
        #expect(r.stdout.contains("not scored: answer: 6 × no expected value"), "\(r.stdout)")
    }

    @Test("--tier runs only the named tiers and refuses one the suite lacks, naming its tiers")
    func oneTier() throws {
        let w = try workspace(suite: Self.suite(agent: #"read -r input; echo "$input""#))
        let r = try AssayProcess.run(["run", "--quiet", "--tier", "mid"], in: w)
        #expect(r.status == 0, "\(r.stderr)")
        let cells = try self.cells(w, r.stdout)
        #expect(cells.count == 3 && cells.allSatisfy { ($0["key"] as? [String: Any])?["tier"] as? String == "mid" })
        let bad = try AssayProcess.run(["run", "--quiet", "--tier", "huge"], in: w)
        #expect(bad.status == 2 && bad.stderr.contains("no tier 'huge'") && bad.stderr.contains("low, mid, frontier"), "\(bad.stderr)")
    }

    @Test("a missing baseline file says how to create one; a run whose cells all failed is refused as a baseline; report says what it wrote")
    func baselines() throws {
        let w = try workspace(suite: Self.suite(agent: "exit 3"))
        _ = try AssayProcess.run(["run", "--quiet"], in: w)
        let missing = try AssayProcess.run(["gate", "latest", "--baseline", "Reports/baseline.json"], in: w)
        #expect(missing.status == 2 && missing.stderr.contains("Reports/baseline.json: the baseline file does not exist")
                && missing.stderr.contains("assay baseline save latest --to Reports/baseline.json"), "\(missing.stderr)")
        let refused = try AssayProcess.run(["baseline", "save", "latest"], in: w)
        #expect(refused.status == 1 && refused.stderr.contains("every one of its 9 cells failed") && refused.stderr.contains("--force"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: w.appendingPathComponent("Reports/baseline.json").path))
        let forced = try AssayProcess.run(["baseline", "save", "latest", "--force"], in: w)
        #expect(forced.status == 0, "\(forced.stderr)")
        let report = try AssayProcess.run(["report", "latest", "--markdown", "out.md"], in: w)
        #expect(report.status == 0 && report.stdout == "wrote out.md\n", "\(report.stdout)\(report.stderr)")
        #expect(try AssayProcess.run(["report", "run-nope"], in: w).status == 2, "an unknown run is a usage error, as in gate")
    }

    @Test("a bad suite is reported as file:line: path: problem")
    func badSuite() throws {
        let w = try workspace(suite: "agent:\n  command: x\ntiers:\n  low: {input_price: 1}\ndatasets: [Datasets/d.jsonl]\nrepeats: 0\ncolour: red\n")
        let r = try AssayProcess.run(["run"], in: w)
        #expect(r.status == 1)
        #expect(r.stderr.contains("assay.yaml:2: agent.command: required"), "\(r.stderr)")
        #expect(r.stderr.contains("assay.yaml:4: tiers.low.model: required"))
        #expect(r.stderr.contains("assay.yaml:6: repeats: expected a whole number"))
        #expect(r.stderr.contains("assay.yaml:7: colour: unknown key"))
    }

    @Test("every suite problem is reported at the suite's file:line: a typo beside a missing key, a missing scorer folder, a missing dataset")
    func suiteProblemsAtTheirLines() throws {
        let suite = "agent:\n  command: [cat]\ntiers:\n  low: {modle: small}\ndatasets:\n  - Datasets/d.jsonl\n  - Datasets/gone.jsonl\ncomponents:\n  - Scorers/none\n"
        let w = try workspace(suite: suite)
        let r = try AssayProcess.run(["run", "--quiet"], in: w)
        #expect(r.status == 1)
        #expect(r.stderr.contains("assay.yaml:4: tiers.low.modle: unknown key"), "\(r.stderr)")
        #expect(r.stderr.contains("assay.yaml:4: tiers.low.model: required"), "\(r.stderr)")
        #expect(r.stderr.contains("assay.yaml:5: datasets[1]: no such dataset file Datasets/gone.jsonl"), "\(r.stderr)")
        #expect(r.stderr.contains("assay.yaml:8: components[0]: no such scorer file or folder Scorers/none"), "\(r.stderr)")
        #expect(!r.stderr.contains("left as it is") && !r.stderr.contains("no components"), "one problem per cause: \(r.stderr)")
    }
}

struct CLIFailure: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
