"""Exports three conversations to an OTLP/HTTP endpoint with the real OpenTelemetry SDK, for the session tests.

Each conversation carries its session id under a different convention: `gen_ai.conversation.id`
(OpenTelemetry GenAI), `session.id` (OpenInference) and `traceloop.association.properties.session_id`
(OpenLLMetry, on every span as its association properties are). Each turn is one trace: an
`invoke_agent` root with the user's message and the answer, a `chat` model call with token counts, and
sometimes a tool call; one tool call fails. The turns of a conversation are sent in order, a few
milliseconds apart. What was sent is written to --expect for the test to compare.

  python export_sessions.py --endpoint http://127.0.0.1:4318/v1/traces --expect sent.json
"""

import argparse
import json
import time
import uuid

from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace import SpanKind, Status, StatusCode

CONVERSATIONS = [
    ("gen_ai.conversation.id", [
        {"input": "Can we meet Thursday?", "answer": "Thursday works. Shall I send the invite?", "tools": []},
        {"input": "Yes, book room 4.", "answer": "Room 4 is booked for Thursday 10:00.", "tools": ["book_room"]},
        {"input": "Which day did we agree on?", "answer": "Thursday.", "tools": []},
    ]),
    ("session.id", [
        {"input": "Where is my order 1234?", "answer": "I could not reach the order service.", "tools": ["lookup_order"],
         "error": "order service timed out"},
        {"input": "Try again please.", "answer": "Order 1234 ships today.", "tools": ["lookup_order"]},
    ]),
    ("traceloop.association.properties.session_id", [
        {"input": "Summarise the refund policy.", "answer": "Refunds within 30 days.", "tools": ["search_docs"]},
        {"input": "And for sale items?", "answer": "Sale items are final.", "tools": []},
    ]),
]


def turn(tracer, key, session, number, spec):
    """One trace: the agent's root span, a model call, and its tool calls; returns what the test expects."""
    everywhere = {key: session} if key.startswith("traceloop.") else {}
    input_tokens, output_tokens = 100 * number + len(spec["input"]), 10 + number
    with tracer.start_as_current_span("invoke_agent assistant", kind=SpanKind.INTERNAL) as root:
        root.set_attribute(key, session)
        root.set_attribute("gen_ai.operation.name", "invoke_agent")
        root.set_attribute("input.value", spec["input"])
        with tracer.start_as_current_span("chat gpt-4o-mini", kind=SpanKind.CLIENT, attributes=everywhere) as chat:
            chat.set_attribute("gen_ai.operation.name", "chat")
            chat.set_attribute("gen_ai.provider.name", "openai")
            chat.set_attribute("gen_ai.request.model", "gpt-4o-mini")
            chat.set_attribute("gen_ai.usage.input_tokens", input_tokens)
            chat.set_attribute("gen_ai.usage.output_tokens", output_tokens)
            chat.set_attribute("gen_ai.input.messages", json.dumps([{"role": "user", "parts": [{"type": "text", "content": spec["input"]}]}]))
        errors = []
        for tool in spec["tools"]:
            with tracer.start_as_current_span(f"execute_tool {tool}", kind=SpanKind.INTERNAL, attributes=everywhere) as call:
                call.set_attribute("gen_ai.operation.name", "execute_tool")
                call.set_attribute("gen_ai.tool.name", tool)
                call.set_attribute("gen_ai.tool.call.id", str(uuid.uuid4()))
                if "error" in spec:
                    call.set_status(Status(StatusCode.ERROR, spec["error"]))
                    errors.append(f"execute_tool {tool}: {spec['error']}")
                    spec = {k: v for k, v in spec.items() if k != "error"}
        root.set_attribute("output.value", spec["answer"])
        trace_id = format(root.get_span_context().trace_id, "032x")
    return {"traceId": trace_id, "input": spec["input"], "answer": spec["answer"], "tools": spec["tools"],
            "inputTokens": input_tokens, "outputTokens": output_tokens, "errors": errors}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--expect", required=True)
    args = parser.parse_args()

    provider = TracerProvider(resource=Resource.create({"service.name": "sessions-client"}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=args.endpoint, timeout=10)))
    tracer = provider.get_tracer("export-sessions")
    run = uuid.uuid4().hex[:8]
    sessions = []
    for key, turns in CONVERSATIONS:
        session = f"{key.split('.')[0]}-{run}"
        sent = []
        for number, spec in enumerate(turns, start=1):
            sent.append(turn(tracer, key, session, number, spec))
            time.sleep(0.005)
        sessions.append({"id": session, "key": key, "turns": sent})
    provider.force_flush()
    provider.shutdown()
    with open(args.expect, "w") as f:
        json.dump(sessions, f)


if __name__ == "__main__":
    main()
