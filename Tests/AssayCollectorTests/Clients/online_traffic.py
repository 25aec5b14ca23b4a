"""Sends agent traffic to an OTLP/HTTP endpoint with the real OpenTelemetry SDK, for the online evaluation tests.

Each trace is an agent run: `invoke_agent email_assistant` with a `chat` span whose output is the drafted
reply. Bad traces draft a reply that does not greet the customer, which the tests' scorer fails. With
--remote, one more trace continues a request from another service: its top span's parent arrives in a
`traceparent` header and is never exported (the SDK marks it remote in the span flags).

  python online_traffic.py --endpoint http://127.0.0.1:4318/v1/traces --count 6 --bad 2 [--remote] --out ids.json
"""

import argparse
import json
import random

from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.propagate import extract
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.trace import SpanKind


def agent_run(tracer, reply, parent_context=None, top_name="invoke_agent email_assistant", kind=SpanKind.INTERNAL):
    with tracer.start_as_current_span(top_name, context=parent_context, kind=kind) as top:
        top.set_attribute("gen_ai.operation.name", "invoke_agent" if kind == SpanKind.INTERNAL else "")
        with tracer.start_as_current_span("chat gpt-4o-mini", kind=SpanKind.CLIENT) as chat:
            chat.set_attribute("gen_ai.operation.name", "chat")
            chat.set_attribute("gen_ai.provider.name", "openai")
            chat.set_attribute("gen_ai.request.model", "gpt-4o-mini")
            chat.set_attribute("gen_ai.response.model", "gpt-4o-mini-2024-07-18")
            chat.set_attribute("gen_ai.usage.input_tokens", 120)
            chat.set_attribute("gen_ai.usage.output_tokens", 30)
            chat.set_attribute("gen_ai.input.messages", json.dumps([{"role": "user", "parts": [{"type": "text", "content": "Where is my order?"}]}]))
            chat.set_attribute("gen_ai.output.messages", json.dumps([{"role": "assistant", "parts": [{"type": "text", "content": reply}], "finish_reason": "stop"}]))
        return format(top.get_span_context().trace_id, "032x")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--count", type=int, default=6)
    parser.add_argument("--bad", type=int, default=0)
    parser.add_argument("--remote", action="store_true")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    provider = TracerProvider(resource=Resource.create({"service.name": "email-assistant"}))
    provider.add_span_processor(SimpleSpanProcessor(OTLPSpanExporter(endpoint=args.endpoint, timeout=10)))
    tracer = provider.get_tracer("online-traffic")
    rows = []
    bad = set(random.Random(7).sample(range(args.count), args.bad))
    for i in range(args.count):
        reply = f"Sorry, order {i} is late." if i in bad else f"Hello, order {i} ships today."
        rows.append({"id": agent_run(tracer, reply), "bad": i in bad, "remote": False})
    if args.remote:
        # The incoming request of an instrumented web server: its parent span lives in the caller.
        caller = extract({"traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"})
        rows.append({"id": agent_run(tracer, "Hello, it ships today.", caller, "POST /reply", SpanKind.SERVER), "bad": False, "remote": True})
    provider.shutdown()
    with open(args.out, "w") as f:
        json.dump(rows, f)


if __name__ == "__main__":
    main()
