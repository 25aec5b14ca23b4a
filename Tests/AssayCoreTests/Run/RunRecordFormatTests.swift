import Foundation
import Testing
import AssayCore

@Suite("Run records: typed fields and a versioned format")
struct RunRecordFormatTests {
    static let cell = #"{"key":{"example":"e1","tier":"low","repeatIndex":0},"status":"ok","traceID":"0af7651916cd43dd8448eb211c80319c","#
        + #""components":[{"component":"triage","spanIds":[],"scores":[{"scorer":"s","kind":"no_such_kind","parameters":"{}","threshold":0.5,"#
        + #""value":1,"passed":true,"explanation":"x"}],"weights":[1],"threshold":0.5}],"#
        + #""inputTokens":1,"outputTokens":2,"costUSD":0.5,"latencyNanos":3,"attempts":1"#

    static func run(version: String, times: String, cellTimes: String) -> String {
        #"{\#(version)"id":"r","suitePath":"assay.yaml","suiteHash":"h","suiteText":"","datasetVersions":{},"assayVersion":"1","tiers":[],"#
            + #""components":["triage"],"thresholds":{"triage":0.5},"shard":"2/4",\#(times),"state":"finished","plannedCells":1,"#
            + #""cells":[\#(cell),\#(cellTimes)}]}"#
    }

    @Test("parses shards I/N with 1 ≤ I ≤ N and nothing else", arguments: [("2/4", true), ("1/1", true), ("0/4", false), ("5/4", false), ("2/", false), ("a/b", false), ("2/4/1", false), ("-1/4", false)])
    func shards(text: String, valid: Bool) {
        #expect((Shard(text) != nil) == valid)
        if valid { #expect(Shard(text)?.description == text) }
    }

    @Test("reads a format 1 run (ISO times, no version) and writes format 2 that reads back the same")
    func readsFormatOne() throws {
        let old = Self.run(version: "", times: #""startedAt":"2026-11-21T18:45:00.250+02:00""#, cellTimes: #""finishedAt":"2026-11-21T18:46:00Z""#)
        let record = try RunJSONCoding.decode(RunRecord.self, old)
        #expect(record.startedAtUnixNano == 1_795_279_500_250_000_000)
        #expect(record.cells[0].finishedAtUnixNano == 1_795_286_760_000_000_000)
        #expect(record.shard == Shard(index: 2, count: 4))
        #expect(record.cells[0].traceID == TraceID(hex: "0af7651916cd43dd8448eb211c80319c"))
        #expect(record.cells[0].components[0].scores[0].kind == .unknown("no_such_kind"))
        let written = try RunJSONCoding.encode(record)
        #expect(written.contains(#""formatVersion":2"#) && written.contains(#""startedAtUnixNano":1795279500250000000"#))
        #expect(written.contains(#""kind":"no_such_kind""#))
        let again = try RunJSONCoding.decode(RunRecord.self, written)
        #expect(again.startedAtUnixNano == record.startedAtUnixNano && again.cells[0].traceID == record.cells[0].traceID)
    }

    @Test("refuses a run in a newer format with a sentence that names both versions")
    func refusesNewer() {
        let newer = Self.run(version: #""formatVersion":3,"#, times: #""startedAtUnixNano":1"#, cellTimes: #""finishedAtUnixNano":2"#)
        #expect {
            try RunJSONCoding.decode(RunRecord.self, newer)
        } throws: { error in
            String(describing: error).contains("the run is in format 3, newer than this Assay reads (2)")
        }
    }

    @Test("names scorer kinds as scorer files do, keeping unknown ones", arguments: ["token_f1", "command", "llm_judge", "embedding_similarity", "later_kind"])
    func scorerKinds(name: String) {
        #expect(ScorerKind(name).name == name)
        #expect((ScorerKind(name) == .unknown(name)) == (name == "later_kind"))
    }
}
