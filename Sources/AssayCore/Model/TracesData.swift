/// Spans grouped as OTLP groups them: by resource, then by instrumentation scope.
///
/// The shape of both `ExportTraceServiceRequest` and `TracesData` (trace_service.proto, trace.proto).
public struct TracesData: Hashable, Sendable {
    /// One entry per producing resource.
    public var resourceSpans: [ResourceSpans]

    /// Creates a document.
    public init(resourceSpans: [ResourceSpans] = []) { self.resourceSpans = resourceSpans }

    /// Every span in document order.
    public var allSpans: [Span] { resourceSpans.flatMap { $0.scopeSpans.flatMap(\.spans) } }

    /// The number of spans.
    public var spanCount: Int { resourceSpans.reduce(0) { $0 + $1.scopeSpans.reduce(0) { $0 + $1.spans.count } } }
}

/// The spans of one resource (OTLP `ResourceSpans`).
public struct ResourceSpans: Hashable, Sendable {
    /// The producing resource.
    public var resource: Resource
    /// Spans by instrumentation scope.
    public var scopeSpans: [ScopeSpans]
    /// The resource's schema URL; empty when absent.
    public var schemaURL: String

    /// Creates a group.
    public init(resource: Resource = Resource(), scopeSpans: [ScopeSpans] = [], schemaURL: String = "") {
        self.resource = resource
        self.scopeSpans = scopeSpans
        self.schemaURL = schemaURL
    }
}

/// The spans of one instrumentation scope (OTLP `ScopeSpans`).
public struct ScopeSpans: Hashable, Sendable {
    /// The instrumentation scope.
    public var scope: InstrumentationScope
    /// The spans.
    public var spans: [Span]
    /// The scope's schema URL; empty when absent.
    public var schemaURL: String

    /// Creates a group.
    public init(scope: InstrumentationScope = InstrumentationScope(), spans: [Span] = [], schemaURL: String = "") {
        self.scope = scope
        self.spans = spans
        self.schemaURL = schemaURL
    }
}
