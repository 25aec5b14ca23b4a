import AssayTestSupport
import Foundation
import Synchronization
import Testing

/// `assay` on a PostgreSQL team store (a real server: `PostgresFixture`): shards filling one run, a
/// run resumed on another machine, and the errors a user sees.
@Suite("assay on a PostgreSQL team store", .serialized)
struct TeamStoreCLITests {
    let runs = RunCLITests()

    func digest(_ w: URL, _ id: String) throws -> [String] {
        try (runs.runJSON(w, id)["cells"] as? [[String: Any]] ?? []).map { c in
            let k = c["key"] as? [String: Any] ?? [:]
            let values = (c["components"] as? [[String: Any]] ?? []).map { "\($0["component"]!)=\($0["value"] ?? "-")" }
            return "\(k["example"]!)/\(k["tier"]!) \(c["status"]!) \(values) \(c["costUSD"]!)"
        }.sorted()
    }

    @Test("two shards started together on one database fill one run: the same cells and scores as one unsharded run, no merge")
    func shards() throws {
        let agent = RunCLITests.spanAgent(answer: #"$( [ "$ASSAY_TIER" = low ] && echo '"wrong"' || echo "$input")"#)
        let w = try runs.workspace(examples: 6, suite: RunCLITests.suite(agent: agent))
        let whole = try AssayProcess.run(["run", "--quiet"], in: w)
        let wholeID = try #require(runs.runID(whole.stdout), "\(whole.stdout)\(whole.stderr)")
        let db = try PostgresFixture.freshDatabase()
        let outputs = Mutex<[Int: AssayProcess.Output]>([:])
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            let r = try? AssayProcess.run(["run", "--quiet", "--shard", "\(i + 1)/2", "--run", "ci-1234", "--db", db], in: w)
            outputs.withLock { $0[i] = r }
        }
        let both = outputs.withLock { $0 }
        let texts = both.values.map { $0.stdout + $0.stderr }
        #expect(both.values.allSatisfy { $0.status == 0 }, "\(texts)")
        #expect(texts.contains { $0.contains("run ci-1234: finished, 18 of 18 cells") }, "\(texts)")
        #expect(!texts.contains { $0.contains(PostgresFixture.password(of: db)) }, "the password never shows")
        #expect(try digest(w, "ci-1234") == digest(w, wholeID))
        let listed = try AssayProcess.run(["runs", "--db", db], in: w)
        #expect(listed.stdout.contains("ci-1234") && listed.stdout.contains("18/18"), "\(listed.stdout)")
    }

    @Test("one shard's run is finished by --resume on another machine; the store says what is wrong in one line")
    func resumeElsewhere() throws {
        let agent = RunCLITests.spanAgent(answer: #""$input""#)
        let w = try runs.workspace(examples: 4, suite: RunCLITests.suite(agent: agent))
        let db = try PostgresFixture.freshDatabase()
        let first = try AssayProcess.run(["run", "--quiet", "--shard", "1/2", "--run", "nightly", "--db", db], in: w)
        #expect(first.status == 0 && first.stdout.contains("shard 1/2 of run nightly is done"), "\(first.stdout)\(first.stderr)")
        // Another machine: another folder with the same suite and datasets.
        let other = try runs.workspace(examples: 4, suite: RunCLITests.suite(agent: agent))
        let resumed = try AssayProcess.run(["run", "--quiet", "--resume", "--run", "nightly"], in: other, environment: ["ASSAY_DB": db])
        #expect(resumed.status == 0 && resumed.stdout.contains("run nightly: finished, 12 of 12 cells"), "\(resumed.stdout)\(resumed.stderr)")
        // A shard of another suite cannot join the run.
        let changed = try runs.workspace(examples: 5, suite: RunCLITests.suite(agent: agent))
        let refused = try AssayProcess.run(["run", "--quiet", "--shard", "2/2", "--run", "nightly", "--db", db], in: changed)
        #expect(refused.status == 1 && refused.stderr.contains("run nightly is already in the store with other datasets"), "\(refused.stderr)")
        // Without git, a shard on a team store needs a run id; on SQLite --run with --shard is refused.
        let derived = try AssayProcess.run(["run", "--quiet", "--shard", "1/2", "--db", db], in: w)
        #expect(derived.status == 2 && derived.stderr.contains("no git commit to name the run after"), "\(derived.stderr)")
        let sqlite = try AssayProcess.run(["run", "--quiet", "--shard", "1/2", "--run", "x"], in: w)
        #expect(sqlite.status == 2 && sqlite.stderr.contains("needs a team store"), "\(sqlite.stderr)")
        // A wrong password: one line, exit 1, no password.
        let wrong = db.replacingOccurrences(of: PostgresFixture.password(of: db), with: "wrong-password")
        let denied = try AssayProcess.run(["traces", "list", "--db", wrong], in: w)
        #expect(denied.status == 1 && denied.stderr.contains("PostgreSQL refused user 'assay'") && !denied.stderr.contains("wrong-password"), "\(denied.stderr)")
        #expect(denied.stderr.split(separator: "\n").count == 1, "\(denied.stderr)")
    }
}
