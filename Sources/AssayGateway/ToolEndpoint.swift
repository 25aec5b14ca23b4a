import Foundation

/// An HTTP tool the runner proxies for its agents (the suite's `tools:`): where its requests go, the
/// variable through which the agent finds the proxy, and which requests have side effects
/// (docs/resilience.md).
package struct ToolEndpoint: Sendable, Hashable {
    /// The tool's name, in the proxy's path and the spans.
    package var name: String
    /// The upstream's base URL; nil: the proxy answers itself (a simulated tool).
    package var baseURL: String?
    /// The variable the runner sets to the proxy's URL for the tool.
    package var environmentVariable: String
    /// Keep request and response bodies on the spans (cut to 16 KiB).
    package var recordBodies: Bool
    /// Requests with side effects besides POST, PUT, PATCH and DELETE.
    package var sideEffects: [ToolRoute]
    /// Requests without side effects whatever their method (these win).
    package var readOnly: [ToolRoute]

    /// Creates an endpoint.
    package init(name: String, baseURL: String?, environmentVariable: String, recordBodies: Bool = false,
                 sideEffects: [ToolRoute] = [], readOnly: [ToolRoute] = []) {
        self.name = name
        self.baseURL = baseURL
        self.environmentVariable = environmentVariable
        self.recordBodies = recordBodies
        self.sideEffects = sideEffects
        self.readOnly = readOnly
    }

    /// Whether a request changes something on the tool's side: POST, PUT, PATCH, DELETE or a declared
    /// side effect, unless declared read-only.
    package func isSideEffect(method: String, path: String) -> Bool {
        if readOnly.contains(where: { $0.matches(method: method, path: path) }) { return false }
        return ["POST", "PUT", "PATCH", "DELETE"].contains(method.uppercased()) || sideEffects.contains { $0.matches(method: method, path: path) }
    }
}

/// A request rule, `POST /search` or `/send`: an optional method and a path prefix.
package struct ToolRoute: Sendable, Hashable {
    /// The method, upper case; nil: any.
    package var method: String?
    /// The path prefix (the query string is not part of it).
    package var pathPrefix: String

    /// Reads `METHOD /path` or `/path`; nil for anything else.
    package static func parse(_ text: String) -> ToolRoute? {
        let parts = text.split(separator: " ")
        guard (1...2).contains(parts.count), parts.last!.hasPrefix("/") else { return nil }
        if parts.count == 1 { return ToolRoute(method: nil, pathPrefix: String(parts[0])) }
        guard parts[0].allSatisfy(\.isLetter) else { return nil }
        return ToolRoute(method: parts[0].uppercased(), pathPrefix: String(parts[1]))
    }

    /// Whether a request matches.
    func matches(method: String, path: String) -> Bool {
        let bare = path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? path
        return (self.method == nil || self.method == method.uppercased()) && bare.hasPrefix(pathPrefix)
    }
}
