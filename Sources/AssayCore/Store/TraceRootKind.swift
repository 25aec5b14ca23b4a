/// How a trace's root was chosen.
///
/// An agent behind an instrumented web server is usually a child of a span that is never exported
/// (its parent came in a `traceparent` header), so no received span lacks a parent. The topmost
/// received span, the earliest one whose parent was not received, then stands in as the root for
/// listing, naming and filters.
public enum TraceRootKind: Int, Hashable, Sendable, CaseIterable {
    /// No span has arrived that could be the root.
    case none = 0
    /// A span without a parent.
    case root = 1
    /// The topmost received span, whose parent its exporter marked remote (OTLP span flags 0x300):
    /// the parent lives in another process and will not arrive.
    case remoteParent = 2
    /// The topmost received span, whose parent has not arrived and is not marked remote: it may
    /// still arrive, or its exporter does not say.
    case missingParent = 3

    /// Whether the trace's real beginning has arrived, so that a quiet trace can be taken as complete.
    public var isFinal: Bool { self == .root || self == .remoteParent }

    /// OTLP span flags: bit 8 says whether bit 9 is known; bit 9 says the parent is remote.
    public static func ofTopmost(flags: UInt32) -> TraceRootKind { flags & 0x300 == 0x300 ? .remoteParent : .missingParent }
}
