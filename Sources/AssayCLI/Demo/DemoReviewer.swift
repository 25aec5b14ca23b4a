import AssayCore
import Foundation

/// The demo's simulated reviewer: it knows each scenario's right answers (from the example agent's
/// `--dump-scenarios`) and reviews a production trace the way a person would: thumbs-up when the
/// triage label is right and the reply close to the ideal one; otherwise thumbs-down, a flag, and a
/// correction of the reply and of each step (triage, retrieval, tool call, reply).
struct DemoReviewer {
    /// One scenario's right answers.
    struct Truth {
        var email: String
        var triage: JSONValue
        var label: String
        var documents: [String]
        var tool: JSONValue?
        var reply: String
    }

    let truths: [Truth]

    /// Reads the scenarios the example agent prints.
    init(scenariosJSON: String) throws {
        let root = try JSONValue.parse(scenariosJSON)
        truths = (root["scenarios"]?.elements ?? []).compactMap { s in
            guard let email = s["email"]?.string, let label = s["label"]?.string, let reply = s["reply"]?.string else { return nil }
            let triage = JSONValue.object([("label", .string(label)), ("next_action", s["next_action"] ?? .null), ("reason", s["reason"] ?? .null)])
            let tool = s["tool"].flatMap { t -> JSONValue? in
                guard let name = t["name"] else { return nil }
                return .array([.object([("arguments", t["arguments"] ?? .object([])), ("name", name)])])
            }
            return Truth(email: email, triage: triage, label: label, documents: s["documents"]?.elements?.compactMap(\.string) ?? [], tool: tool, reply: reply)
        }
    }

    /// The feedback JSON objects for one production trace; nil when the trace is not one of the scenarios.
    func review(_ trace: StoredTrace) -> [JSONValue]? {
        guard let input = Promotion.input(of: trace), let truth = truths.first(where: { $0.email == input }) else { return nil }
        let chats = trace.spans.filter { $0.summary.operation == .chat }.sorted { $0.span.startTimeUnixNano < $1.span.startTimeUnixNano }
        let triageOut = chats.first.flatMap { SpanContent(span: $0.span).outputText }.flatMap { try? JSONValue.parse($0) }
        let labelRight = triageOut?["label"]?.string == truth.label
        let reply = Promotion.output(of: trace) ?? ""
        let f1 = TextSimilarity.tokenF1(observed: reply, expected: truth.reply).f1
        let traceText = trace.summary.traceID.description
        func item(_ span: SpanID?, _ pairs: [(String, JSONValue)]) -> JSONValue {
            .object([("traceId", .string(traceText)), ("spanId", span.map { .string($0.description) } ?? .null),
                     ("author", .string("demo-reviewer")), ("source", .string("human"))] + pairs)
        }
        if labelRight && f1 >= 0.8 { return [item(nil, [("rating", .string("up"))])] }
        var items = [item(nil, [("rating", .string("down")), ("flagged", .bool(true)), ("correction", .string(truth.reply)),
                                ("comment", .string(labelRight ? "the reply misses what the customer needs" : "wrong triage label"))])]
        if let first = chats.first { items.append(item(first.span.spanID, [("correction", truth.triage)])) }
        if chats.count > 1 { items.append(item(chats[1].span.spanID, [("correction", .string(truth.reply))])) }
        if let retrieval = trace.first(.retrieval) { items.append(item(retrieval, [("correction", .array(truth.documents.map(JSONValue.string)))])) }
        if let tool = trace.first(.tool), let expected = truth.tool { items.append(item(tool, [("correction", expected)])) }
        return items
    }
}

extension StoredTrace {
    /// The first span of an operation.
    func first(_ op: SpanOperation) -> SpanID? {
        spans.filter { $0.summary.operation == op }.min { $0.span.startTimeUnixNano < $1.span.startTimeUnixNano }?.span.spanID
    }
}
