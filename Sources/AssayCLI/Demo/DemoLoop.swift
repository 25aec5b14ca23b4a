import AssayBrowse
import AssayCollector
import AssayCore
import AssayEval
import AssayReports
import AssayRunner
import AssaySQLite
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The whole loop of `assay demo`, step by step, in the current directory.
struct DemoLoop {
    let agent: String
    let say: (String) -> Void

    /// What the demo found.
    struct Findings {
        var production = 0
        var flagged = 0
        var promoted = 0
        var run: RunRecord
        var summary: RunSummary
        var gate: GateReport?
        var files: [String]
        /// The gate on the change that swaps the production tier's model; nil when the shipped eval set is absent.
        var swap: GateReport?
        /// The run of the conversation suite (`assay-threads.yaml`); nil when it is absent.
        var threads: (run: RunRecord, summary: RunSummary)?
    }

    func run() async throws -> Findings {
        let fm = FileManager.default
        try? fm.removeItem(atPath: ".assay/demo.sqlite")
        for suffix in ["-wal", "-shm"] { try? fm.removeItem(atPath: ".assay/demo.sqlite" + suffix) }
        let store = try SQLiteTraceStore(path: ".assay/demo.sqlite")

        // 1. Production traffic through the collector's HTTP endpoint.
        let dump = try ChildProcess(arguments: [agent, "--dump-scenarios"], timeoutSeconds: 30).runBlocking(input: [])
        let reviewer = try DemoReviewer(scenariosJSON: String(decoding: dump.stdout, as: UTF8.self))
        // Online evaluation in the collector scores each trace as it completes, with the suite's scorers,
        // storing scores without flags: flagging is left to the reviewer here, and the two are compared.
        let suiteLoader = SuiteLoader(scorers: EvalSetup.loader(store: store))
        var suite = try suiteLoader.load("assay.yaml", checkFiles: false)
        var online = OnlineScoringConfiguration(components: suite.components)
        online.completion = TraceCompletion(quietNanos: 200_000_000, maxWaitNanos: 30_000_000_000)
        online.sweepInterval = .milliseconds(100)
        online.flagFailures = false
        let collector = LoopbackCollector(store: store, online: online)
        try await collector.start()
        say("1. production traffic: the example agent answers \(reviewer.truths.count) emails on the mid tier, exporting OTLP to \(collector.endpoint)")
        for truth in reviewer.truths {
            var w = JSONWriter(capacity: 1024)
            JSONValue.string(truth.email).write(to: &w)
            w.byte(0x0A)
            let r = try await ChildProcess(arguments: [agent], environment: [
                "OTEL_EXPORTER_OTLP_ENDPOINT": collector.endpoint, "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf",
                "ASSAY_TIER": "mid", "ASSAY_MODEL": "sim-mid", "ASSAY_SEED": "7",
            ], timeoutSeconds: 30).run(input: w.bytes)
            guard r.exitStatus == 0 else { throw DemoError("the example agent failed on a production email (status \(r.exitStatus ?? -1))") }
        }
        let traces = try store.traces(try store.traces(matching: TraceQuery(limit: 1000)).map(\.traceID))
        let deadline = Date().addingTimeInterval(30)
        while try store.unevaluatedTraceCount() > 0, Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
        // What online evaluation found: the components each trace fails.
        var failed: [TraceID: [String]] = [:]
        var scoredOnline = 0
        for (id, items) in try store.feedback(for: traces.map(\.summary.traceID)) {
            let online = items.filter { $0.isCurrent && $0.feedback.source == .online }
            if !online.isEmpty { scoredOnline += 1 }
            for item in online { for (component, label) in item.feedback.labels where label == "fail" { failed[id, default: []].append(component) } }
        }
        let byComponent = Dictionary(failed.values.flatMap { $0 }.map { ($0, 1) }, uniquingKeysWith: +)

        // 2. Feedback over HTTP.
        var feedback: [JSONValue] = []
        for trace in traces { feedback += reviewer.review(trace) ?? [] }
        let flagged = feedback.filter { $0["flagged"] != nil }.count
        try await post(JSONValue.array(feedback).compactJSON, to: collector.endpoint + "/v1/feedback")
        await collector.stop()
        let flaggedIDs = Set(feedback.filter { $0["flagged"] != nil }.compactMap { $0["traceId"]?.string }.compactMap { TraceID(hex: $0) })
        let found = failed.isEmpty
            ? "none failed, since what is wrong with them (a wrong label, a reply that misses the point) takes an expected value: a person's correction"
            : "\(failed.count) fail a component (\(byComponent.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")))"
        say("2. feedback: online evaluation in the collector scored \(scoredOnline) traces as they completed, with the suite's scorers and no expected values: "
            + found + "; the reviewer rated \(traces.count), flagged \(flagged)"
            + (failed.isEmpty ? "" : " (\(flaggedIDs.intersection(failed.keys).count) of them among those)")
            + " and corrected their steps (POST /v1/feedback)")

        // 3. Promotion of the flagged traces into an eval set.
        var query = TraceQuery(limit: 1000)
        query.feedback.flagged = true
        let chosen = try store.traces(try store.traces(matching: query).map(\.traceID))
        let promotion = Promotion(components: suite.components.filter { $0.name != "budgets" }.map { Promotion.Component(name: $0.name, selector: $0.selector) },
                                  tags: ["demo"], time: DisplayFormat.timestamp(nanos: UInt64(Date().timeIntervalSince1970) * 1_000_000_000))
        let fb = try store.feedback(for: chosen.map(\.summary.traceID))
        let (examples, _) = promotion.examples(from: chosen.map { ($0, fb[$0.summary.traceID] ?? []) })
        let datasetPath = "Datasets/demo-flagged.jsonl"
        try fm.createDirectory(atPath: "Datasets", withIntermediateDirectories: true)
        try DatasetFolder.withLock(datasetPath) { try DatasetFolder.writeAtomically(DatasetMerge.text(examples), to: datasetPath) }
        say("3. promotion: \(examples.count) flagged traces became examples in \(datasetPath), with the corrected triage, documents, tool calls and reply")

        // 4. The suite over the eval set on three tiers.
        suite.datasets = [datasetPath]
        // The agent's model calls go through the run's model gateway, to the simulated provider: the
        // tier's model answers them, and the gateway records each call as a GenAI span.
        suite.agent.command = [agent, "--gateway"]
        suite.agent.workingDirectory = nil
        var options = Runner.Options()
        options.quiet = true
        options.assayVersion = AssayVersion.current
        let record = try await Runner(suite: suite, store: store).start(options: options)
        let summary = RunSummary(record, margin: suite.routingMargin)
        let calls = record.gatewayCalls.calls
        let conditions = record.conditions.isEmpty ? "" : " × \(record.conditions.count + 1) conditions (clean, \(record.conditions.joined(separator: ", ")))"
        say("4. run: \(record.cells.count) cells (\(examples.count) examples × \(suite.tiers.count) tiers\(conditions)), scored by the components in Scorers/; "
            + "the agent's \(calls) model calls went through the model gateway to the simulated provider, each recorded as a span"
            + (record.conditions.isEmpty ? "" : ", faults injected as the suite's plans say"))

        // 5. The gate against the committed baseline, and the reports.
        var gate: GateReport?
        var baseline: (name: String, outcomes: GateRun)?
        if fm.fileExists(atPath: "Reports/baseline.json") {
            let (outcomes, _) = try RunReports.baseline("Reports/baseline.json", db: store)
            baseline = ("Reports/baseline.json", outcomes)
            gate = try RunReports.gate(record, baseline: outcomes, configuration: suite.gate)
        }
        var files = try RunReports.write(record, summary: summary, gate: gate, baseline: baseline,
                                         paths: RunReports.Paths(junit: "Reports/assay-junit.xml", html: "Reports/assay-report.html",
                                                                 markdown: "Reports/assay-summary.md", json: "Reports/assay-run.json", traces: nil), db: store)
        let all = try store.traces(try store.traces(matching: TraceQuery(limit: 10_000)).map(\.traceID))
        let costs = Dictionary(record.cells.compactMap { c in c.traceID.map { ($0, c.costUSD) } }, uniquingKeysWith: { a, _ in a })
        let page = try BrowserPage.render(title: "Assay demo", dataJSON: try BrowseDocument().json(
            title: "Assay demo", generatedAt: Date(), traces: all, feedback: try store.feedback(for: all.map(\.summary.traceID)), costs: costs))
        try Data(page).write(to: URL(fileURLWithPath: "Reports/traces.html"), options: .atomic)
        files.append("Reports/traces.html")
        _ = try RunFiles.write(record)
        say("5. gate and reports: " + (gate == nil ? "no Reports/baseline.json to compare with" : "compared with Reports/baseline.json"))

        // 6. A change caught by the gate: the production tier's model is swapped for the low tier's,
        // on the shipped eval set, gated on mid as the suite says.
        var swap: GateReport?
        if fm.fileExists(atPath: "Datasets/email-assistant.jsonl"), let mid = suite.tiers.firstIndex(where: { $0.info.name == "mid" }),
           let low = suite.tiers.first(where: { $0.info.name == "low" }) {
            var before = suite
            before.datasets = ["Datasets/email-assistant.jsonl"]
            before.tiers = [suite.tiers[mid]]
            var after = before
            after.tiers[0].info.model = low.info.model
            after.text += "\n# demo: mid's model swapped for \(low.info.model)\n"
            // The change is gated on the clean condition, as a CI gate on the production tier would be.
            options.faults = ["none"]
            let baselineRun = try await Runner(suite: before, store: store).start(options: options)
            let changed = try await Runner(suite: after, store: store).start(options: options)
            swap = try RunReports.gate(changed, baseline: GateInput.run(baselineRun), configuration: suite.gate)
            say("6. a change: mid's model swapped from \(suite.tiers[mid].info.model) to \(low.info.model), \(changed.cells.count) cells on "
                + "Datasets/email-assistant.jsonl, gated against the run before it: \(swap!.failed ? "FAILED" : "passed")")
        }

        // 7. Conversations: the email threads played turn by turn, the agent restarted at every interrupt.
        var threads: (run: RunRecord, summary: RunSummary)?
        if fm.fileExists(atPath: DemoThreads.suitePath), fm.fileExists(atPath: DemoThreads.datasetPath) {
            var conversations = try suiteLoader.load(DemoThreads.suitePath, checkFiles: false)
            // The agent built next to assay, with the suite's flags (its launcher picks the newer build).
            conversations.agent.command = [agent] + conversations.agent.command.dropFirst()
            conversations.agent.workingDirectory = nil
            var threadOptions = Runner.Options()
            threadOptions.quiet = true
            threadOptions.assayVersion = AssayVersion.current
            let run = try await Runner(suite: conversations, store: store).start(options: threadOptions)
            _ = try RunFiles.write(run)
            let threadSummary = RunSummary(run, margin: conversations.routingMargin)
            threads = (run, threadSummary)
            files += try RunReports.write(run, summary: threadSummary, gate: nil, baseline: nil,
                                          paths: RunReports.Paths(junit: nil, html: DemoThreads.reportPath, markdown: nil, json: nil, traces: nil), db: store)
            say("7. conversations: " + DemoThreads.stepLine(run, persistent: conversations.agent.persistent,
                                                             restarts: conversations.conversation.restartBetweenTurns))
        }
        return Findings(production: traces.count, flagged: flagged, promoted: examples.count, run: record, summary: summary, gate: gate, files: files, swap: swap,
                        threads: threads)
    }

    private func post(_ body: String, to url: String) async throws {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(body.utf8)
        let (data, response) = try await URLSession.shared.data(for: request)
        guard (response as? HTTPURLResponse)?.statusCode == 200 else {
            throw DemoError("POST /v1/feedback answered \((response as? HTTPURLResponse)?.statusCode ?? 0): \(String(decoding: data.prefix(300), as: UTF8.self))")
        }
    }
}

/// A step of the demo failed.
struct DemoError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
