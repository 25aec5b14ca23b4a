#!/usr/bin/env python3
"""Regenerate `python-sdk.jsonl` and `genai-structured.json` with the real
OpenTelemetry Python SDK and its OTLP/JSON file exporter.

    python3 -m venv /tmp/otelvenv
    /tmp/otelvenv/bin/pip install opentelemetry-sdk opentelemetry-exporter-otlp-json-file
    /tmp/otelvenv/bin/python generate_python_sdk.py

Output is deterministic: ids come from a seeded IdGenerator, every start/end/event
time is passed explicitly, and the code that raises the recorded exception is
compiled under a fixed file name so the stack trace holds no machine paths.
The only run-dependent values are the SDK version numbers in the resource
(`telemetry.sdk.version`).

python-sdk.jsonl     FileSpanExporter output as written (one JSON object per
                     line, one line per BatchSpanProcessor flush = one trace).
                     LLM content as JSON *strings*.
genai-structured.json  The same encoder (encode_spans(...).to_dict()), one
                     ExportTraceServiceRequest on one line, formatted exactly
                     like a FileSpanExporter line.
                     LLM content as *structured* AnyValues (dict/list attributes,
                     which SDK 1.45 accepts and encodes as kvlistValue/arrayValue).
"""

from __future__ import annotations

import json
import os
import random

from opentelemetry.exporter.otlp.json.common.trace_encoder import encode_spans
from opentelemetry.exporter.otlp.json.file import FileSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult
from opentelemetry.sdk.trace.id_generator import IdGenerator
from opentelemetry.trace import Link, SpanContext, SpanKind, Status, StatusCode, TraceFlags, set_span_in_context

HERE = os.path.dirname(os.path.abspath(__file__))

# 2025-06-10T09:15:00Z
BASE_NS = 1_749_546_900_000_000_000


class SeededIdGenerator(IdGenerator):
    def __init__(self, seed: int) -> None:
        self._rng = random.Random(seed)

    def generate_span_id(self) -> int:
        return self._rng.getrandbits(64) or 1

    def generate_trace_id(self) -> int:
        return self._rng.getrandbits(128) or 1


class Clock:
    """Milliseconds since the start of a run -> unix nanos, with deterministic sub-ms digits."""

    def __init__(self, start_ns: int, seed: int) -> None:
        self.start_ns = start_ns
        self._rng = random.Random(seed)

    def at(self, ms: float) -> int:
        return self.start_ns + int(ms * 1_000_000) + self._rng.randint(0, 999_999)


# Code that raises the recorded exception. Compiled under a fake path so that the
# exception.stacktrace attribute is identical on every machine.
_APP_SRC = '''
class CalendarTimeoutError(TimeoutError):
    """Raised when the calendar backend does not answer in time."""


def _http_get(url, timeout):
    raise CalendarTimeoutError(f"GET {url} timed out after {timeout:.1f}s")


def search_calendar(query, days):
    return _http_get("https://calendar.internal/api/v2/events?q=" + query + "&days=" + str(days), timeout=5.0)


def run_tool(span, arguments, ts):
    try:
        return search_calendar(arguments["query"], arguments["days"])
    except CalendarTimeoutError as exc:
        span.record_exception(exc, timestamp=ts)
        return exc
'''
_app: dict = {"__name__": "email_assistant.tools.calendar"}
exec(compile(_APP_SRC, "email_assistant/tools/calendar.py", "exec"), _app)


def make_provider(seed: int) -> TracerProvider:
    resource = Resource.create(
        {
            "service.name": "email-assistant",
            "service.version": "0.4.2",
            # set explicitly: SDK 1.45 otherwise adds a random uuid4 service.instance.id
            "service.instance.id": "6f1c2a7e-3b54-4d2e-9a0b-5c8d7e6f4a31",
            "deployment.environment.name": "staging",
            "host.name": "worker-3",
        }
    )
    return TracerProvider(resource=resource, id_generator=SeededIdGenerator(seed))


def j(value) -> str:
    """Compact JSON string, as instrumentations put it into gen_ai.*.messages."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


# --------------------------------------------------------------------------- #
# python-sdk.jsonl
# --------------------------------------------------------------------------- #

SYSTEM_TRIAGE = (
    "You are an email triage assistant. Classify the email as one of: urgent, "
    "needs_reply, fyi, spam. Answer with JSON {\"label\": ..., \"reason\": ...}."
)


def python_sdk_jsonl(path: str) -> None:
    if os.path.exists(path):
        os.remove(path)  # the exporter opens its file in append mode
    provider = make_provider(seed=20250610)
    exporter = FileSpanExporter(path)
    processor = BatchSpanProcessor(exporter, schedule_delay_millis=600_000)
    provider.add_span_processor(processor)

    agent = provider.get_tracer(
        "email_assistant.agent",
        "0.4.2",
        schema_url="https://opentelemetry.io/schemas/1.37.0",
    )
    llm = provider.get_tracer(
        "opentelemetry.instrumentation.openai_v2",
        "2.1b0",
        schema_url="https://opentelemetry.io/schemas/1.37.0",
        attributes={"instrumentation.content_capture": "span_attributes"},
    )

    # ---------------- trace 1: success ----------------
    clk = Clock(BASE_NS, seed=1)
    root = agent.start_span(
        "invoke_agent email_assistant",
        kind=SpanKind.INTERNAL,
        start_time=clk.at(0),
        attributes={
            "gen_ai.operation.name": "invoke_agent",
            "gen_ai.provider.name": "openai",
            "gen_ai.agent.name": "email_assistant",
            "gen_ai.agent.id": "asst_email_v4",
            "gen_ai.conversation.id": "conv_01HZX3K9Q7",
            # one attribute of every SDK-supported type
            "app.mailbox.id": "mbx_7f3a",  # string
            "app.dry_run": False,  # bool
            "app.unread_count": 14,  # int
            "app.priority_threshold": 0.75,  # float
            "app.labels": ["inbox", "work", "follow-up"],  # string array
            "app.message_sizes_bytes": [2048, 512, 10240],  # int array
            "app.label_scores": [0.91, 0.42, 0.07],  # float array
            "app.flags.seen": [True, False, False],  # bool array
            "app.max_cost_usd": 2.0,  # whole-number float
            "app.request.id": 9_007_199_254_740_993,  # > 2**53: must not go through Double
        },
    )
    root.add_event("inbox.fetched", {"app.message_count": 3, "app.folder": "INBOX"}, timestamp=clk.at(40))
    root_ctx = set_span_in_context(root)

    triage_in = [
        {"role": "system", "parts": [{"type": "text", "content": SYSTEM_TRIAGE}]},
        {
            "role": "user",
            "parts": [
                {
                    "type": "text",
                    "content": "From: dana@acme.example\nSubject: Contract renewal — need answer by Friday\n\n"
                    "Hi, can we meet this week to go over the renewal terms? Thursday afternoon works for me.",
                }
            ],
        },
    ]
    triage_out = [
        {
            "role": "assistant",
            "parts": [{"type": "text", "content": "{\"label\":\"needs_reply\",\"reason\":\"Customer asks for a meeting before a deadline.\"}"}],
            "finish_reason": "stop",
        }
    ]
    s = llm.start_span(
        "chat gpt-4o-mini",
        context=root_ctx,
        kind=SpanKind.CLIENT,
        start_time=clk.at(120),
        attributes={
            "gen_ai.operation.name": "chat",
            "gen_ai.provider.name": "openai",
            "gen_ai.request.model": "gpt-4o-mini",
            "gen_ai.request.temperature": 0.0,
            "gen_ai.request.top_p": 1.0,
            "gen_ai.request.max_tokens": 256,
            "server.address": "api.openai.com",
            "server.port": 443,
        },
    )
    s.set_attributes(
        {
            "gen_ai.response.model": "gpt-4o-mini-2024-07-18",
            "gen_ai.response.id": "chatcmpl-9XyZ0aB1cD2eF3gH4iJ5kL6mN7oP",
            "gen_ai.response.finish_reasons": ["stop"],
            "gen_ai.usage.input_tokens": 412,
            "gen_ai.usage.output_tokens": 38,
            "gen_ai.input.messages": j(triage_in),
            "gen_ai.output.messages": j(triage_out),
        }
    )
    s.end(end_time=clk.at(1350))

    docs = [
        {"id": "kb-0042", "score": 0.912, "content": "Renewal meetings are booked by the account owner; offer two slots."},
        {"id": "kb-0107", "score": 0.774, "content": "Contract terms may only be discussed with verified customer contacts."},
        {"id": "kb-0013", "score": 0.51, "content": "Calendar slots before 10:00 are reserved for internal stand-ups."},
    ]
    s = agent.start_span(
        "retrieval kb",
        context=root_ctx,
        kind=SpanKind.CLIENT,
        start_time=clk.at(1400),
        attributes={
            "gen_ai.operation.name": "retrieval",
            "gen_ai.data_source.id": "kb",
            "gen_ai.request.top_k": 3.0,
            "gen_ai.retrieval.query.text": "contract renewal meeting policy",
        },
    )
    s.set_attribute("gen_ai.retrieval.documents", j(docs))
    s.end(end_time=clk.at(1610))

    s = agent.start_span(
        "execute_tool search_calendar",
        context=root_ctx,
        kind=SpanKind.INTERNAL,
        start_time=clk.at(1650),
        attributes={
            "gen_ai.operation.name": "execute_tool",
            "gen_ai.tool.name": "search_calendar",
            "gen_ai.tool.call.id": "call_Qm8s2LkV0aXf",
            "gen_ai.tool.type": "function",
            "gen_ai.tool.call.arguments": j({"query": "free slots", "days": 5}),
        },
    )
    s.set_attribute(
        "gen_ai.tool.call.result",
        j({"slots": ["2025-06-12T14:00:00+02:00", "2025-06-12T16:30:00+02:00"]}),
    )
    s.set_status(Status(StatusCode.OK))
    s.end(end_time=clk.at(1920))

    draft_in = triage_in[1:] + [
        {
            "role": "user",
            "parts": [{"type": "text", "content": "Draft a short reply offering Thursday 14:00 or 16:30."}],
        }
    ]
    draft_out = [
        {
            "role": "assistant",
            "parts": [
                {
                    "type": "text",
                    "content": "Hi Dana,\n\nThanks for reaching out. I can do Thursday at 14:00 or 16:30 — "
                    "whichever suits you best. I'll send an invite once you confirm.\n\nBest regards",
                }
            ],
            "finish_reason": "stop",
        }
    ]
    s = llm.start_span(
        "chat gpt-4o-mini",
        context=root_ctx,
        kind=SpanKind.CLIENT,
        start_time=clk.at(1950),
        attributes={
            "gen_ai.operation.name": "chat",
            "gen_ai.provider.name": "openai",
            "gen_ai.request.model": "gpt-4o-mini",
            "gen_ai.request.temperature": 0.7,
            "server.address": "api.openai.com",
            "server.port": 443,
        },
    )
    s.set_attributes(
        {
            "gen_ai.response.model": "gpt-4o-mini-2024-07-18",
            "gen_ai.response.id": "chatcmpl-9XyZ1qR8sT9uV0wX1yZ2aB3cD4eF",
            "gen_ai.response.finish_reasons": ["stop"],
            "gen_ai.usage.input_tokens": 188,
            "gen_ai.usage.output_tokens": 57,
            "gen_ai.input.messages": j(draft_in),
            "gen_ai.output.messages": j(draft_out),
        }
    )
    s.end(end_time=clk.at(4100))
    root.end(end_time=clk.at(4200))
    trace1_root_ctx = root.get_span_context()
    processor.force_flush()

    # ---------------- trace 2: tool failure ----------------
    clk = Clock(BASE_NS + 3_600 * 1_000_000_000, seed=2)
    linked = SpanContext(
        trace_id=trace1_root_ctx.trace_id,
        span_id=trace1_root_ctx.span_id,
        is_remote=True,
        trace_flags=TraceFlags(TraceFlags.SAMPLED),
    )
    root = agent.start_span(
        "invoke_agent email_assistant",
        kind=SpanKind.INTERNAL,
        start_time=clk.at(0),
        links=[Link(linked, {"app.link.reason": "follow_up_of_previous_run"})],
        attributes={
            "gen_ai.operation.name": "invoke_agent",
            "gen_ai.provider.name": "openai",
            "gen_ai.agent.name": "email_assistant",
            "gen_ai.agent.id": "asst_email_v4",
            "gen_ai.conversation.id": "conv_01HZX3K9Q7",
        },
    )
    root_ctx = set_span_in_context(root)

    plan_in = [
        {
            "role": "user",
            "parts": [{"type": "text", "content": "Dana replied: Thursday 16:30 works. Please book it and confirm."}],
        }
    ]
    plan_out = [
        {
            "role": "assistant",
            "parts": [
                {
                    "type": "tool_call",
                    "id": "call_Zt4pW9xB1nRc",
                    "name": "search_calendar",
                    "arguments": {"query": "2025-06-12 16:30", "days": 1},
                }
            ],
            "finish_reason": "tool_calls",
        }
    ]
    s = llm.start_span(
        "chat gpt-4o",
        context=root_ctx,
        kind=SpanKind.CLIENT,
        start_time=clk.at(80),
        attributes={
            "gen_ai.operation.name": "chat",
            "gen_ai.provider.name": "openai",
            "gen_ai.request.model": "gpt-4o",
            "server.address": "api.openai.com",
            "server.port": 443,
        },
    )
    s.set_attributes(
        {
            "gen_ai.response.model": "gpt-4o-2024-08-06",
            "gen_ai.response.id": "chatcmpl-9XzA7bC8dE9fG0hI1jK2lM3nO4pQ",
            "gen_ai.response.finish_reasons": ["tool_calls"],
            "gen_ai.usage.input_tokens": 265,
            "gen_ai.usage.output_tokens": 24,
            "gen_ai.usage.cache_read.input_tokens": 128,
            "gen_ai.input.messages": j(plan_in),
            "gen_ai.output.messages": j(plan_out),
        }
    )
    s.end(end_time=clk.at(1730))

    args = {"query": "2025-06-12 16:30", "days": 1}
    s = agent.start_span(
        "execute_tool search_calendar",
        context=root_ctx,
        kind=SpanKind.INTERNAL,
        start_time=clk.at(1760),
        attributes={
            "gen_ai.operation.name": "execute_tool",
            "gen_ai.tool.name": "search_calendar",
            "gen_ai.tool.call.id": "call_Zt4pW9xB1nRc",
            "gen_ai.tool.type": "function",
            "gen_ai.tool.call.arguments": j(args),
        },
    )
    exc = _app["run_tool"](s, args, clk.at(6765))
    s.set_attribute("error.type", "email_assistant.tools.calendar.CalendarTimeoutError")
    s.set_status(Status(StatusCode.ERROR, str(exc)))
    s.end(end_time=clk.at(6770))

    root.set_attribute("error.type", "tool_error")
    root.set_status(Status(StatusCode.ERROR, "tool search_calendar failed"))
    root.end(end_time=clk.at(6800))
    processor.force_flush()
    provider.shutdown()


# --------------------------------------------------------------------------- #
# genai-structured.json
# --------------------------------------------------------------------------- #


class CollectingExporter(SpanExporter):
    def __init__(self) -> None:
        self.spans = []

    def export(self, spans):
        self.spans.extend(spans)
        return SpanExportResult.SUCCESS


def genai_structured_json(path: str) -> None:
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor

    provider = make_provider(seed=7)
    collector = CollectingExporter()
    provider.add_span_processor(SimpleSpanProcessor(collector))
    agent = provider.get_tracer("email_assistant.agent", "0.4.2", schema_url="https://opentelemetry.io/schemas/1.37.0")
    llm = provider.get_tracer("opentelemetry.instrumentation.openai_v2", "2.1b0", schema_url="https://opentelemetry.io/schemas/1.37.0")
    clk = Clock(BASE_NS + 2 * 3_600 * 1_000_000_000, seed=3)

    system_instructions = [
        {"type": "text", "content": "You are an email assistant. Use tools to check the calendar before proposing times."},
        {"type": "text", "content": "Never share contract terms with unverified senders."},
    ]
    tool_definitions = [
        {
            "type": "function",
            "name": "search_calendar",
            "description": "Find free calendar slots.",
            "parameters": {
                "type": "object",
                "properties": {"query": {"type": "string"}, "days": {"type": "integer"}},
                "required": ["query"],
            },
        }
    ]
    user_msg = {
        "role": "user",
        "parts": [{"type": "text", "content": "Can you find a 30 minute slot with Dana next week and draft an invite?"}],
    }
    tool_call = {"type": "tool_call", "id": "call_8fGh2JkL", "name": "search_calendar", "arguments": {"query": "30m with Dana", "days": 7}}
    tool_result = {"slots": ["2025-06-17T10:00:00+02:00", "2025-06-18T15:30:00+02:00"]}

    root = agent.start_span(
        "invoke_agent email_assistant",
        kind=SpanKind.CLIENT,
        start_time=clk.at(0),
        attributes={
            "gen_ai.operation.name": "invoke_agent",
            "gen_ai.provider.name": "openai",
            "gen_ai.agent.name": "email_assistant",
            "gen_ai.agent.id": "asst_email_v4",
            "gen_ai.agent.description": "Triages email and schedules meetings",
            "gen_ai.conversation.id": "conv_5j66UpCpwteGg4YSxUnt7lPY",
            "gen_ai.request.model": "gpt-4o",
        },
    )
    ctx = set_span_in_context(root)

    s = llm.start_span(
        "embeddings text-embedding-3-small",
        context=ctx,
        kind=SpanKind.CLIENT,
        start_time=clk.at(30),
        attributes={
            "gen_ai.operation.name": "embeddings",
            "gen_ai.provider.name": "openai",
            "gen_ai.request.model": "text-embedding-3-small",
            "gen_ai.request.encoding_formats": ["float"],
            "server.address": "api.openai.com",
            "server.port": 443,
        },
    )
    s.set_attributes(
        {
            "gen_ai.response.model": "text-embedding-3-small",
            "gen_ai.embeddings.dimension.count": 1536,
            "gen_ai.usage.input_tokens": 14,
        }
    )
    s.end(end_time=clk.at(210))

    s = agent.start_span(
        "retrieval kb",
        context=ctx,
        kind=SpanKind.CLIENT,
        start_time=clk.at(215),
        attributes={
            "gen_ai.operation.name": "retrieval",
            "gen_ai.data_source.id": "kb",
            "gen_ai.request.top_k": 2.0,
            "gen_ai.retrieval.query.text": "meeting scheduling policy",
        },
    )
    s.set_attribute(
        "gen_ai.retrieval.documents",
        [{"id": "kb-0042", "score": 0.93}, {"id": "kb-0013", "score": 0.61}],
    )
    s.end(end_time=clk.at(330))

    s = llm.start_span(
        "chat gpt-4o",
        context=ctx,
        kind=SpanKind.CLIENT,
        start_time=clk.at(340),
        attributes={
            "gen_ai.operation.name": "chat",
            "gen_ai.provider.name": "openai",
            "gen_ai.request.model": "gpt-4o",
            "gen_ai.request.temperature": 0.2,
            "gen_ai.conversation.id": "conv_5j66UpCpwteGg4YSxUnt7lPY",
            "server.address": "api.openai.com",
            "server.port": 443,
        },
    )
    s.set_attributes(
        {
            "gen_ai.system_instructions": system_instructions,
            "gen_ai.tool.definitions": tool_definitions,
            "gen_ai.input.messages": [user_msg],
            "gen_ai.output.messages": [{"role": "assistant", "parts": [tool_call], "finish_reason": "tool_calls"}],
            "gen_ai.response.model": "gpt-4o-2024-08-06",
            "gen_ai.response.id": "chatcmpl-A1b2C3d4E5f6G7h8",
            "gen_ai.response.finish_reasons": ["tool_calls"],
            "gen_ai.usage.input_tokens": 312,
            "gen_ai.usage.output_tokens": 29,
        }
    )
    s.end(end_time=clk.at(1480))

    s = agent.start_span(
        "execute_tool search_calendar",
        context=ctx,
        kind=SpanKind.INTERNAL,
        start_time=clk.at(1490),
        attributes={
            "gen_ai.operation.name": "execute_tool",
            "gen_ai.tool.name": "search_calendar",
            "gen_ai.tool.call.id": "call_8fGh2JkL",
            "gen_ai.tool.type": "function",
            "gen_ai.tool.description": "Find free calendar slots.",
            "gen_ai.tool.call.arguments": tool_call["arguments"],
        },
    )
    s.set_attribute("gen_ai.tool.call.result", tool_result)
    s.end(end_time=clk.at(1640))

    reply = (
        "Dana has two free slots next week: Tuesday 17 June at 10:00 and Wednesday 18 June at 15:30. "
        "Here is a draft invite for Tuesday:\n\nSubject: Contract renewal — 30 min\nHi Dana, does Tuesday "
        "at 10:00 work for a quick call about the renewal? Happy to move to Wednesday 15:30 if that suits better."
    )
    s = llm.start_span(
        "chat gpt-4o",
        context=ctx,
        kind=SpanKind.CLIENT,
        start_time=clk.at(1650),
        attributes={
            "gen_ai.operation.name": "chat",
            "gen_ai.provider.name": "openai",
            "gen_ai.request.model": "gpt-4o",
            "gen_ai.request.temperature": 0.2,
            "gen_ai.conversation.id": "conv_5j66UpCpwteGg4YSxUnt7lPY",
            "server.address": "api.openai.com",
            "server.port": 443,
        },
    )
    s.set_attributes(
        {
            "gen_ai.input.messages": [
                user_msg,
                {"role": "assistant", "parts": [tool_call]},
                {"role": "tool", "parts": [{"type": "tool_call_response", "id": "call_8fGh2JkL", "result": tool_result}]},
            ],
            "gen_ai.output.messages": [
                {"role": "assistant", "parts": [{"type": "text", "content": reply}], "finish_reason": "stop"}
            ],
            "gen_ai.response.model": "gpt-4o-2024-08-06",
            "gen_ai.response.id": "chatcmpl-A1b2C3d4E5f6G7h9",
            "gen_ai.response.finish_reasons": ["stop"],
            "gen_ai.usage.input_tokens": 401,
            "gen_ai.usage.output_tokens": 96,
        }
    )
    s.end(end_time=clk.at(4020))

    s = llm.start_span(
        "chat gpt-4o-mini",
        context=ctx,
        kind=SpanKind.CLIENT,
        start_time=clk.at(4030),
        attributes={
            "gen_ai.operation.name": "chat",
            "gen_ai.provider.name": "openai",
            "gen_ai.request.model": "gpt-4o-mini",
            "server.address": "api.openai.com",
            "server.port": 443,
        },
    )
    s.set_attributes(
        {
            "gen_ai.input.messages": [
                {"role": "user", "parts": [{"type": "text", "content": "Summarise this thread in one sentence for the CRM."}]}
            ],
            "error.type": "openai.RateLimitError",
        }
    )
    s.set_status(Status(StatusCode.ERROR, "Error code: 429 - Rate limit reached for gpt-4o-mini"))
    s.end(end_time=clk.at(4310))

    root.set_attribute("gen_ai.usage.input_tokens", 14 + 312 + 401)
    root.set_attribute("gen_ai.usage.output_tokens", 29 + 96)
    root.end(end_time=clk.at(4400))
    provider.shutdown()

    encoded = encode_spans(collector.spans).to_dict()
    with open(path, "w", encoding="utf-8") as fh:
        # exactly the exporter's line format: compact, ASCII-only (non-ASCII -> \\uXXXX)
        fh.write(json.dumps(encoded, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    python_sdk_jsonl(os.path.join(HERE, "python-sdk.jsonl"))
    genai_structured_json(os.path.join(HERE, "genai-structured.json"))
    print("wrote python-sdk.jsonl and genai-structured.json")
