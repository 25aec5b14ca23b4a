/// Chooses a component's spans in a trace: the one selector syntax of scorer files, dataset promotion
/// and the runner (docs/selectors.md).
///
/// A selector is clauses separated by spaces; every clause must hold. Values may be globs (`*`, `?`,
/// `[...]`) and may be quoted with `"` or `'` when they hold spaces (`\` escapes the next character
/// inside quotes); so may an attribute's key (`attr."my key"=x`).
///
/// | clause | matches |
/// |---|---|
/// | `name=triage*` | the span name, exact or glob |
/// | `op=chat` | the operation: agent, chat, embeddings, retrieval, tool, chain, other (synonyms such as `llm`, `execute_tool` too) |
/// | `tool=search_*` | the tool name of tool spans |
/// | `model=gpt-4o*` | the request or response model |
/// | `attr.KEY=VALUE` | an attribute's value as text, exact or glob |
/// | `root` | the trace's root span |
/// | `first`, `last`, `all` (default), `nth=N` (1-based) | which of the matching spans, in start order |
///
/// ```swift
/// let triage = try SpanSelector.parse("op=chat name='classify*' first")
/// let spans = triage.select(in: trace)
/// ```
public struct SpanSelector: Hashable, Sendable, CustomStringConvertible {
    /// One condition on a span.
    public enum Condition: Hashable, Sendable {
        /// The span name equals or matches a glob.
        case name(String)
        /// The operation is this one.
        case operation(SpanOperation)
        /// The tool name equals or matches.
        case tool(String)
        /// The model equals or matches.
        case model(String)
        /// An attribute's text equals or matches.
        case attribute(key: String, value: String)
        /// The span is the trace's root.
        case root
        /// The span ended in error (`status=error`), or did not (`status=ok`): a call that failed and
        /// was retried is not the step's answer.
        case failed(Bool)
    }

    /// Which of the matching spans to keep.
    public enum Position: Hashable, Sendable {
        /// Every matching span, in start order.
        case all
        /// The first to start.
        case first
        /// The last to start.
        case last
        /// The n-th to start (1-based).
        case nth(Int)
    }

    /// The conditions, all of which must hold.
    public var conditions: [Condition]
    /// The position.
    public var position: Position

    /// Creates a selector.
    public init(conditions: [Condition], position: Position = .all) {
        self.conditions = conditions
        self.position = position
    }

    /// The spans of `trace` this selector chooses, in start order.
    public func select(in trace: StoredTrace) -> [StoredSpan] {
        let ordered = trace.spans.sorted { ($0.span.startTimeUnixNano, $0.span.spanID) < ($1.span.startTimeUnixNano, $1.span.spanID) }
        let matching = ordered.filter { matches($0, rootID: trace.summary.rootSpanID) }
        switch position {
        case .all: return matching
        case .first: return Array(matching.prefix(1))
        case .last: return Array(matching.suffix(1))
        case .nth(let n): return n >= 1 && n <= matching.count ? [matching[n - 1]] : []
        }
    }

    /// Whether one span meets every condition.
    public func matches(_ s: StoredSpan, rootID: SpanID?) -> Bool {
        conditions.allSatisfy { condition in
            switch condition {
            case .name(let p): Self.match(s.span.name, p)
            case .operation(let op): s.summary.operation == op
            case .tool(let p): s.summary.toolName.map { Self.match($0, p) } ?? false
            case .model(let p): s.summary.model.map { Self.match($0, p) } ?? false
            case .attribute(let key, let p): s.span.attributes[key: key].map { Self.match($0.displayText, p) } ?? false
            case .root: s.span.spanID == rootID || (rootID == nil && s.span.parentSpanID == nil)
            case .failed(let failed): (s.span.status.code == .error) == failed
            }
        }
    }

    private static func match(_ text: String, _ pattern: String) -> Bool {
        pattern.contains(where: { "*?[".contains($0) }) ? Glob.matches(text, pattern: pattern) : text == pattern
    }

    /// The selector's canonical text, which `parse` reads back as an equal selector: values (and attribute
    /// keys) are quoted when they are empty or hold whitespace, `,`, `=`, a quote or a backslash, with `\`
    /// before `"` and `\`; a selector with no conditions that keeps every span is `all`.
    ///
    /// Not every value of the type has a text: `name=`, `tool=` and `model=` need a value, an attribute
    /// key must not be empty, and `nth` counts from 1.
    public var description: String {
        var parts = conditions.map { c -> String in
            switch c {
            case .name(let v): "name=" + Self.quote(v)
            case .operation(let op): "op=" + op.label
            case .tool(let v): "tool=" + Self.quote(v)
            case .model(let v): "model=" + Self.quote(v)
            case .attribute(let k, let v): "attr." + Self.quote(k) + "=" + Self.quote(v)
            case .root: "root"
            case .failed(let failed): failed ? "status=error" : "status=ok"
            }
        }
        switch position {
        case .all: if parts.isEmpty { parts.append("all") }
        case .first: parts.append("first")
        case .last: parts.append("last")
        case .nth(let n): parts.append("nth=\(n)")
        }
        return parts.joined(separator: " ")
    }

    /// `v` as it is, or in double quotes when the parser would otherwise read it differently.
    private static func quote(_ v: String) -> String {
        let plain = !v.isEmpty && !v.unicodeScalars.contains { $0.properties.isWhitespace || $0 == "," || $0 == "=" || $0 == "\"" || $0 == "'" || $0 == "\\" }
        if plain { return v }
        var out = "\""
        for scalar in v.unicodeScalars {
            if scalar == "\"" || scalar == "\\" { out.unicodeScalars.append("\\") }
            out.unicodeScalars.append(scalar)
        }
        return out + "\""
    }
}
