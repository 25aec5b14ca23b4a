"""Exports a realistic instrumented agent run to an OTLP/HTTP endpoint with the real OpenTelemetry SDK.

Used by the collector's tests: nothing here is Assay-specific. It writes what the SDK recorded (every
span's ids, parent, name, kind, status, attributes, events and links, as the SDK itself holds them)
to --expect, so the test can check that each one arrived intact.

  python export_agent_run.py --endpoint http://127.0.0.1:4318/v1/traces --protocol protobuf [--gzip] [--token T] --expect out.json

protobuf: the SDK's own OTLPSpanExporter (opentelemetry-exporter-otlp-proto-http).
json: PyPI has no OTLP/HTTP JSON span exporter; this uses the SDK's official OTLP/JSON encoder
(opentelemetry-exporter-otlp-json-common, encode_spans) and posts its output, as an HTTP JSON
exporter would.
"""

import argparse
import gzip
import json
import sys
import urllib.request

from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExporter, SpanExportResult
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import Link, SpanKind, Status, StatusCode


class JSONHTTPSpanExporter(SpanExporter):
    """Posts spans as OTLP/JSON, encoded by the SDK's own JSON encoder."""

    def __init__(self, endpoint, headers, compress):
        self.endpoint, self.headers, self.compress = endpoint, headers, compress

    def export(self, spans):
        from opentelemetry.exporter.otlp.json.common.trace_encoder import encode_spans

        body = json.dumps(encode_spans(spans).to_dict()).encode()
        headers = dict(self.headers, **{"Content-Type": "application/json"})
        if self.compress:
            body = gzip.compress(body)
            headers["Content-Encoding"] = "gzip"
        request = urllib.request.Request(self.endpoint, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return SpanExportResult.SUCCESS if response.status == 200 else SpanExportResult.FAILURE
        except Exception as error:  # noqa: BLE001 - report any failure as the exporter would
            print(f"export failed: {error}", file=sys.stderr)
            return SpanExportResult.FAILURE

    def shutdown(self):
        pass


class RecordingExporter(SpanExporter):
    """Wraps an exporter and remembers whether every export succeeded."""

    def __init__(self, inner):
        self.inner, self.ok = inner, True

    def export(self, spans):
        result = self.inner.export(spans)
        self.ok = self.ok and result == SpanExportResult.SUCCESS
        return result

    def shutdown(self):
        self.inner.shutdown()


def make_exporter(args):
    headers = {"Authorization": f"Bearer {args.token}"} if args.token else {}
    if args.protocol == "protobuf":
        from opentelemetry.exporter.otlp.proto.http import Compression
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        compression = Compression.Gzip if args.gzip else Compression.NoCompression
        return OTLPSpanExporter(endpoint=args.endpoint, headers=headers, compression=compression, timeout=10)
    return JSONHTTPSpanExporter(args.endpoint, headers, args.gzip)


def run_agent(tracer):
    """An email-assistant run: triage LLM call, retrieval, a failing tool call, a drafting LLM call."""
    with tracer.start_as_current_span("invoke_agent email_assistant", kind=SpanKind.SERVER) as root:
        root.set_attributes({
            "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "email_assistant", "session.id": "sess-42",
            "app.flag": True, "app.count": 7, "app.ratio": 0.25, "app.tags": ["a", "b"], "app.ints": [1, 2, 3],
            "app.big": 9007199254740993, "app.unicode": "héllo 漢字 🙂",
        })
        root.add_event("inbox.fetched", {"messages": 3})
        with tracer.start_as_current_span("chat gpt-4o-mini", kind=SpanKind.CLIENT) as chat:
            chat.set_attributes({
                "gen_ai.operation.name": "chat", "gen_ai.provider.name": "openai", "gen_ai.request.model": "gpt-4o-mini",
                "gen_ai.usage.input_tokens": 412, "gen_ai.usage.output_tokens": 3,
                "gen_ai.input.messages": json.dumps([{"role": "user", "parts": [{"type": "text", "content": "Where is my refund?"}]}]),
                "gen_ai.output.messages": json.dumps([{"role": "assistant", "parts": [{"type": "text", "content": "billing"}]}]),
            })
        with tracer.start_as_current_span("retrieval kb", kind=SpanKind.CLIENT) as retrieval:
            retrieval.set_attributes({"gen_ai.operation.name": "retrieval", "gen_ai.data_source.id": "kb",
                                      "retrieval.documents.0.document.id": "kb-1", "retrieval.documents.0.document.score": 0.9})
        with tracer.start_as_current_span("execute_tool lookup_order") as tool:
            tool.set_attributes({"gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "lookup_order",
                                 "gen_ai.tool.call.arguments": '{"order_id": "A17"}'})
            try:
                raise TimeoutError("orders API timed out")
            except TimeoutError as error:
                tool.record_exception(error)
                tool.set_status(Status(StatusCode.ERROR, "orders API timed out"))
        link = Link(root.get_span_context(), {"link.kind": "retry"})
        with tracer.start_as_current_span("chat gpt-4o", kind=SpanKind.CLIENT, links=[link]) as draft:
            draft.set_attributes({"gen_ai.operation.name": "chat", "gen_ai.request.model": "gpt-4o",
                                  "gen_ai.usage.input_tokens": 900, "gen_ai.usage.output_tokens": 120})
            draft.set_status(Status(StatusCode.OK))


def describe(span):
    def value(v):
        return list(v) if isinstance(v, tuple) else v

    return {
        "traceId": format(span.context.trace_id, "032x"),
        "spanId": format(span.context.span_id, "016x"),
        "parentSpanId": format(span.parent.span_id, "016x") if span.parent else None,
        "name": span.name,
        "kind": span.kind.value + 1,  # the SDK's enum starts at INTERNAL = 0; OTLP's at UNSPECIFIED = 0
        "status": {"UNSET": 0, "OK": 1, "ERROR": 2}[span.status.status_code.name],
        "statusMessage": span.status.description or "",
        "startTimeUnixNano": span.start_time,
        "endTimeUnixNano": span.end_time,
        "attributes": {k: value(v) for k, v in span.attributes.items()},
        "events": [{"name": e.name, "attributes": {k: value(v) for k, v in e.attributes.items()}} for e in span.events],
        "links": [{"traceId": format(l.context.trace_id, "032x"), "spanId": format(l.context.span_id, "016x")} for l in span.links],
        "resource": {k: value(v) for k, v in span.resource.attributes.items()},
        "scope": span.instrumentation_scope.name,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--protocol", choices=["protobuf", "json"], required=True)
    parser.add_argument("--gzip", action="store_true")
    parser.add_argument("--token")
    parser.add_argument("--expect", required=True)
    args = parser.parse_args()

    provider = TracerProvider(resource=Resource.create({"service.name": "email-assistant", "service.version": "1.0"}))
    exporter = RecordingExporter(make_exporter(args))
    memory = InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    provider.add_span_processor(SimpleSpanProcessor(memory))
    run_agent(provider.get_tracer("email_assistant.agent", "0.4.2"))
    provider.shutdown()
    with open(args.expect, "w") as out:
        json.dump([describe(s) for s in memory.get_finished_spans()], out)
    sys.exit(0 if exporter.ok else 1)


if __name__ == "__main__":
    main()
