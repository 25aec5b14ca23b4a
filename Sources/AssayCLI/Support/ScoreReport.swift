import AssayCore
import AssayEval
import Foundation

/// The terminal and JSON output of `assay score`.
enum ScoreReport {
    static func table(_ rows: [TraceScoring.Row]) -> String {
        var lines = [["TRACE", "COMPONENT", "SCORE", "RESULT", "DETAIL"]]
        for row in rows {
            let r = row.result
            let detail: String
            if let reason = r.unscoredReason { detail = reason.description } else {
                detail = r.scores.map { s in "\(s.scorer) " + (s.value.map { String(format: "%.2f", $0) } ?? "-") }.joined(separator: ", ")
            }
            lines.append([row.traceID.description, r.component, r.value.map { String(format: "%.2f", $0) } ?? "-",
                          r.passed.map { $0 ? "pass" : "FAIL" } ?? "unscored", DisplayFormat.safe(detail, limit: 90)])
        }
        return Table.render(lines)
    }

    static func summary(_ rows: [TraceScoring.Row], components: [String]) -> String {
        var out = "\n"
        for c in components {
            let results = rows.map(\.result).filter { $0.component == c }
            let scored = results.compactMap(\.value)
            let passed = results.filter { $0.passed == true }.count
            let mean = scored.isEmpty ? "-" : String(format: "%.2f", scored.reduce(0, +) / Double(scored.count))
            out += "\(c): \(scored.count) of \(counted(results.count, "trace")) scored, mean \(mean), \(passed) passed\n"
        }
        return out
    }

    static func jsonLine(_ row: TraceScoring.Row) -> String {
        let r = row.result
        let scores: [JSONValue] = r.scores.map { s in
            var pairs: [(String, JSONValue)] = [("scorer", .string(s.scorer)), ("kind", .string(s.kind.name)),
                                                ("parameters", (try? JSONValue.parse(s.parameters)) ?? .string(s.parameters)),
                                                ("threshold", FeedbackJSON.number(s.threshold))]
            switch s.outcome {
            case .scored(let v, let p): pairs += [("value", FeedbackJSON.number(v)), ("passed", .bool(p))]
            case .unscored(let reason): pairs += [("unscored", .string(reason.code)), ("reason", .string(reason.description))]
            }
            pairs.append(("explanation", .string(s.explanation)))
            return .object(pairs)
        }
        return JSONValue.object([
            ("traceId", .string(row.traceID.description)), ("component", .string(r.component)),
            ("spanIds", .array(r.spanIDs.map { .string($0.description) })),
            ("value", r.value.map(FeedbackJSON.number) ?? .null), ("passed", r.passed.map(JSONValue.bool) ?? .null),
            ("scores", .array(scores)),
        ]).compactJSON
    }
}
