/// Turns traces and their feedback into dataset examples (docs/datasets.md, "Promotion").
///
/// The expected output is the newest current correction on the trace (or its root span); else the
/// observed output when the current feedback is positive and none is negative; else none, and the
/// example is written as needing an expected value. Nothing is ever invented.
public struct Promotion: Sendable {
    /// A component to extract: its name and selector.
    public struct Component: Sendable {
        /// The component's name (a key of `components`).
        public var name: String
        /// The selector that finds its spans.
        public var selector: SpanSelector
        /// Creates a component.
        public init(name: String, selector: SpanSelector) { self.name = name; self.selector = selector }
    }

    /// A trace that could not become an example, and why.
    public struct Skipped: Sendable, Hashable {
        /// The trace.
        public var traceID: TraceID
        /// Why.
        public var reason: String
    }

    /// The components to extract.
    public var components: [Component]
    /// Tags written into every example's metadata.
    public var tags: [String]
    /// The promotion time, ISO 8601.
    public var time: String

    /// Creates a promotion.
    public init(components: [Component], tags: [String], time: String) {
        self.components = components
        self.tags = tags.sorted()
        self.time = time
    }

    /// The examples for the traces, one per distinct input. When several traces have the same input,
    /// one with an expected value wins over one without, then the newest trace.
    public func examples(from traces: [(trace: StoredTrace, feedback: [StoredFeedback])]) -> (examples: [DatasetExample], skipped: [Skipped]) {
        var byID: [String: (DatasetExample, UInt64)] = [:]
        var skipped: [Skipped] = []
        for (trace, feedback) in traces {
            guard let example = example(trace, feedback) else {
                skipped.append(Skipped(traceID: trace.summary.traceID, reason: "no input recorded (neither on the root span nor a user message of an LLM call)"))
                continue
            }
            let start = trace.summary.startTimeUnixNano
            if let (other, otherStart) = byID[example.id] {
                let better = (example.expected != nil) != (other.expected != nil) ? example.expected != nil : start > otherStart
                if !better { continue }
            }
            byID[example.id] = (example, start)
        }
        return (byID.values.map(\.0).sorted { $0.id < $1.id }, skipped)
    }

    /// The example for one trace, or nil when its root has no input.
    func example(_ trace: StoredTrace, _ feedback: [StoredFeedback]) -> DatasetExample? {
        guard let rootID = trace.summary.rootSpanID, let inputText = Self.input(of: trace) else { return nil }
        let input = JSONValue.fromText(inputText)
        // Feedback on a whole session rides on its first trace: it is not about this trace alone.
        let current = feedback.filter { $0.isCurrent && $0.feedback.sessionID == nil }.map(\.feedback).sorted { $0.timeUnixNano < $1.timeUnixNano }
        let onTrace = current.filter { $0.spanID == nil || $0.spanID == rootID }
        let rootOutput = Self.output(of: trace).map(JSONValue.fromText)
        var used: [Feedback] = []
        let expected = Self.expected(onTrace, observed: rootOutput, used: &used)
        let found = cases(in: [trace], current: current, onTrace: onTrace)
        used += found.used
        let spanIDs = [rootID.description] + found.spanIDs.filter { $0 != rootID.description }
        var metadata: [(String, JSONValue)] = [
            ("tags", .array(tags.map(JSONValue.string))),
            ("models", .array(trace.summary.models.map(JSONValue.string))),
            ("feedback", .array(current.map { Self.compact($0) })),
        ]
        if let session = trace.summary.sessionID { metadata.append(("session", .string(session))) }
        let usedIDs = Array(Set(used.map(\.id.rawValue))).sorted()
        return DatasetExample(
            id: DatasetExample.id(forInput: input), input: input, expected: expected, components: found.cases,
            metadata: .object(metadata),
            provenance: Provenance(traceID: trace.summary.traceID.description, spanIDs: spanIDs, feedbackIDs: usedIDs,
                                   promotedAt: time, updatedAt: nil))
    }

    /// The component cases found in `traces` (one trace, or the exchanges of one turn of a session):
    /// each component's input and its expected value from the current feedback on its spans, or, when
    /// there is none, from a thumbs-up in `onTrace` that nobody in `onTrace` objected to. Also the
    /// spans used and the feedback that decided the values.
    func cases(in traces: [StoredTrace], current: [Feedback], onTrace: [Feedback]) -> (cases: [String: ComponentCase], spanIDs: [String], used: [Feedback]) {
        var cases: [String: ComponentCase] = [:]
        var spanIDs: [String] = []
        var used: [Feedback] = []
        let negativeOnTrace = onTrace.contains { $0.rating == .down || $0.needsReview }
        for component in components {
            let spans = Self.select(component.selector, in: traces)
            guard !spans.isEmpty else { continue }
            let ids = Set(spans.map { SpanKey(trace: $0.span.traceID, span: $0.span.spanID) })
            let onSpans = current.filter { f in f.spanID.map { ids.contains(SpanKey(trace: f.traceID, span: $0)) } ?? false }
            var componentUsed: [Feedback] = []
            var exp = Self.expected(onSpans, observed: Self.observed(spans), used: &componentUsed)
            // Positive feedback on the whole trace vouches for its components, unless someone objected.
            if exp == nil, onSpans.isEmpty, !negativeOnTrace, onTrace.contains(where: { $0.rating == .up }) {
                exp = Self.observed(spans)
                componentUsed = onTrace.filter { $0.rating == .up }
            }
            used += componentUsed
            spanIDs += spans.map(\.span.spanID.description).filter { !spanIDs.contains($0) }
            let first = SpanContent(span: spans[0].span)
            cases[component.name] = ComponentCase(selector: component.selector.description,
                                                  input: (first.inputText ?? first.toolArguments).map(JSONValue.fromText), expected: exp)
        }
        return (cases, spanIDs, used)
    }

    /// A span of a trace: span ids are unique only within their trace.
    private struct SpanKey: Hashable {
        var trace: TraceID
        var span: SpanID
    }

    /// The spans a selector chooses among several traces (a turn's exchanges): each trace's matching
    /// spans, its own root counting as root, then the position over all of them in start order.
    static func select(_ selector: SpanSelector, in traces: [StoredTrace]) -> [StoredSpan] {
        guard traces.count > 1 else { return traces.first.map(selector.select) ?? [] }
        var every = selector
        every.position = .all
        let matching = traces.flatMap(every.select).sorted {
            ($0.span.startTimeUnixNano, $0.span.traceID.description, $0.span.spanID.description)
                < ($1.span.startTimeUnixNano, $1.span.traceID.description, $1.span.spanID.description)
        }
        switch selector.position {
        case .all: return matching
        case .first: return Array(matching.prefix(1))
        case .last: return Array(matching.suffix(1))
        case .nth(let n): return n >= 1 && n <= matching.count ? [matching[n - 1]] : []
        }
    }

    /// The trace's input: the root span's input; else, as GenAI agent spans often record none, the
    /// first user message of the first LLM call.
    package static func input(of trace: StoredTrace) -> String? {
        if let root = trace.spans.first(where: { $0.span.spanID == trace.summary.rootSpanID }),
           let text = SpanContent(span: root.span).inputText { return text }
        for s in trace.spans where s.summary.operation == .chat {
            if let user = SpanContent(span: s.span).inputMessages.first(where: { $0.role == "user" }) { return user.content }
        }
        return nil
    }

    /// The trace's output: the root span's output; else the output of the last LLM call to end.
    package static func output(of trace: StoredTrace) -> String? {
        if let root = trace.spans.first(where: { $0.span.spanID == trace.summary.rootSpanID }),
           let text = SpanContent(span: root.span).outputText { return text }
        let calls = trace.spans.filter { $0.summary.operation == .chat }.sorted { $0.span.endTimeUnixNano < $1.span.endTimeUnixNano }
        return calls.last.flatMap { SpanContent(span: $0.span).outputText }
    }

    /// The expected value from feedback on a target: the newest correction; else the observed value
    /// when some rating is up and nothing is negative; else nil.
    static func expected(_ items: [Feedback], observed: JSONValue?, used: inout [Feedback]) -> JSONValue? {
        if let fix = items.last(where: { $0.correction != nil }) {
            used.append(fix)
            return FeedbackJSON.correctionValue(fix.correction)
        }
        let negative = items.contains { $0.rating == .down || $0.needsReview }
        if !negative, let observed, let up = items.last(where: { $0.rating == .up }) {
            used.append(up)
            return observed
        }
        return nil
    }

    /// What a component's spans produced, in the shape its scorers compare: document ids for
    /// retrieval, calls with arguments for tools, the output (JSON when it parses) otherwise.
    package static func observed(_ spans: [StoredSpan]) -> JSONValue? {
        guard let first = spans.first else { return nil }
        switch first.summary.operation {
        case .retrieval:
            return .array(spans.flatMap { SpanContent(span: $0.span).documents.compactMap { $0.id.map(JSONValue.string) } })
        case .tool:
            return .array(spans.map { s in
                let content = SpanContent(span: s.span)
                return .object([("name", .string(s.summary.toolName ?? s.span.name)),
                                ("arguments", content.toolArguments.map(JSONValue.fromText) ?? .object([]))])
            })
        default:
            return SpanContent(span: spans.last!.span).outputText.map(JSONValue.fromText)
        }
    }

    /// Feedback as kept in metadata: what was said, by whom, when, about which span.
    static func compact(_ f: Feedback) -> JSONValue {
        let full = FeedbackJSON.value(f).members ?? []
        return .object(full.filter { !["traceId", "timeUnixNano"].contains($0.key) }.map { ($0.key, $0.value) })
    }
}
