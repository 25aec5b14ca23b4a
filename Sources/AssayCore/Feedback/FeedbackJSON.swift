/// The JSON form of feedback, shared by `assay feedback import` (JSON Lines), `POST /v1/feedback`,
/// and the listings. It reads the trace browser's export (DATA-FORMAT.md §5) as it is.
///
/// ```json
/// {"traceId":"4bf9…4736","spanId":null,"rating":"down","scores":{"accuracy":0.2},"labels":{"intent":"refund"},
///  "correction":"The refund window is 30 days.","comment":"wrong article","flagged":true,
///  "author":"ana","source":"human","time":"2026-03-09T12:05:10Z"}
/// ```
///
/// Feedback on a whole session (docs/conversations.md) has a `sessionId`; its `traceId` is the
/// session's first trace, which a reader that knows the store may fill in when it is left out.
public enum FeedbackJSON {
    /// The members a feedback object may have.
    public static let knownKeys: Set<String> = [
        "id", "traceId", "spanId", "sessionId", "rating", "scores", "labels", "correction", "comment", "flagged", "needsReview",
        "author", "source", "time", "timeUnixNano",
    ]

    /// Longest comment or correction accepted, in UTF-8 bytes.
    public static let maxTextBytes = 1 << 20

    /// Longest session id accepted, in UTF-8 bytes.
    public static let maxSessionIDBytes = 1024

    /// Decodes one feedback object. `now` is the time given to feedback without one; `defaultAuthor`
    /// and `defaultSource` fill in what the object leaves out. An object with a `sessionId` and no
    /// `traceId` is anchored on `sessionAnchor(sessionId)`, the session's first trace; nil (the
    /// default, for readers without a store) refuses it.
    ///
    /// - Throws: `InputProblem` with the line and the JSON path of the bad member (no source set).
    package static func decode(_ value: JSONValue, now: UInt64, defaultAuthor: String = "anonymous",
                               defaultSource: FeedbackSource = .human,
                               sessionAnchor: (String) -> TraceID? = { _ in nil }) throws(AssayError) -> Feedback {
        let line = value.line ?? 1
        func fail(_ path: String, _ message: String, _ at: JSONValue? = nil) -> AssayError {
            .input([InputProblem(line: at?.line ?? memberLine(path) ?? line, path: path, message: message)])
        }
        func memberLine(_ key: String) -> Int? { value.members?.last(where: { $0.key == key }).map { Int($0.line) } }
        guard let members = value.members else { throw AssayError.input([InputProblem(line: line, message: "expected a JSON object of feedback")]) }
        if let unknown = members.first(where: { !knownKeys.contains($0.key) }) {
            throw AssayError.input([InputProblem(line: Int(unknown.line), path: DisplayFormat.safe(unknown.key, limit: 40),
                             message: "unknown member; expected one of \(knownKeys.sorted().joined(separator: ", "))")])
        }
        var sessionID: String?
        switch value["sessionId"] {
        case nil, .null?: break
        case .string(let s)? where !s.isEmpty && s.utf8.count <= maxSessionIDBytes: sessionID = s
        default: throw fail("sessionId", "expected a session id of 1 to \(maxSessionIDBytes) bytes, or null")
        }
        let traceID: TraceID
        switch value["traceId"] {
        case .string(let traceText)?:
            guard traceText.utf8.count == 32, let id = TraceID(hex: traceText) else {
                throw fail("traceId", "expected 32 hex digits, got \(traceText.utf8.count) characters")
            }
            traceID = id
        case nil, .null?:
            guard let sessionID else { throw fail("traceId", "required: the trace's 32 hex digit id (or a sessionId)") }
            guard let anchor = sessionAnchor(sessionID) else {
                throw fail("sessionId", "no session \(DisplayFormat.safe(sessionID, limit: 80)) in the store (ingest its traces first)")
            }
            traceID = anchor
        default: throw fail("traceId", "expected a string of 32 hex digits")
        }
        var spanID: SpanID?
        switch value["spanId"] {
        case nil, .null?: break
        case .string(let s)?:
            guard s.utf8.count == 16, let id = SpanID(hex: s) else { throw fail("spanId", "expected 16 hex digits, got \(s.utf8.count) characters") }
            guard sessionID == nil else { throw fail("spanId", "feedback with a sessionId is on the whole session: give no spanId") }
            spanID = id
        default: throw fail("spanId", "expected a string or null")
        }
        var rating: Rating?
        switch value["rating"] {
        case nil, .null?: break
        case .string(let s)?:
            guard let r = Rating(rawValue: s.lowercased()) else { throw fail("rating", "expected \"up\", \"down\" or null") }
            rating = r
        case .bool(let b)?: rating = b ? .up : .down
        default: throw fail("rating", "expected \"up\", \"down\" or null")
        }
        var scores: [String: Double] = [:]
        if let s = value["scores"], !s.isNull {
            guard let list = s.members else { throw fail("scores", "expected an object of names to numbers") }
            for m in list {
                try checkName(m.key, path: "scores", line: Int(m.line))
                guard let d = m.value.double else { throw AssayError.input([InputProblem(line: Int(m.line), path: "scores.\(m.key)", message: "expected a finite number")]) }
                scores[m.key] = d
            }
        }
        var labels: [String: String] = [:]
        if let l = value["labels"], !l.isNull {
            guard let list = l.members else { throw fail("labels", "expected an object of names to strings") }
            for m in list {
                try checkName(m.key, path: "labels", line: Int(m.line))
                guard let text = m.value.string, !text.isEmpty, text.utf8.count <= 256 else {
                    throw AssayError.input([InputProblem(line: Int(m.line), path: "labels.\(m.key)", message: "expected a string of 1 to 256 bytes")])
                }
                labels[m.key] = text
            }
        }
        var correction: Correction?
        switch value["correction"] {
        case nil, .null?: break
        case .string(let s)?:
            guard s.utf8.count <= maxTextBytes else { throw fail("correction", "longer than \(maxTextBytes) bytes") }
            if !s.allSatisfy(\.isWhitespace) { correction = .text(s) }
        case let json?:
            let text = json.canonicalJSON
            guard text.utf8.count <= maxTextBytes else { throw fail("correction", "longer than \(maxTextBytes) bytes") }
            correction = .json(text)
        }
        var comment: String?
        switch value["comment"] {
        case nil, .null?: break
        case .string(let s)?:
            guard s.utf8.count <= maxTextBytes else { throw fail("comment", "longer than \(maxTextBytes) bytes") }
            if !s.allSatisfy(\.isWhitespace) { comment = s }
        default: throw fail("comment", "expected a string or null")
        }
        var needsReview = false
        for key in ["flagged", "needsReview"] {
            switch value[key] {
            case nil, .null?: break
            case .bool(let b)?: needsReview = needsReview || b
            default: throw fail(key, "expected true or false")
            }
        }
        var author = defaultAuthor
        if let a = value["author"], !a.isNull {
            guard let s = a.string, !s.isEmpty, s.utf8.count <= 128 else { throw fail("author", "expected a string of 1 to 128 bytes") }
            author = s
        }
        var source = defaultSource
        if let s = value["source"], !s.isNull {
            guard let text = s.string, let parsed = FeedbackSource(rawValue: text) else { throw fail("source", "expected \"human\", \"model\" or \"code\"") }
            source = parsed
        }
        var time = now
        if let t = value["timeUnixNano"], !t.isNull {
            let text: String? = switch t { case .number(let n): n; case .string(let s): s; default: nil }
            guard let text, let n = UInt64(text) else { throw fail("timeUnixNano", "expected an unsigned integer of nanoseconds") }
            time = n
        } else if let t = value["time"], !t.isNull {
            guard let text = t.string, let n = TimeBound.instant(text) else { throw fail("time", "expected an ISO 8601 time such as 2026-03-09T12:05:10Z") }
            time = n
        }
        var id: FeedbackID?
        if let i = value["id"], !i.isNull {
            guard let text = i.string, let parsed = FeedbackID(text: text) else {
                throw fail("id", "expected 1 to 64 letters, digits or . _ : -")
            }
            id = parsed
        }
        let feedback = Feedback(id: id, traceID: traceID, spanID: spanID, sessionID: sessionID, rating: rating, scores: scores, labels: labels,
                                correction: correction, comment: comment, needsReview: needsReview, author: author,
                                source: source, timeUnixNano: time)
        if feedback.isEmpty { throw AssayError.input([InputProblem(line: line, message: "says nothing: give a rating, scores, labels, a correction, a comment or flagged")]) }
        return feedback
    }

    private static func checkName(_ name: String, path: String, line: Int) throws(AssayError) {
        guard !name.isEmpty, name.utf8.count <= 128 else {
            throw AssayError.input([InputProblem(line: line, path: path, message: "names must have 1 to 128 bytes")])
        }
    }

    /// The feedback as a JSON object with a fixed key order (the form listings and exports print).
    /// `sessionId` follows `spanId` only on feedback about a session, so that the content ids of all
    /// other feedback stay what they were before sessions.
    package static func value(_ f: Feedback) -> JSONValue {
        .object([
            ("id", .string(f.id.rawValue)),
            ("traceId", .string(f.traceID.description)),
            ("spanId", f.spanID.map { .string($0.description) } ?? .null),
        ] + (f.sessionID.map { [("sessionId", JSONValue.string($0))] } ?? []) + [
            ("rating", f.rating.map { .string($0.rawValue) } ?? .null),
            ("scores", .object(f.scores.keys.sorted().map { ($0, number(f.scores[$0]!)) })),
            ("labels", .object(f.labels.keys.sorted().map { ($0, .string(f.labels[$0]!)) })),
            ("correction", correctionValue(f.correction)),
            ("comment", f.comment.map(JSONValue.string) ?? .null),
            ("flagged", .bool(f.needsReview)),
            ("author", .string(f.author)),
            ("source", .string(f.source.rawValue)),
            ("time", .string(DisplayFormat.timestamp(nanos: f.timeUnixNano))),
            ("timeUnixNano", .string(String(f.timeUnixNano))),
        ])
    }

    /// A correction as JSON: text as a string, JSON as itself.
    package static func correctionValue(_ c: Correction?) -> JSONValue {
        switch c {
        case nil: .null
        case .text(let s)?: .string(s)
        case .json(let text)?: (try? JSONCursor.parse(Array(text.utf8))) ?? .string(text)
        }
    }

    /// A Double as a JSON number in its shortest round-tripping form.
    package static func number(_ d: Double) -> JSONValue {
        if d == d.rounded(), abs(d) < 1e15 { return .number(String(Int64(d))) }
        return .number(d.description)
    }

    /// One line of JSON for the feedback (keys in the fixed order).
    public static func line(_ f: Feedback) -> String { value(f).compactJSON }

    /// The canonical text whose hash is the content id.
    static func canonical(_ f: Feedback, includingID: Bool) -> String {
        var v = value(f)
        if !includingID, case .object(let members, let line) = v {
            v = .object(members.filter { $0.key != "id" && $0.key != "time" }, line: line)
        }
        return v.canonicalJSON
    }
}
