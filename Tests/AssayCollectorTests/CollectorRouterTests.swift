import AssayCore
import AssayOTLP
import CompressNIO
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import AssayCollector

/// A collector over an in-memory store, with the writer stopped at the end.
func withCollector<T>(_ configure: (inout CollectorConfiguration) -> Void = { _ in }, store: any TraceStore = InMemoryTraceStore(),
                      _ setup: TestingSetup = .router, _ body: @Sendable (any TestClientProtocol) async throws -> T) async throws -> T {
    var configuration = CollectorConfiguration()
    configuration.port = 0
    configure(&configuration)
    let collector = Collector(store: store, configuration: configuration)
    defer { collector.writer.stop() }
    return try await collector.application.test(setup, body)
}

/// Sample request bodies.
enum Bodies {
    static func spans(_ count: Int, trace: UInt64 = 1) -> TracesData {
        var spans: [Span] = []
        for i in 1...count {
            let attributes = [Attribute("gen_ai.request.model", .string("m")), Attribute("n", .int(Int64(i)))]
            spans.append(Span(traceID: TraceID(high: 9, low: trace)!, spanID: SpanID(UInt64(i))!, parentSpanID: i == 1 ? nil : SpanID(1),
                              name: "span \(i)", kind: .internal, startTimeUnixNano: UInt64(i), endTimeUnixNano: UInt64(i) + 10,
                              attributes: attributes))
        }
        let resource = Resource(attributes: [Attribute("service.name", .string("t"))])
        return TracesData(resourceSpans: [ResourceSpans(resource: resource, scopeSpans: [ScopeSpans(scope: InstrumentationScope(name: "tests"), spans: spans)])])
    }

    static func json(_ data: TracesData) -> ByteBuffer { ByteBuffer(bytes: OTLPJSONEncoder.encode(data)) }
    static func protobuf(_ data: TracesData) -> ByteBuffer { ByteBuffer(bytes: OTLPProtoEncoder.encode(data)) }

    static func gzip(_ buffer: ByteBuffer) throws -> ByteBuffer {
        var input = buffer
        return try input.compress(with: .gzip())
    }

    static func headers(_ type: String, encoding: String? = nil, token: String? = nil) -> HTTPFields {
        var h = HTTPFields()
        h[.contentType] = type
        if let encoding { h[.contentEncoding] = encoding }
        if let token { h[.authorization] = "Bearer \(token)" }
        return h
    }
}

@Suite("POST /v1/traces, through the router")
struct CollectorRouterTests {
    @Test("stores OTLP/JSON and answers {} in JSON, with Content-Type parameters ignored")
    func json() async throws {
        let store = InMemoryTraceStore()
        try await withCollector(store: store) { client in
            try await client.execute(uri: "/v1/traces", method: .post, headers: Bodies.headers("application/json; charset=utf-8"),
                                     body: Bodies.json(Bodies.spans(3))) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
                #expect(String(buffer: response.body) == "{}")
            }
        }
        #expect(try store.trace(TraceID(high: 9, low: 1)!)?.spans.count == 3)
    }

    @Test("stores OTLP protobuf and answers an empty protobuf response")
    func protobuf() async throws {
        let store = InMemoryTraceStore()
        try await withCollector(store: store) { client in
            try await client.execute(uri: "/v1/traces", method: .post, headers: Bodies.headers("application/x-protobuf"),
                                     body: Bodies.protobuf(Bodies.spans(4))) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/x-protobuf")
                #expect(response.body.readableBytes == 0)
            }
        }
        let trace = try #require(try store.trace(TraceID(high: 9, low: 1)!))
        #expect(trace.spans.map(\.span) == Bodies.spans(4).allSpans)
    }

    @Test("decompresses gzip and deflate bodies", arguments: ["gzip", "deflate"])
    func compressed(encoding: String) async throws {
        let store = InMemoryTraceStore()
        var input = Bodies.protobuf(Bodies.spans(5))
        let body = encoding == "gzip" ? try input.compress(with: .gzip()) : try input.compress(with: .zlib())
        try await withCollector(store: store) { client in
            try await client.execute(uri: "/v1/traces", method: .post, headers: Bodies.headers("application/x-protobuf", encoding: encoding), body: body) { response in
                #expect(response.status == .ok)
            }
        }
        #expect(try store.trace(TraceID(high: 9, low: 1)!)?.spans.count == 5)
    }

    @Test("answers a partial success naming the rejected spans, and stores the valid ones", arguments: [true, false])
    func partialSuccess(json: Bool) async throws {
        let store = InMemoryTraceStore()
        let good = #"{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"ok"}"#
        let bad = #"{"traceId":"5b8efff798038103","spanId":"eee19b7ec3c1b175","name":"bad"}"#
        let text = #"{"resourceSpans":[{"scopeSpans":[{"spans":[\#(good),\#(bad)]}]}]}"#
        try await withCollector(store: store) { client in
            if json {
                try await client.execute(uri: "/v1/traces", method: .post, headers: Bodies.headers("application/json"), body: ByteBuffer(string: text)) { response in
                    #expect(response.status == .ok)
                    let body = String(buffer: response.body)
                    #expect(body.contains(#""rejectedSpans":"1""#))
                    #expect(body.contains("spans[1].traceId: expected 32 hex characters, got 16"))
                }
            } else {
                // A protobuf span with a 3-byte trace id.
                var w = ProtoWriter()
                w.messageField(1) { rs in rs.messageField(2) { ss in
                    ss.messageField(2) { OTLPProtoEncoder.write(Bodies.spans(1).allSpans[0], to: &$0) }
                    ss.messageField(2) { s in s.bytesField(1, [1, 2, 3]); s.idField(2, 7); s.stringField(5, "bad") }
                } }
                try await client.execute(uri: "/v1/traces", method: .post, headers: Bodies.headers("application/x-protobuf"), body: ByteBuffer(bytes: w.bytes)) { response in
                    #expect(response.status == .ok)
                    let bytes = Array(response.body.readableBytesView)
                    #expect(bytes.first == 0x0A)  // field 1, partial_success
                    #expect(bytes.contains(0x08) && bytes.contains(1))  // rejected_spans = 1
                }
            }
        }
        #expect(try store.traces(matching: TraceQuery()).count == 1)
    }

    @Test("answers 400 for bodies that do not parse, and writes nothing", arguments: [
        ("application/json", Array("{\"resourceSpans\": [".utf8)),
        ("application/json", Array("not json".utf8)),
        ("application/json", Array(#"{"resourceSpans":"oops"}"#.utf8)),
        ("application/x-protobuf", [0x0A, 0xFF, 0xFF, 0xFF, 0x0F]),
        ("application/x-protobuf", [0xFF, 0xFF, 0xFF]),
    ])
    func unparseable(type: String, bytes: [UInt8]) async throws {
        let store = InMemoryTraceStore()
        try await withCollector(store: store) { client in
            try await client.execute(uri: "/v1/traces", method: .post, headers: Bodies.headers(type), body: ByteBuffer(bytes: bytes)) { response in
                #expect(response.status == .badRequest)
                #expect(response.headers[.contentType] == OTLPEncoding(contentType: type)?.contentType)
            }
        }
        #expect(try store.traces(matching: TraceQuery()).isEmpty)
    }

    @Test("answers 415 for other content types and content encodings")
    func unsupported() async throws {
        try await withCollector { client in
            try await client.execute(uri: "/v1/traces", method: .post, headers: Bodies.headers("text/plain"), body: ByteBuffer(string: "{}")) { response in
                #expect(response.status == .unsupportedMediaType)
            }
            try await client.execute(uri: "/v1/traces", method: .post, headers: Bodies.headers("application/json", encoding: "br"), body: ByteBuffer(string: "{}")) { response in
                #expect(response.status == .unsupportedMediaType)
            }
        }
    }

    @Test("answers 413 over the size limit, and for a gzip bomb checked after decompression")
    func tooLarge() async throws {
        try await withCollector({ $0.maxBodyBytes = 1 << 20 }) { client in
            let big = ByteBuffer(bytes: [UInt8](repeating: 0x20, count: (1 << 20) + 1))
            try await client.execute(uri: "/v1/traces", method: .post, headers: Bodies.headers("application/json"), body: big) { response in
                #expect(response.status == .contentTooLarge)
            }
            // 64 MiB of zeros compresses to about 64 KiB.
            var zeros = ByteBuffer(bytes: [UInt8](repeating: 0, count: 64 << 20))
            let bomb = try zeros.compress(with: .gzip())
            #expect(bomb.readableBytes < 1 << 20)
            try await client.execute(uri: "/v1/traces", method: .post, headers: Bodies.headers("application/x-protobuf", encoding: "gzip"), body: bomb) { response in
                #expect(response.status == .contentTooLarge)
            }
        }
    }

    @Test("with a token, answers 401 without a valid bearer token and writes nothing")
    func token() async throws {
        let store = InMemoryTraceStore()
        try await withCollector({ $0.token = "s3cret" }, store: store) { client in
            for token in [nil, "wrong", "s3cret-and-more", ""] as [String?] {
                try await client.execute(uri: "/v1/traces", method: .post, headers: Bodies.headers("application/json", token: token),
                                         body: Bodies.json(Bodies.spans(2))) { response in
                    #expect(response.status == .unauthorized)
                    #expect(response.headers[.wwwAuthenticate] == "Bearer")
                }
            }
            #expect(try store.traces(matching: TraceQuery()).isEmpty)
            try await client.execute(uri: "/v1/traces", method: .post, headers: Bodies.headers("application/json", token: "s3cret"),
                                     body: Bodies.json(Bodies.spans(2))) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/healthz", method: .get) { response in #expect(response.status == .ok) }
        }
        #expect(try store.traces(matching: TraceQuery()).count == 1)
    }

    @Test("answers 503 with Retry-After when the write queue is full")
    func queueFull() async throws {
        let store = BlockingStore()
        try await withCollector({ $0.maxQueuedSpans = 10 }, store: store) { client in
            // The first request takes the writer and blocks inside the store; the second fills the queue.
            async let first: Void = client.execute(uri: "/v1/traces", method: .post, headers: Bodies.headers("application/json"),
                                                   body: Bodies.json(Bodies.spans(8, trace: 1))) { response in #expect(response.status == .ok) }
            try await store.waitUntilBlocked()
            async let second: Void = client.execute(uri: "/v1/traces", method: .post, headers: Bodies.headers("application/json"),
                                                    body: Bodies.json(Bodies.spans(8, trace: 2))) { response in #expect(response.status == .ok) }
            try await Task.sleep(for: .milliseconds(200))
            try await client.execute(uri: "/v1/traces", method: .post, headers: Bodies.headers("application/json"),
                                     body: Bodies.json(Bodies.spans(8, trace: 3))) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers[.retryAfter] == "1")
            }
            store.release()
            _ = try await (first, second)
        }
        #expect(try store.traces(matching: TraceQuery()).count == 2)
    }

    @Test("answers 503 before reading the body when too many requests are in flight")
    func tooManyInFlight() async throws {
        let store = BlockingStore()
        try await withCollector({ $0.maxConcurrentRequests = 1 }, store: store) { client in
            async let first: Void = client.execute(uri: "/v1/traces", method: .post, headers: Bodies.headers("application/json"),
                                                   body: Bodies.json(Bodies.spans(2, trace: 1))) { response in #expect(response.status == .ok) }
            try await store.waitUntilBlocked()
            try await client.execute(uri: "/v1/traces", method: .post, headers: Bodies.headers("application/json"),
                                     body: Bodies.json(Bodies.spans(2, trace: 2))) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers[.retryAfter] == "1")
            }
            store.release()
            try await first
        }
        #expect(try store.traces(matching: TraceQuery()).count == 1)
    }

    @Test("serves /healthz and Prometheus /metrics with requests, spans, queue depth and commit latency")
    func operations() async throws {
        try await withCollector { client in
            try await client.execute(uri: "/v1/traces", method: .post, headers: Bodies.headers("application/json"), body: Bodies.json(Bodies.spans(3))) { _ in }
            try await client.execute(uri: "/v1/traces", method: .post, headers: Bodies.headers("application/json"), body: ByteBuffer(string: "x")) { _ in }
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "ok\n")
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(text.contains(#"assay_http_requests_total{path="/v1/traces",status="200"} 1"#))
                #expect(text.contains(#"assay_http_requests_total{path="/v1/traces",status="400"} 1"#))
                #expect(text.contains("assay_spans_accepted_total 3"))
                #expect(text.contains("assay_write_queue_spans"))
                #expect(text.contains("assay_batch_commit_seconds_count 1"))
            }
        }
    }
}

/// A store whose writes wait until released, to fill the collector's queue.
final class BlockingStore: TraceStore, @unchecked Sendable {
    private let inner = InMemoryTraceStore()
    private let entered = DispatchSemaphore(value: 0)
    private let gate = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var blockedOnce = false

    func write<T>(_ body: (any TraceWriter) throws -> T) throws -> T {
        let block = lock.withLock { () -> Bool in
            defer { blockedOnce = true }
            return !blockedOnce
        }
        if block {
            entered.signal()
            gate.wait()
        }
        return try inner.write(body)
    }

    func traces(matching query: TraceQuery) throws -> [TraceSummary] { try inner.traces(matching: query) }
    func trace(_ id: TraceID) throws -> StoredTrace? { try inner.trace(id) }
    func feedback(for ids: [TraceID]) throws -> [TraceID: [StoredFeedback]] { try inner.feedback(for: ids) }

    func waitUntilBlocked() async throws {
        while entered.wait(timeout: .now()) == .timedOut { try await Task.sleep(for: .milliseconds(10)) }
    }

    func release() { gate.signal() }
}

@Suite("POST /v1/feedback, through the router")
struct FeedbackRouteTests {
    func store() throws -> InMemoryTraceStore {
        let store = InMemoryTraceStore()
        let batch = IngestBatch(Bodies.spans(2))
        _ = try store.write { try $0.write(batch) }
        return store
    }

    static let trace = TraceID(high: 9, low: 1)!.description

    @Test("stores feedback on a known trace and span, answering with the ids")
    func accepted() async throws {
        let store = try store()
        try await withCollector(store: store) { client in
            let body = #"[{"traceId":"\#(Self.trace)","rating":"up"},{"traceId":"\#(Self.trace)","spanId":"0000000000000002","labels":{"intent":"refund"}}]"#
            try await client.execute(uri: "/v1/feedback", method: .post, headers: Bodies.headers("application/json"), body: ByteBuffer(string: body)) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains(#""accepted":2"#))
            }
        }
        #expect(try store.feedback(for: [TraceID(high: 9, low: 1)!]).values.first?.count == 2)
    }

    @Test("refuses unknown traces with 422, malformed bodies with 400 and a path, other types with 415; nothing stored")
    func refused() async throws {
        let store = try store()
        try await withCollector(store: store) { client in
            let unknown = #"[{"traceId":"\#(Self.trace)","rating":"up"},{"traceId":"0000000000000000000000000000beef","rating":"up"}]"#
            try await client.execute(uri: "/v1/feedback", method: .post, headers: Bodies.headers("application/json"), body: ByteBuffer(string: unknown)) { response in
                #expect(response.status == .unprocessableContent)
                #expect(String(buffer: response.body).contains(#""index":1"#))
            }
            let bad = #"[{"traceId":"\#(Self.trace)","rating":"up"},{"traceId":"\#(Self.trace)","scores":{"a":"x"}}]"#
            try await client.execute(uri: "/v1/feedback", method: .post, headers: Bodies.headers("application/json"), body: ByteBuffer(string: bad)) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("[1].scores.a: expected a finite number"))
            }
            try await client.execute(uri: "/v1/feedback", method: .post, headers: Bodies.headers("text/plain"), body: ByteBuffer(string: "up")) { response in
                #expect(response.status == .unsupportedMediaType)
            }
        }
        #expect(try store.feedback(for: [TraceID(high: 9, low: 1)!]).isEmpty)
    }

    @Test("needs the bearer token when the collector has one")
    func token() async throws {
        try await withCollector({ $0.token = "s3cret" }, store: try store()) { client in
            let body = ByteBuffer(string: #"{"traceId":"\#(Self.trace)","rating":"up"}"#)
            try await client.execute(uri: "/v1/feedback", method: .post, headers: Bodies.headers("application/json"), body: body) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/v1/feedback", method: .post, headers: Bodies.headers("application/json", token: "s3cret"), body: body) { response in
                #expect(response.status == .ok)
            }
        }
    }
}
