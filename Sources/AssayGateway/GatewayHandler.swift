import AsyncHTTPClient
import AssayCore
import Foundation
import Hummingbird
import NIOCore
import NIOHTTP1
import HTTPTypes

/// One model call through the gateway: attribute, rewrite, guard, then answer from the cache, the
/// simulated provider or the upstream, and record.
struct GatewayHandler: Sendable {
    let configuration: GatewayConfiguration
    let client: ClientBox
    let `guard`: GatewayGuard
    let cache: LLMCache
    let stats: StatsBox
    let slots: SlotTable
    let writer: CacheWriter

    /// The largest request body taken, 32 MiB.
    static let maxBody = 32 << 20

    func handle(_ api: ProviderAPI, _ request: Request, context: some RequestContext) async throws -> Response {
        let start = WallClock.nowNanos()
        guard let token = Self.token(request.headers), let cell = slots[token]?.cell else {
            return Self.error(api, 401, "authentication_error",
                              "assay gateway: this API key is not a running cell's; the gateway serves only the agents that assay run starts")
        }
        let body = try await request.body.collect(upTo: Self.maxBody)
        guard var json = try? JSONValue.parse(String(buffer: body)), json.members != nil else {
            return Self.error(api, 400, "invalid_request_error", "assay gateway: the request body is not a JSON object")
        }
        // A crash due now: the agent's process group is being killed; this call is never answered.
        if let faults = cell.faults, faults.crashDue() {
            return Self.error(api, 503, "api_error", "assay fault: the agent is being restarted")
        }
        let tier = cell.tier
        if tier.upstream.baseURL.isEmpty {
            let message = "tier \(tier.name) names no upstream for its model \(tier.model): add upstream: to tiers.\(tier.name) in the suite (docs/gateway.md), or use a sim-* model"
            cell.problem(message)
            return Self.error(api, 400, "invalid_request_error", "assay gateway: " + message)
        }
        if let kind = tier.upstream.kind, kind != api.family {
            let message = "tier \(tier.name)'s upstream speaks the \(kind.rawValue) API; this agent called \(api.path) (\(api.family.rawValue))"
            cell.problem(message)
            return Self.error(api, 400, "invalid_request_error", "assay gateway: " + message)
        }
        let agentModel = json["model"]?.string
        let upstreamModel: String? = switch api {
        case .embeddings: configuration.rewriteModel ? tier.embeddingModel ?? agentModel : agentModel
        default: configuration.rewriteModel ? tier.model : agentModel
        }
        if let upstreamModel, upstreamModel != agentModel { json = Self.replacing("model", with: .string(upstreamModel), in: json) }
        if !tier.upstream.isSimulated { json = Self.removing(SimulatedProvider.scriptField, from: json) }
        let stream = json["stream"].map { if case .bool(true) = $0 { true } else { false } } ?? false
        guard let parent = Self.traceparent(request.headers) ?? cell.root else {
            return Self.error(api, 409, "invalid_request_error", "assay gateway: cell \(cell.label) has no attempt running")
        }
        let provider = tier.upstream.kind?.rawValue ?? "sim"
        let hash = configuration.cacheMode == .off ? nil
            : CanonicalRequest.hash(provider: provider, api: api, model: upstreamModel ?? "", request: json)
        var rng = SystemRandomNumberGenerator()
        var spanID: SpanID?
        while spanID == nil { spanID = SpanID(rng.next()) }
        var record = CallRecord(api: api, cell: cell, agentModel: agentModel, model: upstreamModel, request: json, stream: stream, hash: hash,
                                traceID: parent.0, parentSpanID: parent.1, spanID: spanID!, start: start)
        stats.update { $0.calls += 1 }

        if let refusal = self.guard.refusal(cell) {
            cell.problem(refusal)
            stats.update { $0.guardStops += 1 }
            finish(record, summary: nil, status: 429, errorType: "assay.guard", message: refusal, cache: .off, firstChunk: nil)
            return Self.error(api, 429, api.family == .anthropic ? "rate_limit_error" : "rate_limit_exceeded", "assay gateway: " + refusal)
        }
        var cut = false
        if let injection = cell.faults?.next(.model, name: agentModel).injection {
            record.fault = injection.action.kind
            stats.update { $0.faults += 1 }
            switch injection.action {
            case .status(let code, let after):
                let retryAfter = after ?? (code == 429 ? ModelFaults.defaultRetryAfter : nil)
                record.retryAfter = retryAfter
                finish(record, summary: nil, status: code, errorType: "assay.fault." + injection.action.kind,
                       message: "injected by fault plan \(cell.faults!.plan.name)", cache: .off, firstChunk: nil)
                return ModelFaults.status(api, code, retryAfter: retryAfter)
            case .delay(let seconds):
                try? await Task.sleep(for: .milliseconds(Int64(seconds * 1000)))
            case .cutStream, .reset:
                cut = true
                record.cutAfterEvents = 2
            case .malformed:
                finish(record, summary: nil, status: 200, errorType: "assay.fault.malformed", message: "injected by fault plan \(cell.faults!.plan.name)",
                       cache: .off, firstChunk: nil)
                var h = HTTPFields()
                h[.contentType] = stream ? "text/event-stream" : "application/json"
                let bytes = stream ? Array("data: {\"choices\": [\n\n".utf8) : ModelFaults.malformed
                return Response(status: .ok, headers: h, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
            case .empty:
                let body = ModelFaults.emptyBody(api, model: upstreamModel ?? agentModel ?? "")
                if stream {
                    return streamed(record, status: 200, headers: Self.eventStreamHeaders(), chunks: .events(SimulatedProvider.stream(api, body: body, includeUsage: false)),
                                    cacheUse: .off)
                }
                return await complete(record, status: 200, contentType: "application/json", body: Array(body.compactJSON.utf8), headers: HTTPFields(), cacheUse: .off)
            }
        }
        if cut && !stream {
            // A call that does not stream loses its connection before any answer.
            finish(record, summary: nil, status: 200, errorType: "assay.fault.\(record.fault!)", message: "injected by fault plan \(cell.faults!.plan.name)",
                   cache: .off, firstChunk: nil)
            return Response(status: .ok, headers: Self.eventStreamHeaders(), body: ResponseBody { _ in throw GatewayError.streamBroken("assay fault: connection reset") })
        }
        if let hash, configuration.cacheMode.reads {
            if let entry = cache.read(provider: provider, hash: hash) {
                stats.update { $0.replayed += 1 }
                return replay(entry, record)
            }
            if configuration.cacheMode == .replay {
                let message = "replay: the LLM cache has no recording of this request (cell \"\(cell.label)\", request \"\(hash)\"); "
                    + "record it with --llm-cache record or replay-or-record"
                cell.problem(message)
                stats.update { $0.replayMisses += 1 }
                finish(record, summary: nil, status: 424, errorType: "assay.cache_miss", message: message, cache: .miss, firstChunk: nil)
                return Self.error(api, 424, "assay_cache_miss", "assay gateway: " + message)
            }
        }
        if tier.upstream.isSimulated {
            let answer = SimulatedProvider.respond(api, model: upstreamModel ?? "sim", request: json)
            if stream {
                let include: Bool = if case .bool(true)? = json["stream_options"]?["include_usage"] { true } else { false }
                let events = SimulatedProvider.stream(api, body: answer, includeUsage: include)
                return streamed(record, status: 200, headers: Self.eventStreamHeaders(), chunks: .events(events))
            }
            return await complete(record, status: 200, contentType: "application/json", body: Array(answer.compactJSON.utf8), headers: HTTPFields(),
                                  cacheUse: configuration.cacheMode.writes ? .recorded : .miss)
        }
        return try await forward(record, json: json, original: request.headers)
    }

    // MARK: - Upstream

    private func forward(_ record: CallRecord, json: JSONValue, original: HTTPFields) async throws -> Response {
        let upstream = record.cell.tier.upstream
        var outgoing = HTTPClientRequest(url: upstream.url(for: record.api))
        outgoing.method = .POST
        outgoing.headers.add(name: "content-type", value: "application/json")
        let key = upstream.keyVariable.flatMap { configuration.keys[$0] } ?? ""
        if upstream.kind == .anthropic {
            if !key.isEmpty { outgoing.headers.add(name: "x-api-key", value: key) }
            outgoing.headers.add(name: "anthropic-version", value: original[HTTPField.Name("anthropic-version")!] ?? "2023-06-01")
            if let beta = original[HTTPField.Name("anthropic-beta")!] { outgoing.headers.add(name: "anthropic-beta", value: beta) }
        } else {
            if !key.isEmpty { outgoing.headers.add(name: "authorization", value: "Bearer " + key) }
            for name in ["openai-beta", "openai-organization", "openai-project"] {
                if let v = original[HTTPField.Name(name)!] { outgoing.headers.add(name: name, value: v) }
            }
        }
        if let accept = original[.accept] { outgoing.headers.add(name: "accept", value: accept) }
        outgoing.body = .bytes(ByteBuffer(string: json.compactJSON))
        let response: HTTPClientResponse
        do {
            guard let client = client.value else { throw GatewayError.cannotStart("the gateway is stopping") }
            response = try await client.execute(outgoing, timeout: .milliseconds(Int64(configuration.upstreamTimeoutSeconds * 1000)))
        } catch {
            let message = "the upstream of tier \(record.cell.tier.name) (\(upstream.baseURL)) cannot be reached: \(Self.describe(error))"
            record.cell.note(message)
            stats.update { $0.upstreamErrors += 1 }
            finish(record, summary: nil, status: 502, errorType: "assay.upstream_unreachable", message: message, cache: .miss, firstChunk: nil)
            return Self.error(record.api, 502, "api_connection_error", "assay gateway: " + message, retry: true)
        }
        var headers = HTTPFields()
        for (name, value) in response.headers where Self.passedHeader(name) {
            if let n = HTTPField.Name(name) { headers.append(HTTPField(name: n, value: value)) }
        }
        let status = Int(response.status.code)
        var record = record
        if status == 429 || status >= 500, let after = response.headers.first(name: "retry-after").flatMap(Double.init) { record.retryAfter = after }
        let contentType = response.headers.first(name: "content-type") ?? "application/json"
        if status < 300, contentType.hasPrefix("text/event-stream") {
            return streamed(record, status: status, headers: headers, chunks: .upstream(response.body))
        }
        let bytes: ByteBuffer
        do { bytes = try await response.body.collect(upTo: 256 << 20) } catch {
            let message = "the upstream of tier \(record.cell.tier.name) broke off its answer: \(Self.describe(error))"
            record.cell.note(message)
            stats.update { $0.upstreamErrors += 1 }
            finish(record, summary: nil, status: 502, errorType: "assay.upstream_unreachable", message: message, cache: .miss, firstChunk: nil)
            return Self.error(record.api, 502, "api_connection_error", "assay gateway: " + message, retry: true)
        }
        if status >= 400 { stats.update { $0.upstreamErrors += 1 } }
        return await complete(record, status: status, contentType: contentType, body: Array(buffer: bytes), headers: headers,
                              cacheUse: configuration.cacheMode.writes && status < 300 ? .recorded : .miss)
    }

    /// Response headers passed back to the agent: the content type, rate-limit and request-id headers.
    static func passedHeader(_ name: String) -> Bool {
        let n = name.lowercased()
        return n == "content-type" || n == "retry-after" || n == "retry-after-ms" || n == "x-request-id" || n == "request-id"
            || n == "x-should-retry" || n.hasPrefix("x-ratelimit-") || n.hasPrefix("anthropic-ratelimit-") || n == "openai-processing-ms"
    }

    // MARK: - Answers

    /// A complete (non-streaming) answer: recorded, cached when asked, returned.
    private func complete(_ record: CallRecord, status: Int, contentType: String, body: [UInt8], headers: HTTPFields, cacheUse: CacheUse) async -> Response {
        let parsed = try? JSONValue.parse(String(decoding: body, as: UTF8.self))
        var summary: CallSummary?
        if status < 300, let parsed { summary = CallSummary(); summary?.readResponse(record.api, parsed) }
        let use = cacheUse
        if use == .recorded, let hash = record.hash {
            let (path, bytes) = cache.encode(LLMCache.Entry(status: status, contentType: contentType, body: body), provider: provider(record),
                                             api: record.api, model: record.model ?? "", hash: hash, request: record.request)
            await writer.enqueue(path: path, bytes: bytes)
        }
        let errorType = status >= 400 ? Self.errorType(parsed, status: status) : nil
        finish(record, summary: summary, status: status, errorType: errorType, message: errorType.map { _ in Self.errorMessage(parsed, status: status) },
               cache: configuration.cacheMode == .off ? .off : use, firstChunk: nil)
        var h = headers
        h[.contentType] = contentType
        return Response(status: .init(code: status), headers: h, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    private func replay(_ entry: LLMCache.Entry, _ record: CallRecord) -> Response {
        if let events = entry.events {
            var h = Self.eventStreamHeaders()
            h[.contentType] = entry.contentType
            return streamed(record, status: entry.status, headers: h, chunks: .events(events), cacheUse: .hit)
        }
        let body = entry.body ?? []
        var summary = CallSummary()
        if let parsed = try? JSONValue.parse(String(decoding: body, as: UTF8.self)) { summary.readResponse(record.api, parsed) }
        finish(record, summary: summary, status: entry.status, errorType: nil, message: nil, cache: .hit, firstChunk: nil)
        var h = HTTPFields()
        h[.contentType] = entry.contentType
        return Response(status: .init(code: entry.status), headers: h, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    enum Chunks: Sendable {
        case events([[UInt8]])
        case upstream(HTTPClientResponse.Body)
    }

    /// A streamed answer: each chunk is passed on as it arrives while the events are folded into the
    /// call's record; the recording (when asked) and the span are written when the stream ends.
    private func streamed(_ record: CallRecord, status: Int, headers: HTTPFields, chunks: Chunks, cacheUse: CacheUse? = nil) -> Response {
        let handler = self
        return Response(status: .init(code: status), headers: headers, body: ResponseBody { writer in
            var parser = ServerSentEvents()
            var fold = StreamFold(record.api)
            var events: [[UInt8]] = []
            var first: UInt64?
            var failure: String?
            func take(_ bytes: [UInt8]) {
                if first == nil { first = WallClock.nowNanos() }
                for e in parser.feed(bytes) { fold.add(e); events.append(e.raw) }
            }
            /// The `cut_stream` fault: the connection closes once enough events went out.
            func cutNow() throws {
                if let limit = record.cutAfterEvents, events.count >= limit { throw GatewayError.streamBroken("assay fault: the stream was cut") }
            }
            do {
                switch chunks {
                case .events(let list):
                    for e in list {
                        take(e)
                        try await writer.write(ByteBuffer(bytes: e))
                        try cutNow()
                    }
                case .upstream(let body):
                    for try await chunk in body {
                        take(Array(buffer: chunk))
                        try await writer.write(chunk)
                        try cutNow()
                    }
                }
                if let rest = parser.finish() { fold.add(rest); events.append(rest.raw) }
                try await writer.finish(nil)
            } catch {
                failure = "the stream broke off: \(Self.describe(error))"
            }
            var summary = CallSummary()
            summary.readResponse(record.api, fold.body)
            var use = cacheUse ?? (handler.configuration.cacheMode == .off ? .off : .miss)
            if cacheUse == nil, failure == nil, fold.error == nil, handler.configuration.cacheMode.writes, let hash = record.hash {
                let (path, bytes) = handler.cache.encode(LLMCache.Entry(status: status, contentType: headers[.contentType] ?? "text/event-stream", events: events),
                                                         provider: handler.provider(record), api: record.api, model: record.model ?? "", hash: hash, request: record.request)
                await handler.writer.enqueue(path: path, bytes: bytes)
                use = .recorded
            }
            let errorType = failure != nil ? (record.cutAfterEvents != nil ? "assay.fault.cut_stream" : "assay.stream_broken") : fold.error.map { $0["type"]?.string ?? "error" }
            let message = failure ?? fold.error.map { $0["message"]?.string ?? $0.compactJSON }
            handler.finish(record, summary: summary, status: status, errorType: errorType, message: message, cache: use,
                           firstChunk: first.map { $0 &- record.start })
            if let failure {
                if record.cutAfterEvents == nil { record.cell.note("a stream of tier \(record.cell.tier.name) " + failure.dropFirst("the stream ".count)) }
                throw GatewayError.streamBroken(failure)
            }
        })
    }

    /// Records the call's span on its cell and counts its cost.
    func finish(_ record: CallRecord, summary: CallSummary?, status: Int, errorType: String?, message: String?, cache: CacheUse, firstChunk: UInt64?) {
        var summary = summary ?? CallSummary()
        summary.readRequest(record.api, record.request)
        let cost = summary.usage.reported ? record.cell.tier.cost(summary.usage) : nil
        let span = record.span(summary: summary, status: status, errorType: errorType, errorMessage: message, cache: cache, cost: cost,
                               firstChunkNanos: firstChunk, end: WallClock.nowNanos())
        // A replayed answer costs nothing now; its span still carries what the call cost when recorded.
        let spent = cache == .hit ? 0 : cost ?? 0
        record.cell.record(GatewayCall(span: span, usage: summary.usage, costUSD: cost ?? 0, spentUSD: spent, cache: cache, status: status))
        self.guard.spend(spent)
    }

    func provider(_ record: CallRecord) -> String { record.cell.tier.upstream.kind?.rawValue ?? "sim" }

    // MARK: - Helpers

    static func token(_ headers: HTTPFields) -> String? {
        if let key = headers[HTTPField.Name("x-api-key")!], !key.isEmpty { return key }
        if let auth = headers[.authorization], auth.lowercased().hasPrefix("bearer ") { return String(auth.dropFirst(7)).trimmingCharacters(in: .whitespaces) }
        return nil
    }

    /// A W3C `traceparent`: version 00, trace id, parent span id.
    static func traceparent(_ headers: HTTPFields) -> (TraceID, SpanID)? {
        guard let value = headers[HTTPField.Name("traceparent")!] else { return nil }
        let parts = value.split(separator: "-")
        guard parts.count == 4, parts[0].count == 2, let t = TraceID(hex: parts[1]), let s = SpanID(hex: parts[2]) else { return nil }
        return (t, s)
    }

    static func replacing(_ key: String, with value: JSONValue, in json: JSONValue) -> JSONValue {
        guard case .object(var members, let line) = json else { return json }
        if let i = members.lastIndex(where: { $0.key == key }) { members[i].value = value }
        else { members.append(JSONMember(key: key, value: value, line: 0)) }
        return .object(members, line: line)
    }

    static func removing(_ key: String, from json: JSONValue) -> JSONValue {
        guard case .object(let members, let line) = json, members.contains(where: { $0.key == key }) else { return json }
        return .object(members.filter { $0.key != key }, line: line)
    }

    static func eventStreamHeaders() -> HTTPFields {
        var h = HTTPFields()
        h[.contentType] = "text/event-stream"
        h[.cacheControl] = "no-cache"
        return h
    }

    static func error(_ api: ProviderAPI, _ status: Int, _ type: String, _ message: String, retry: Bool = false) -> Response {
        var h = HTTPFields()
        h[.contentType] = "application/json"
        // The OpenAI and Anthropic SDKs do not retry an answer that says so.
        if !retry { h[HTTPField.Name("x-should-retry")!] = "false" }
        return Response(status: .init(code: status), headers: h,
                        body: .init(byteBuffer: ByteBuffer(bytes: ProviderErrorBody.bytes(api, type: type, message: message))))
    }

    static func errorType(_ body: JSONValue?, status: Int) -> String {
        // OpenAI's code (`rate_limit_exceeded`) says more than its type (`requests`); Anthropic has only a type.
        (body?["error"]?["code"]?.string ?? body?["error"]?["type"]?.string).map { $0.isEmpty ? String(status) : $0 } ?? String(status)
    }

    static func errorMessage(_ body: JSONValue?, status: Int) -> String {
        let m = body?["error"]?["message"]?.string ?? "HTTP \(status)"
        return DisplayFormat.safe(m, limit: 300)
    }

    static func describe(_ error: any Error) -> String {
        if let e = error as? HTTPClientError {
            if e == .deadlineExceeded || e == .readTimeout { return "timed out" }
            if e == .connectTimeout { return "connection timed out" }
            if e == .remoteConnectionClosed { return "the connection was closed" }
        }
        let text = "\(error)"
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "connection refused" }
        return DisplayFormat.safe(text, limit: 200)
    }
}

