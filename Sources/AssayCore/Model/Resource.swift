/// The entity that produced spans, such as a service (OTLP `Resource`).
public struct Resource: Hashable, Sendable {
    /// Resource attributes, e.g. `service.name`.
    public var attributes: [Attribute]
    /// How many attributes the producer dropped.
    public var droppedAttributesCount: UInt32

    /// Creates a resource.
    public init(attributes: [Attribute] = [], droppedAttributesCount: UInt32 = 0) {
        self.attributes = attributes
        self.droppedAttributesCount = droppedAttributesCount
    }

    /// `service.name`, when present.
    public var serviceName: String? { attributes[key: "service.name"]?.stringValue }
}

/// The instrumentation library that produced spans (OTLP `InstrumentationScope`).
public struct InstrumentationScope: Hashable, Sendable {
    /// The library name; empty when absent.
    public var name: String
    /// The library version; empty when absent.
    public var version: String
    /// Scope attributes.
    public var attributes: [Attribute]
    /// How many attributes the producer dropped.
    public var droppedAttributesCount: UInt32

    /// Creates a scope.
    public init(name: String = "", version: String = "", attributes: [Attribute] = [], droppedAttributesCount: UInt32 = 0) {
        self.name = name
        self.version = version
        self.attributes = attributes
        self.droppedAttributesCount = droppedAttributesCount
    }
}
