#!/usr/bin/env python3
"""Regenerate email-assistant.jsonl: five traces of an email-assistant agent,
written by the real OpenTelemetry Python SDK and its OTLP/JSON file exporter
(JSON Lines, one line per trace).

    python3 -m venv /tmp/otelvenv
    /tmp/otelvenv/bin/pip install opentelemetry-sdk opentelemetry-exporter-otlp-json-file
    /tmp/otelvenv/bin/python examples/traces/generate.py

The LLM calls are simulated (no network): spans carry the GenAI semantic
convention attributes an instrumentation would record, with message content as
JSON strings. Ids come from a seeded IdGenerator and all times are passed
explicitly, so the output only changes if the SDK version changes
(telemetry.sdk.version in the resource).
"""

from __future__ import annotations

import json
import os
import random

from opentelemetry.exporter.otlp.json.file import FileSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.sdk.trace.id_generator import IdGenerator
from opentelemetry.trace import SpanKind, Status, StatusCode, set_span_in_context

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "email-assistant.jsonl")

# 2025-06-10T08:00:00Z
BASE_NS = 1_749_542_400_000_000_000
SCHEMA = "https://opentelemetry.io/schemas/1.37.0"

SYSTEM_TRIAGE = (
    "You are the triage step of an email assistant. Read one email and classify it as exactly one of "
    "urgent, needs_reply, fyi or spam. Consider the sender, deadlines and whether a concrete question is "
    "asked. Answer with a JSON object {\"label\": string, \"reason\": string, \"next_action\": string} and nothing else."
)
SYSTEM_DRAFT = (
    "You draft replies on behalf of Sam Keller, account manager at Northwind Analytics. Be concise, friendly "
    "and specific; propose concrete times when scheduling; never promise discounts or share contract terms; "
    "sign as Sam. Use the retrieved policy notes and tool results provided in the conversation."
)


class SeededIdGenerator(IdGenerator):
    def __init__(self, seed: int) -> None:
        self._rng = random.Random(seed)

    def generate_span_id(self) -> int:
        return self._rng.getrandbits(64) or 1

    def generate_trace_id(self) -> int:
        return self._rng.getrandbits(128) or 1


class Clock:
    def __init__(self, start_ns: int, seed: int) -> None:
        self.start_ns = start_ns
        self._rng = random.Random(seed)

    def at(self, ms: float) -> int:
        return self.start_ns + int(ms * 1_000_000) + self._rng.randint(0, 999_999)


# Code that raises the recorded exception, compiled under a fixed file name so the
# stack trace contains no machine-specific paths.
_APP_SRC = '''
class CalendarTimeoutError(TimeoutError):
    pass


def _request(method, url, timeout):
    raise CalendarTimeoutError(f"{method} {url} timed out after {timeout:.1f}s")


def search_calendar(query, days):
    return _request("GET", "https://calendar.internal/api/v2/free-busy?days=" + str(days), timeout=5.0)


def run_tool(span, arguments, ts):
    try:
        return search_calendar(arguments["query"], arguments["days"])
    except CalendarTimeoutError as exc:
        span.record_exception(exc, timestamp=ts)
        return exc
'''
_app: dict = {"__name__": "email_assistant.tools.calendar"}
exec(compile(_APP_SRC, "email_assistant/tools/calendar.py", "exec"), _app)


def j(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def text_msg(role: str, content: str, finish_reason: str | None = None) -> dict:
    msg = {"role": role, "parts": [{"type": "text", "content": content}]}
    if finish_reason:
        msg["finish_reason"] = finish_reason
    return msg


class Run:
    """One agent invocation = one trace."""

    _response_counter = 0

    def __init__(self, agent_tracer, llm_tracer, clk: Clock, conversation_id: str, email_id: str) -> None:
        self.agent = agent_tracer
        self.llm = llm_tracer
        self.clk = clk
        self.root = agent_tracer.start_span(
            "invoke_agent email_assistant",
            kind=SpanKind.INTERNAL,
            start_time=clk.at(0),
            attributes={
                "gen_ai.operation.name": "invoke_agent",
                "gen_ai.provider.name": "openai",
                "gen_ai.agent.name": "email_assistant",
                "gen_ai.agent.id": "asst_email_v4",
                "gen_ai.conversation.id": conversation_id,
                "app.email.id": email_id,
            },
        )
        self.ctx = set_span_in_context(self.root)

    def chat(self, start_ms, end_ms, model, response_model, system, messages, reply, tokens, temperature=0.2,
             finish_reason="stop", tool_call=None):
        Run._response_counter += 1
        span = self.llm.start_span(
            f"chat {model}",
            context=self.ctx,
            kind=SpanKind.CLIENT,
            start_time=self.clk.at(start_ms),
            attributes={
                "gen_ai.operation.name": "chat",
                "gen_ai.provider.name": "openai",
                "gen_ai.request.model": model,
                "gen_ai.request.temperature": temperature,
                "gen_ai.request.max_tokens": 800,
                "server.address": "api.openai.com",
                "server.port": 443,
            },
        )
        parts = []
        if reply:
            parts.append({"type": "text", "content": reply})
        if tool_call:
            parts.append({"type": "tool_call", **tool_call})
        out = [{"role": "assistant", "parts": parts, "finish_reason": finish_reason}]
        span.set_attributes(
            {
                "gen_ai.response.model": response_model,
                "gen_ai.response.id": f"chatcmpl-Bx{Run._response_counter:03d}q7Lk2vN9pR4sT6wY8zA1cE3",
                "gen_ai.response.finish_reasons": [finish_reason],
                "gen_ai.usage.input_tokens": tokens[0],
                "gen_ai.usage.output_tokens": tokens[1],
                "gen_ai.system_instructions": j([{"type": "text", "content": system}]),
                "gen_ai.input.messages": j(messages),
                "gen_ai.output.messages": j(out),
            }
        )
        span.end(end_time=self.clk.at(end_ms))

    def retrieval(self, start_ms, end_ms, query, docs):
        span = self.agent.start_span(
            "retrieval kb",
            context=self.ctx,
            kind=SpanKind.CLIENT,
            start_time=self.clk.at(start_ms),
            attributes={
                "gen_ai.operation.name": "retrieval",
                "gen_ai.data_source.id": "kb",
                "gen_ai.request.top_k": float(len(docs)),
                "gen_ai.retrieval.query.text": query,
            },
        )
        span.set_attribute("gen_ai.retrieval.documents", j(docs))
        span.end(end_time=self.clk.at(end_ms))

    def tool(self, start_ms, end_ms, name, call_id, arguments, result=None, fail=False):
        span = self.agent.start_span(
            f"execute_tool {name}",
            context=self.ctx,
            kind=SpanKind.INTERNAL,
            start_time=self.clk.at(start_ms),
            attributes={
                "gen_ai.operation.name": "execute_tool",
                "gen_ai.tool.name": name,
                "gen_ai.tool.call.id": call_id,
                "gen_ai.tool.type": "function",
                "gen_ai.tool.call.arguments": j(arguments),
            },
        )
        if fail:
            exc = _app["run_tool"](span, arguments, self.clk.at(end_ms - 2))
            span.set_attribute("error.type", "email_assistant.tools.calendar.CalendarTimeoutError")
            span.set_status(Status(StatusCode.ERROR, str(exc)))
        else:
            span.set_attribute("gen_ai.tool.call.result", j(result))
        span.end(end_time=self.clk.at(end_ms))

    def finish(self, end_ms, label, error: str | None = None):
        # Token usage is recorded on the chat spans only (not summed onto the root),
        # so a reader that adds up gen_ai.usage.* over all spans gets the right total.
        self.root.set_attribute("app.triage.label", label)
        if error:
            self.root.set_attribute("error.type", "tool_error")
            self.root.set_status(Status(StatusCode.ERROR, error))
        self.root.end(end_time=self.clk.at(end_ms))


def triage_reply(label, reason, action):
    return j({"label": label, "reason": reason, "next_action": action})


def main() -> None:
    if os.path.exists(OUT):
        os.remove(OUT)  # the exporter appends
    provider = TracerProvider(
        resource=Resource.create(
            {
                "service.name": "email-assistant",
                "service.version": "0.4.2",
                # set explicitly: SDK 1.45 otherwise adds a random uuid4 service.instance.id
                "service.instance.id": "0b7e1d52-8c3f-4a9e-b6d1-2f4a7c9e5b10",
                "deployment.environment.name": "staging",
            }
        ),
        id_generator=SeededIdGenerator(4242),
    )
    processor = BatchSpanProcessor(FileSpanExporter(OUT), schedule_delay_millis=600_000)
    provider.add_span_processor(processor)
    agent = provider.get_tracer("email_assistant.agent", "0.4.2", schema_url=SCHEMA)
    llm = provider.get_tracer("opentelemetry.instrumentation.openai_v2", "2.1b0", schema_url=SCHEMA)

    # ---- 1. contract renewal: triage, retrieval, calendar tool, draft with gpt-4o ----
    email = (
        "From: Dana Whitfield <dana.whitfield@acme-logistics.example>\nSubject: Contract renewal before the 30th\n\n"
        "Hi Sam,\n\nOur analytics contract runs out on the 30th and procurement wants a decision by Friday. Could we "
        "meet this week to go over the renewal terms and the new dashboard seats? Thursday afternoon would suit me "
        "best, otherwise Friday morning.\n\nThanks,\nDana"
    )
    r = Run(agent, llm, Clock(BASE_NS, 11), "conv_7Hq2xZ0Lb4Rt", "msg_0001")
    r.chat(60, 1180, "gpt-4o-mini", "gpt-4o-mini-2024-07-18", SYSTEM_TRIAGE, [text_msg("user", email)],
           triage_reply("needs_reply", "Customer asks for a meeting about a renewal with a Friday deadline.",
                        "check calendar and propose two slots"), (431, 41), temperature=0.0)
    r.retrieval(1210, 1395, "contract renewal meeting policy", [
        {"id": "kb-renewals-004", "score": 0.913, "content": "Renewal calls are 30 minutes and led by the account manager. Offer two concrete slots; pricing changes are discussed only on the call."},
        {"id": "kb-calendar-002", "score": 0.842, "content": "Keep 09:00-10:00 free for stand-ups. External meetings end by 17:30 local time."},
        {"id": "kb-security-011", "score": 0.577, "content": "Never send contract PDFs to addresses outside the customer's verified domain."},
    ])
    r.tool(1420, 1710, "search_calendar", "call_Rk3vW8mPq2Lx", {"query": "30 min, Thu-Fri", "days": 3},
           {"slots": ["2025-06-12T14:00:00+02:00", "2025-06-12T16:30:00+02:00", "2025-06-13T10:30:00+02:00"]})
    reply = (
        "Hi Dana,\n\nThanks for the heads-up on the deadline. I can do Thursday at 14:00 or 16:30, or Friday at "
        "10:30 if that's easier — the call takes about 30 minutes and we'll cover the renewal terms and the new "
        "dashboard seats. Just tell me which slot works and I'll send the invite right away.\n\nBest,\nSam"
    )
    r.chat(1740, 5920, "gpt-4o", "gpt-4o-2024-08-06", SYSTEM_DRAFT, [
        text_msg("user", email),
        text_msg("user", "Policy notes: renewal calls are 30 minutes; offer two concrete slots. Free slots: Thu 14:00, Thu 16:30, Fri 10:30."),
    ], reply, (612, 112), temperature=0.4)
    r.finish(6010, "needs_reply")
    processor.force_flush()

    # ---- 2. invoice question: lookup tool, draft with gpt-4o-mini ----
    email = (
        "From: Priya Raman <accounts@brightfield.example>\nSubject: Invoice INV-2025-0412 looks doubled\n\n"
        "Hello,\n\nWe were charged twice for the May seats on invoice INV-2025-0412 (EUR 4,200 instead of EUR 2,100). "
        "Can you check and send a corrected invoice? Our payment run is on Wednesday.\n\nKind regards,\nPriya"
    )
    r = Run(agent, llm, Clock(BASE_NS + 41 * 60 * 10**9, 12), "conv_9Pf1cK6Ua3Ws", "msg_0002")
    r.chat(55, 990, "gpt-4o-mini", "gpt-4o-mini-2024-07-18", SYSTEM_TRIAGE, [text_msg("user", email)],
           triage_reply("needs_reply", "Billing dispute with a concrete invoice number and a payment deadline.",
                        "look up the invoice and answer"), (402, 38), temperature=0.0)
    r.retrieval(1010, 1160, "duplicate invoice correction process", [
        {"id": "kb-billing-007", "score": 0.889, "content": "Billing corrections are issued by finance within two business days as a credit note plus a new invoice."},
        {"id": "kb-billing-003", "score": 0.702, "content": "Quote the invoice number and the corrected amount; do not promise refunds before finance confirms."},
    ])
    r.tool(1180, 1460, "lookup_invoice", "call_Hn7bQ2sZk9Dv", {"invoice_id": "INV-2025-0412"},
           {"invoice_id": "INV-2025-0412", "amount_eur": 4200.0, "line_items": 2, "duplicate_line": True, "status": "open"})
    reply = (
        "Hello Priya,\n\nThank you for flagging this — you're right, the May seats appear twice on INV-2025-0412. "
        "I've asked our finance team to issue a credit note and a corrected invoice for EUR 2,100; you should "
        "have both within two business days, ahead of your Wednesday payment run. Sorry for the trouble.\n\nBest regards,\nSam"
    )
    r.chat(1490, 4310, "gpt-4o-mini", "gpt-4o-mini-2024-07-18", SYSTEM_DRAFT, [
        text_msg("user", email),
        text_msg("user", "Invoice lookup: INV-2025-0412, EUR 4,200, duplicate line item found, status open. Policy: corrections within two business days."),
    ], reply, (574, 109), temperature=0.4)
    r.finish(4400, "needs_reply")
    processor.force_flush()

    # ---- 3. newsletter: triage only, archive tool ----
    email = (
        "From: DataWeekly <news@dataweekly.example>\nSubject: This week in analytics: 5 dashboards we loved\n\n"
        "Welcome to issue #212! This week: streaming joins explained, a deep dive into cohort retention charts, "
        "and five community dashboards that made our editors smile. Plus: early-bird tickets for DataConf Berlin "
        "are on sale until Sunday. Unsubscribe at any time from your profile page."
    )
    r = Run(agent, llm, Clock(BASE_NS + 97 * 60 * 10**9, 13), "conv_2Ld8vR5Qe1Mn", "msg_0003")
    r.chat(50, 870, "gpt-4o-mini", "gpt-4o-mini-2024-07-18", SYSTEM_TRIAGE, [text_msg("user", email)],
           triage_reply("fyi", "Newsletter with no question or deadline addressed to Sam.", "archive with label newsletters"),
           (389, 33), temperature=0.0)
    r.tool(900, 1030, "archive_email", "call_Xc5nT1gHw8Je", {"email_id": "msg_0003", "label": "newsletters"},
           {"archived": True, "label": "newsletters"})
    r.finish(1090, "fyi")
    processor.force_flush()

    # ---- 4. outage report: urgent, runbook retrieval, ticket tool, draft with gpt-4o ----
    email = (
        "From: Marco Bianchi <ops@veloce-retail.example>\nSubject: URGENT: dashboards down since 07:40\n\n"
        "Sam, none of our store dashboards have loaded since 07:40 CET — every panel shows 'query timeout'. "
        "Our regional managers need them for the 10:00 stand-up. Is there an incident on your side? Please call me "
        "on +39 02 5550 1234 as soon as you can.\n\nMarco"
    )
    r = Run(agent, llm, Clock(BASE_NS + 142 * 60 * 10**9, 14), "conv_6Tg0pW3Yh7Kc", "msg_0004")
    r.chat(45, 1020, "gpt-4o-mini", "gpt-4o-mini-2024-07-18", SYSTEM_TRIAGE, [text_msg("user", email)],
           triage_reply("urgent", "Production outage reported by a customer with a hard 10:00 deadline.",
                        "open a P1 ticket and reply immediately"), (418, 40), temperature=0.0)
    r.retrieval(1040, 1230, "customer reports dashboards timing out incident runbook", [
        {"id": "kb-incident-001", "score": 0.948, "content": "P1: customer-facing outage. Open a ticket with severity P1, page on-call, reply to the customer within 15 minutes with the ticket number."},
        {"id": "kb-incident-006", "score": 0.811, "content": "Do not guess at root causes in customer replies; link the public status page instead."},
        {"id": "kb-status-001", "score": 0.633, "content": "Public status page: https://status.northwind.example"},
    ])
    r.tool(1250, 1980, "create_ticket", "call_Vb2mK7dQs4Pn",
           {"severity": "P1", "customer": "veloce-retail", "summary": "All store dashboards time out since 07:40 CET"},
           {"ticket_id": "INC-8812", "severity": "P1", "on_call_paged": True})
    reply = (
        "Hi Marco,\n\nThank you for reporting this so quickly. I've opened a P1 incident (INC-8812) and our on-call "
        "engineers have been paged; they are looking into the query timeouts now. You can follow live updates on "
        "https://status.northwind.example, and I'll call you on +39 02 5550 1234 within the next 15 minutes with "
        "what we know.\n\nSam"
    )
    r.chat(2000, 6480, "gpt-4o", "gpt-4o-2024-08-06", SYSTEM_DRAFT, [
        text_msg("user", email),
        text_msg("user", "Runbook: P1, reply within 15 minutes with ticket number, link status page, no root-cause guesses. Ticket INC-8812 created, on-call paged."),
    ], reply, (655, 118), temperature=0.3)
    r.finish(6560, "urgent")
    processor.force_flush()

    # ---- 5. reschedule request: calendar tool times out -> error trace ----
    email = (
        "From: Dana Whitfield <dana.whitfield@acme-logistics.example>\nSubject: Re: Contract renewal before the 30th\n\n"
        "Hi Sam,\n\nSorry, something came up on Thursday. Could we move our call to Monday or Tuesday next week, "
        "ideally before lunch? Procurement agreed to extend the decision deadline by a few days.\n\nBest,\nDana"
    )
    r = Run(agent, llm, Clock(BASE_NS + 263 * 60 * 10**9, 15), "conv_7Hq2xZ0Lb4Rt", "msg_0005")
    plan_call = {"id": "call_Pw9sL4cNf6Bz", "name": "search_calendar", "arguments": {"query": "30 min, Mon-Tue before 12:00", "days": 7}}
    r.chat(60, 1640, "gpt-4o", "gpt-4o-2024-08-06", SYSTEM_DRAFT, [text_msg("user", email)],
           None, (447, 31), temperature=0.2, finish_reason="tool_calls", tool_call=plan_call)
    r.tool(1660, 6690, "search_calendar", plan_call["id"], plan_call["arguments"], fail=True)
    r.finish(6740, "needs_reply", error="tool search_calendar failed: calendar backend timed out")
    processor.force_flush()

    provider.shutdown()
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
