/// A tool call as scorers compare it: a name and, when known, its arguments as JSON.
package struct ToolCallExpectation: Sendable {
    /// The tool name.
    package var name: String
    /// The arguments; nil means "any arguments" on the expected side, "none recorded" on the observed.
    package var arguments: JSONValue?

    /// Creates a call.
    package init(name: String, arguments: JSONValue? = nil) {
        self.name = name
        self.arguments = arguments
    }

    /// Arguments as the producer sent them: JSON text parsed, anything else kept as a string.
    package static func arguments(_ text: String?) -> JSONValue? {
        guard let text, !text.trimmingWhitespace.isEmpty else { return nil }
        return JSONText.parse(text) ?? .string(text)
    }

    /// Reads an expected list: each item a tool name, or an object with `name` and optional
    /// `arguments` (an object, or a string holding JSON).
    package static func list(_ value: JSONValue) throws(UnscoredReason) -> [ToolCallExpectation] {
        guard let items = value.elements else { throw .invalidExpected("expected a list of tool calls") }
        var out: [ToolCallExpectation] = []
        for (i, item) in items.enumerated() {
            if let name = item.string { out.append(.init(name: name)); continue }
            guard let name = item["name"]?.string else { throw .invalidExpected("item \(i): expected a tool name or an object with a name") }
            let args = item["arguments"].flatMap { a -> JSONValue? in
                if case .null = a { return nil }
                return a.string.map { ToolCallExpectation.arguments($0) ?? .string($0) } ?? a
            }
            out.append(.init(name: name, arguments: args))
        }
        return out
    }
}

/// How observed tool calls are compared with expected ones, and the resulting precision, recall
/// and F1 over calls.
package struct ToolCallMatch: Sendable, Hashable {
    /// How arguments are compared.
    package enum Arguments: String, Sendable, CaseIterable {
        /// Equal as JSON (key order and number spelling aside).
        case exact
        /// Every expected argument present with an equal value; extra observed arguments allowed.
        case subset
        /// Names only.
        case ignore
    }

    /// Calls matched one to one.
    package var matched: Int
    /// Observed calls.
    package var observed: Int
    /// Expected calls.
    package var expected: Int

    /// Matched over observed; 1 when nothing was observed or expected, 0 when only expected calls exist.
    package var precision: Double { observed == 0 ? (expected == 0 ? 1 : 0) : Double(matched) / Double(observed) }
    /// Matched over expected; 1 when nothing was expected and nothing observed, 0 when calls were
    /// observed but none expected.
    package var recall: Double { expected == 0 ? (observed == 0 ? 1 : 0) : Double(matched) / Double(expected) }
    /// The harmonic mean of precision and recall.
    package var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }

    /// Matches `observed` against `expected`: as sequences (the longest common subsequence of
    /// compatible calls) when `ordered`, else as a maximum one-to-one matching.
    package init(observed: [ToolCallExpectation], expected: [ToolCallExpectation], ordered: Bool, arguments: Arguments) {
        func fits(_ o: ToolCallExpectation, _ e: ToolCallExpectation) -> Bool {
            guard o.name == e.name else { return false }
            guard arguments != .ignore, let want = e.arguments else { return true }
            guard let got = o.arguments else { return false }
            return arguments == .exact ? got.semanticallyEquals(want) : want.isSubset(of: got)
        }
        self.observed = observed.count
        self.expected = expected.count
        matched = ordered ? Self.commonSubsequence(observed, expected, fits) : Self.maximumMatching(observed, expected, fits)
    }

    /// The length of the longest common subsequence under `fits`, in O(n·m) time and O(m) memory.
    static func commonSubsequence<A, B>(_ a: [A], _ b: [B], _ fits: (A, B) -> Bool) -> Int {
        var row = [Int](repeating: 0, count: b.count + 1)
        for x in a {
            var diagonal = 0
            for (j, y) in b.enumerated() {
                let above = row[j + 1]
                row[j + 1] = fits(x, y) ? diagonal + 1 : max(above, row[j])
                diagonal = above
            }
        }
        return row[b.count]
    }

    /// The size of a maximum bipartite matching under `fits` (augmenting paths, Kuhn's algorithm).
    static func maximumMatching<A, B>(_ a: [A], _ b: [B], _ fits: (A, B) -> Bool) -> Int {
        let edges = a.map { x in b.indices.filter { fits(x, b[$0]) } }
        var owner = [Int?](repeating: nil, count: b.count)
        func augment(_ i: Int, _ visited: inout [Bool]) -> Bool {
            for j in edges[i] where !visited[j] {
                visited[j] = true
                if owner[j] == nil || augment(owner[j]!, &visited) {
                    owner[j] = i
                    return true
                }
            }
            return false
        }
        var count = 0
        for i in a.indices {
            var visited = [Bool](repeating: false, count: b.count)
            if augment(i, &visited) { count += 1 }
        }
        return count
    }
}

extension ScorerInput {
    /// The tool calls made in the selected spans, in start order: tool-execution spans (name and
    /// arguments), or, when there are none, the tool calls in LLM spans' output messages. An observed
    /// value, when given, is read as a list like the expected one.
    func observedToolCalls() throws(UnscoredReason) -> [ToolCallExpectation] {
        if let observed {
            do throws(UnscoredReason) { return try ToolCallExpectation.list(observed) } catch {
                throw .scorerFailed("the observed value is not a list of tool calls")
            }
        }
        // In a whole trace, no tool span selected means no tool was called: an empty list, which is
        // right when none was expected and a miss otherwise. Without a trace there is nothing to judge.
        if spans.isEmpty {
            if trace != nil { return [] }
            throw .noSpanMatched
        }
        let ordered = spans.sorted { $0.span.startTimeUnixNano < $1.span.startTimeUnixNano }
        let tools = ordered.filter { $0.summary.operation == .tool }
        if !tools.isEmpty {
            return tools.map { s in
                ToolCallExpectation(name: s.summary.toolName ?? s.span.name,
                                    arguments: ToolCallExpectation.arguments(SpanContent(span: s.span).toolArguments))
            }
        }
        return ordered.filter { $0.summary.operation == .chat }.flatMap { s in
            SpanContent(span: s.span).outputMessages.flatMap(\.toolCalls).map {
                ToolCallExpectation(name: $0.name, arguments: ToolCallExpectation.arguments($0.arguments))
            }
        }
    }
}
