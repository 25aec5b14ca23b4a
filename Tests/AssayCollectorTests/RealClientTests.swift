import AssaySQLite
import AssayCore
import Foundation
import Testing

/// The real OpenTelemetry Python SDK (from PyPI) exporting to `assay serve`. CI installs it into
/// `.venv` (see .ci/run); elsewhere set ASSAY_PYTHON to a Python that has it.
@Suite("Real OpenTelemetry SDK clients", .serialized)
struct RealClientTests {
    static var python: String {
        ProcessInfo.processInfo.environment["ASSAY_PYTHON"] ?? Paths.packageRoot.appendingPathComponent(".venv/bin/python").path
    }

    static let script = Paths.packageRoot.appendingPathComponent("Tests/AssayCollectorTests/Clients/export_agent_run.py").path

    @Test("every span arrives intact: attributes, events, status, parent links", arguments: [
        ("protobuf", false), ("protobuf", true), ("json", false), ("json", true),
    ])
    func exportArrives(proto: String, gzip: Bool) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.python) else {
            throw TestFailure("""
                no Python with the OpenTelemetry SDK at \(Self.python); run: python3 -m venv .venv && \
                .venv/bin/pip install opentelemetry-sdk opentelemetry-exporter-otlp-proto-http opentelemetry-exporter-otlp-json-common
                """)
        }
        let folder = try Paths.temporaryFolder()
        let tokenFile = folder.appendingPathComponent("token")
        try "t0ken-\(proto)".write(to: tokenFile, atomically: true, encoding: .utf8)
        let server = try ServerProcess(database: folder.appendingPathComponent("db.sqlite"), arguments: ["--token-file", tokenFile.path])
        let expectFile = folder.appendingPathComponent("expect.json")
        let client = Process()
        client.executableURL = URL(fileURLWithPath: Self.python)
        client.arguments = [Self.script, "--endpoint", "http://127.0.0.1:\(server.port)/v1/traces", "--protocol", proto,
                            "--token", "t0ken-\(proto)", "--expect", expectFile.path] + (gzip ? ["--gzip"] : [])
        try client.run()
        client.waitUntilExit()
        #expect(client.terminationStatus == 0, "the SDK's export failed")
        #expect(server.stop() == 0)

        let expected = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: expectFile)) as? [[String: Any]])
        #expect(expected.count == 5)
        let store = try SQLiteTraceStore(path: server.database.path)
        for e in expected {
            let traceID = try #require(TraceID(hex: e["traceId"] as! String))
            let trace = try #require(try store.trace(traceID))
            let stored = try #require(trace.spans.first { $0.span.spanID.description == e["spanId"] as? String }, "\(e["name"]!)")
            let span = stored.span
            #expect(span.name == e["name"] as? String)
            #expect(span.parentSpanID?.description == e["parentSpanId"] as? String)
            #expect(Int(span.kind.rawValue) == e["kind"] as? Int)
            #expect(Int(span.status.code.rawValue) == e["status"] as? Int)
            #expect(span.status.message == e["statusMessage"] as? String)
            #expect(span.startTimeUnixNano == (e["startTimeUnixNano"] as? NSNumber)?.uint64Value)
            #expect(span.endTimeUnixNano == (e["endTimeUnixNano"] as? NSNumber)?.uint64Value)
            #expect(Self.plain(span.attributes) == Self.normalize(e["attributes"]), "\(span.name) attributes")
            let events = e["events"] as! [[String: Any]]
            #expect(span.events.map(\.name) == events.map { $0["name"] as! String })
            for (stored, sent) in zip(span.events, events) {
                #expect(Self.plain(stored.attributes) == Self.normalize(sent["attributes"]), "\(span.name) event \(stored.name)")
            }
            let links = e["links"] as! [[String: String]]
            #expect(span.links.map { [$0.traceID.description, $0.spanID.description] } == links.map { [$0["traceId"]!, $0["spanId"]!] })
            let resource = Self.plain(stored.resource.attributes)
            for (key, value) in Self.normalize(e["resource"]) { #expect(resource[key] == value, "resource \(key)") }
            #expect(stored.scope.name == e["scope"] as? String)
        }
        // The app.big attribute is 2^53 + 1: it must survive as an exact integer.
        let root = try #require(expected.first { ($0["parentSpanId"] as? String) == nil })
        let rootStored = try store.trace(TraceID(hex: root["traceId"] as! String)!)!.spans.first { $0.span.parentSpanID == nil }!
        #expect(rootStored.span.attributes[key: "app.big"] == .int(9_007_199_254_740_993))
    }

    /// Attribute values as comparable strings.
    static func plain(_ attributes: [Attribute]) -> [String: String] {
        Dictionary(attributes.map { ($0.key, text($0.value)) }, uniquingKeysWith: { $1 })
    }

    static func text(_ v: AttributeValue) -> String {
        switch v {
        case .string(let s): "s:" + s
        case .bool(let b): "b:\(b)"
        case .int(let n): "i:\(n)"
        case .double(let d): "d:\(d)"
        case .array(let values): "[" + values.map(text).joined(separator: ",") + "]"
        default: "\(v)"
        }
    }

    static func normalize(_ any: Any?) -> [String: String] {
        guard let dict = any as? [String: Any] else { return [:] }
        return dict.mapValues(value)
    }

    static func value(_ v: Any) -> String {
        if let s = v as? String { return "s:" + s }
        if let n = v as? NSNumber {
            let type = String(cString: n.objCType)
            if type == "c" || type == "B" { return "b:\(n.boolValue)" }
            if type == "d" || type == "f" { return "d:\(n.doubleValue)" }
            return "i:\(n.int64Value)"
        }
        if let a = v as? [Any] { return "[" + a.map(value).joined(separator: ",") + "]" }
        return "\(v)"
    }
}
