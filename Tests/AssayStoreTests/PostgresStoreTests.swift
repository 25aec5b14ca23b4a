import Foundation
import Testing
import AssayCore
import AssayOTLP
@testable import AssayPostgres
import PostgresNIO
import AssayTestSupport
import Synchronization

/// What only the PostgreSQL store has: its URL, its errors, migrations under a lock, its query plans.
@Suite("The PostgreSQL store")
struct PostgresStoreTests {
    @Test("a URL's password is never shown; bad URLs say what is wrong")
    func urls() throws {
        let url = try PostgresURL("postgres://ana:s3cret@db.example:6543/assay?sslmode=require", environment: [:])
        #expect(url.user == "ana" && url.password == "s3cret" && url.port == 6543 && url.database == "assay" && url.tls == .require)
        #expect(url.description == "postgres://ana@db.example:6543/assay")
        #expect(try PostgresURL("postgresql://ana@h/db", environment: ["PGPASSWORD": "pw"]).password == "pw")
        #expect(try PostgresURL("postgres://ana@h/db", environment: [:]).port == 5432)
        #expect(try PostgresURL("postgres://ana@h:5433/db?host=/run/postgresql", environment: [:]).description == "postgres://ana@/run/postgresql/.s.PGSQL.5433/db")
        for (bad, says) in [("postgres://h/db", "no user"), ("postgres://ana:pw@h:5432/", "no database"),
                            ("postgres://ana:pw@h/db?sslmode=maybe", "sslmode"), ("postgres://ana:pw@h/db?x=1", "unknown parameter 'x'")] {
            #expect(throws: PostgresStoreError.self) { try PostgresURL(bad, environment: [:]) }
            do { _ = try PostgresURL(bad, environment: [:]) } catch {
                #expect("\(error)".contains(says), "\(error)")
                #expect(!"\(error)".contains("pw@") && !"\(error)".contains(":pw"), "\(error)")
            }
        }
    }

    @Test("a wrong password is one line that names the user and the database, never the password")
    func wrongPassword() throws {
        let good = try PostgresURL(PostgresFixture.serverURL())
        var bad = good
        bad.password = "not-the-password-\(UInt32.random(in: 0...UInt32.max))"
        do {
            _ = try PostgresTraceStore(url: bad)
            Issue.record("a wrong password was accepted")
        } catch {
            let text = "\(error)"
            #expect(text.contains("refused user '\(good.user)'") && text.contains(good.description), "\(text)")
            #expect(!text.contains(bad.password!) && !text.contains(good.password ?? "\u{1}") && !text.contains("\n"), "\(text)")
        }
    }

    @Test("nothing listening is one line naming the place")
    func refused() throws {
        let url = try PostgresURL("postgres://assay:pw@127.0.0.1:1/assay", environment: [:])
        do {
            _ = try PostgresTraceStore(url: url)
            Issue.record("connected to port 1")
        } catch {
            #expect("\(error)".hasPrefix("postgres://assay@127.0.0.1:1/assay: cannot connect to PostgreSQL"), "\(error)")
        }
    }

    @Test("stores opened at once on a new database migrate it once")
    func concurrentMigrations() throws {
        let url = try PostgresURL(PostgresFixture.freshDatabase())
        let errors = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            do { _ = try PostgresTraceStore(url: url) } catch { errors.withLock { $0.append("\(error)") } }
        }
        #expect(errors.withLock { $0 }.isEmpty, "\(errors.withLock { $0 })")
        let store = try PostgresTraceStore(url: url)
        let ids = try store.read { try $0.query("SELECT id FROM assay_migrations ORDER BY id").map { try $0.text(0) } }
        #expect(ids == PostgresMigrations.all.map(\.id))
    }

    @Test("a name glob means in PostgreSQL what it means in the reference store: *, ?, [a-z], [^x] and regex characters taken literally")
    func globs() throws {
        let store = try PostgresTraceStore(url: PostgresURL(PostgresFixture.freshDatabase()))
        let names = ["POST /reply", "POST /replies", "GET /", "chat gpt-4o", "chat gpt-4o-mini", "a.b", "axb", "a+b", "(x)", "[x]", "x]", "triage v2", "ünï", ""]
        let patterns = ["POST *", "*reply", "chat gpt-4o*", "chat gpt-4o", "a.b", "a?b", "a+b", "(x)", "[[]x]", "[^a]*", "*[0-9]", "triage v[1-3]",
                        "?n?", "*", "[ab]+b", "\\*", "x]"]
        try store.read { db in
            for pattern in patterns {
                for name in names {
                    var binds = PostgresBindings()
                    binds.append(name)
                    binds.append(PostgresPatterns.regex(glob: pattern))
                    let matched = try db.query("SELECT $1::text ~ $2::text", binds).first?.bool(0)
                    #expect(matched == Glob.matches(name, pattern: pattern), "\(pattern) on \(name)")
                }
            }
        }
    }

    @Test("the list queries use indexes, not a scan of the traces table")
    func queryPlans() throws {
        let store = try PostgresTraceStore(url: PostgresURL(PostgresFixture.freshDatabase()))
        // With an empty table the planner would scan anyway; planning as if scans were dear shows the index chosen.
        try store.read { db in
            try db.query("SET enable_seqscan = off")
            defer { _ = try? db.query("SET enable_seqscan = on") }
            for (name, sql) in try Self.plans(store, db) {
                #expect(!sql.contains("Seq Scan on traces"), "\(name): \(sql)")
            }
        }
    }

    static func plans(_ store: PostgresTraceStore, _ db: PostgresDB) throws -> [(String, String)] {
        try store.explainListQueries(on: db)
    }
}
