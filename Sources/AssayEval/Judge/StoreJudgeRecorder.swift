package import AssayCore
import AssayOTLP
import Foundation
import Synchronization

/// Records judge calls as spans in a `TraceStore`: one span per HTTP call, each in a fresh trace,
/// under the resource `service.name=assay-judge`. Cache hits make no call and record nothing.
///
/// The span follows the OpenTelemetry GenAI conventions: named `chat {model}` or
/// `embeddings {model}`, kind client, with `gen_ai.operation.name`, `gen_ai.provider.name`,
/// `gen_ai.request.model`, `gen_ai.request.temperature`, `gen_ai.request.max_tokens`,
/// `gen_ai.response.model`, `gen_ai.response.id`, `gen_ai.response.finish_reasons`,
/// `gen_ai.usage.input_tokens`, `gen_ai.usage.output_tokens`, `gen_ai.input.messages`,
/// `gen_ai.output.messages` (JSON text), `server.address`, `server.port`,
/// `http.response.status_code`, `assay.judge.scorer` and `assay.judge.attempt`. A failed call has
/// status error and `error.type`. Neither the key nor any header is recorded.
/// See https://opentelemetry.io/docs/specs/semconv/gen-ai/gen-ai-spans/
package final class StoreJudgeRecorder: JudgeCallRecorder {
    private let store: any TraceStore
    private let failures = Mutex<(count: Int, last: String?)>((0, nil))

    /// Creates a recorder writing to `store`.
    package init(store: any TraceStore) { self.store = store }

    /// How many calls could not be written, and the last store error; recording never fails scoring.
    package var writeFailures: (count: Int, last: String?) { failures.withLock { $0 } }

    package func record(_ call: JudgeCall) async {
        let batch = IngestBatch(Self.tracesData(call))
        do {
            _ = try store.write { try $0.write(batch) }
        } catch {
            failures.withLock { $0 = ($0.count + 1, String(describing: error)) }
        }
    }

    /// The call as an OTLP document with one span.
    package static func tracesData(_ call: JudgeCall) -> TracesData {
        var rng = SystemRandomNumberGenerator()
        let traceID = TraceID(high: rng.next(), low: rng.next() | 1)!
        let spanID = SpanID(rng.next() | 1)!
        let span = Span(traceID: traceID, spanID: spanID, name: "\(call.operation.rawValue) \(call.requestModel)",
                        kind: .client, startTimeUnixNano: call.startTimeUnixNano, endTimeUnixNano: call.endTimeUnixNano,
                        attributes: attributes(call),
                        status: call.errorType == nil ? SpanStatus() : SpanStatus(code: .error, message: call.errorMessage ?? ""))
        let resource = Resource(attributes: [Attribute("service.name", .string("assay-judge"))])
        let scope = InstrumentationScope(name: "assay.judge")
        return TracesData(resourceSpans: [ResourceSpans(resource: resource, scopeSpans: [ScopeSpans(scope: scope, spans: [span])])])
    }

    static func attributes(_ call: JudgeCall) -> [Attribute] {
        var a: [Attribute] = [
            Attribute("gen_ai.operation.name", .string(call.operation.rawValue)),
            Attribute("gen_ai.provider.name", .string(call.provider)),
            Attribute("gen_ai.request.model", .string(call.requestModel)),
        ]
        func add(_ key: String, _ value: AttributeValue?) { if let value { a.append(Attribute(key, value)) } }
        add("gen_ai.request.temperature", call.temperature.map(AttributeValue.double))
        add("gen_ai.request.max_tokens", call.maxTokens.map { .int(Int64($0)) })
        add("gen_ai.response.model", call.responseModel.map(AttributeValue.string))
        add("gen_ai.response.id", call.responseID.map(AttributeValue.string))
        if !call.finishReasons.isEmpty { add("gen_ai.response.finish_reasons", .array(call.finishReasons.map(AttributeValue.string))) }
        add("gen_ai.usage.input_tokens", call.inputTokens.map { .int(Int64($0)) })
        add("gen_ai.usage.output_tokens", call.outputTokens.map { .int(Int64($0)) })
        add("gen_ai.input.messages", call.inputMessagesJSON.map(AttributeValue.string))
        add("gen_ai.output.messages", call.outputMessagesJSON.map(AttributeValue.string))
        if let url = URL(string: call.url), let host = url.host {
            add("server.address", .string(host))
            add("server.port", .int(Int64(url.port ?? (url.scheme == "https" ? 443 : 80))))
        }
        add("http.response.status_code", call.httpStatus.map { .int(Int64($0)) })
        add("assay.judge.scorer", .string(call.scorer))
        add("assay.judge.attempt", .int(Int64(call.attempt)))
        add("error.type", call.errorType.map(AttributeValue.string))
        return a
    }
}
