#!/usr/bin/env python3
"""A simulated email assistant that follows Assay's runner protocol, traced with the real
OpenTelemetry Python SDK (no Assay code).

    .venv/bin/python examples/agents/email_assistant.py [--persistent]
        [--fail-mode crash|hang|garbage|nospans|transient-once] [--trivial]

It reads the scenarios from scenarios.json next to this file (generated from the Swift agent's
table, Sources/ExampleAgent/Scenarios.swift) and makes the same seeded decisions as the Swift agent,
so both agents give the same outputs for the same example id, tier and ASSAY_SEED.

Spans go where the SDK's OTLP/HTTP exporter sends them (OTEL_EXPORTER_OTLP_ENDPOINT, protobuf);
without an endpoint but with ASSAY_TRACE_FILE, one OTLP/JSON line per cell is appended to that file.
The parent is the runner's span, taken from TRACEPARENT by the W3C TraceContext propagator.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import sys
import tempfile
import time

from opentelemetry import propagate
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExporter, SpanExportResult
from opentelemetry.trace import SpanKind, set_span_in_context

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = json.load(open(os.path.join(HERE, "scenarios.json"), encoding="utf-8"))
SCENARIOS = DATA["scenarios"]
KB = DATA["knowledge_base"]
STOPWORDS = set(DATA["stopwords"])
TIERS = DATA["tiers"]
FILLERS = DATA["fillers"]
LABELS = ["urgent", "needs_reply", "fyi"]
MASK = (1 << 64) - 1
EX_TEMPFAIL = 75


class AgentError(Exception):
    def __init__(self, message: str, transient: bool = False) -> None:
        super().__init__(message)
        self.transient = transient


def j(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


# ---- seeded decisions: the same computation as Sources/ExampleAgent/Quality.swift ----

class SplitMix64:
    def __init__(self, seed: int) -> None:
        self.state = seed & MASK

    def next(self) -> int:
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def unit(self) -> float:
        return (self.next() >> 11) * 2.0 ** -53


class Dice:
    def __init__(self, example_id: str, tier: str, seed: str) -> None:
        self.example_id, self.tier, self.seed = example_id, tier, seed

    def _gen(self, step: str, tier: str) -> SplitMix64:
        digest = hashlib.sha256(f"{self.example_id}|{tier}|{self.seed}|{step}".encode()).digest()
        return SplitMix64(int.from_bytes(digest[:8], "big"))

    def difficulty(self, step: str) -> SplitMix64:
        return self._gen(step, "*")

    def choice(self, step: str) -> SplitMix64:
        return self._gen(step, self.tier)


def decide_label(right: str, dice: Dice) -> str:
    d, c = dice.difficulty("triage"), dice.choice("triage")
    if d.unit() < TIERS[dice.tier]["triage_accuracy"]:
        return right
    others = [label for label in LABELS if label != right]
    return others[c.next() % len(others)]


def decide_tool(scenario: dict, dice: Dice):
    d, c = dice.difficulty("tools"), dice.choice("tools")
    right = d.unit() < TIERS[dice.tier]["tool_accuracy"]
    tool = scenario["tool"]
    if tool is None:
        return None if right else {"name": "archive_email", "arguments": {"label": "misc"}, "result": {"archived": True, "label": "misc"}}
    if right:
        return {"name": tool["name"], "arguments": tool["arguments"], "result": tool["result"]}
    if c.next() % 2 == 0:
        return {"name": tool["name"], "arguments": tool["wrong_arguments"], "result": {"error": "not found"}}
    return None


def sentences(paragraph: str) -> list[str]:
    out, current, previous = [], "", " "
    for ch in paragraph:
        if ch == " " and previous in ".!?":
            out.append(current)
            current = ""
        else:
            current += ch
        previous = ch
    if current:
        out.append(current)
    return out


def decide_reply(ideal: str, dice: Dice) -> str:
    d, c = dice.difficulty("reply"), dice.choice("reply")
    drop, alter = TIERS[dice.tier]["reply_drop"], TIERS[dice.tier]["reply_alter"]
    paragraphs = ideal.split("\n\n")
    if len(paragraphs) <= 2:
        return ideal
    out = [paragraphs[0]]
    for paragraph in paragraphs[1:-1]:
        kept = []
        for sentence in sentences(paragraph):
            u = d.unit()
            if u < drop:
                continue
            kept.append(FILLERS[c.next() % len(FILLERS)] if u < drop + alter else sentence)
        if kept:
            out.append(" ".join(kept))
    out.append(paragraphs[-1])
    return "\n\n".join(out)


# ---- keyword retrieval: the same on every tier (Sources/ExampleAgent/KnowledgeBase.swift) ----

def words(text: str) -> list[str]:
    out, seen, current = [], set(), ""
    for ch in text + " ":
        if ch.isascii() and ch.isalnum():
            current += ch.lower()
            continue
        if len(current) >= 4 and current not in STOPWORDS and current not in seen:
            seen.add(current)
            out.append(current)
        current = ""
    return out


def query_for(email: str) -> str:
    lines = [line for line in email.split("\n") if not line.lower().startswith("from:")]
    return " ".join(words("\n".join(lines)))


def search(query: str) -> list[dict]:
    q = set(query.split(" "))
    scored = []
    for doc in KB:
        d = words(doc["content"])
        hits = sum(1 for w in d if w in q)
        if hits:
            scored.append({"id": doc["id"], "content": doc["content"],
                           "score": math.floor(hits / math.sqrt(len(d)) * 1000 + 0.5) / 1000})
    scored.sort(key=lambda r: (-r["score"], r["id"]))
    return scored[: DATA["top_k"]]


FALLBACK = {"key": "unknown", "label": "needs_reply", "reason": "The sender seems to expect an answer.",
            "next_action": "draft a reply", "documents": [], "tool": None,
            "reply": "Hi,\n\nThank you for your email. I will look into it and get back to you shortly.\n\nBest,\nSam"}
GENERIC = {"urgent": ("The message sounds time-critical.", "escalate now"),
           "needs_reply": ("The sender seems to expect an answer.", "draft a reply"),
           "fyi": ("Informational, nothing to do.", "archive")}


def find_scenario(email: str) -> dict:
    subject = ""
    for line in email.split("\n"):
        if line.lower().startswith("subject:"):
            subject = line[8:].strip().lower()
            break
    for s in SCENARIOS:
        if subject and s["subject"].lower() == subject:
            return s
    hay = subject or email.lower()
    return next((s for s in SCENARIOS if s["subject"].lower() in hay), FALLBACK)


# ---- tracing ----

class JSONLinesExporter(SpanExporter):
    """Appends one OTLP/JSON line per export to a file (ASSAY_TRACE_FILE)."""

    def __init__(self, path: str) -> None:
        self.path = path

    def export(self, spans) -> SpanExportResult:
        from opentelemetry.exporter.otlp.json.common.trace_encoder import encode_spans
        with open(self.path, "a", encoding="utf-8") as f:
            f.write(encode_spans(spans).to_json().replace("\n", "") + "\n")
        return SpanExportResult.SUCCESS

    def shutdown(self) -> None:
        pass


class FailingFlag:
    """Remembers whether an export failed, so that the cell can report it."""
    failed = False


def make_provider(export: bool) -> TracerProvider:
    provider = TracerProvider(resource=Resource.create({"service.name": "email-assistant", "service.version": "0.5.0"}))
    if not export:
        return provider
    if os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT"):
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        exporter = OTLPSpanExporter()  # reads OTEL_EXPORTER_OTLP_ENDPOINT and appends /v1/traces
    elif os.environ.get("ASSAY_TRACE_FILE"):
        exporter = JSONLinesExporter(os.environ["ASSAY_TRACE_FILE"])
    else:
        return provider

    class Checked(SpanExporter):
        def export(self, spans):
            result = exporter.export(spans)
            if result != SpanExportResult.SUCCESS:
                FailingFlag.failed = True
            return result

        def shutdown(self):
            exporter.shutdown()

    # Simple (synchronous) processor: a span is exported, and the collector has answered, when it ends.
    provider.add_span_processor(SimpleSpanProcessor(Checked()))
    return provider


def message(role: str, text: str, finish_reason: str | None = None) -> dict:
    m = {"role": role, "parts": [{"type": "text", "content": text}]}
    if finish_reason:
        m["finish_reason"] = finish_reason
    return m


class Agent:
    def __init__(self, tracer, request: dict) -> None:
        self.tracer = tracer
        self.req = request
        self.dice = Dice(request["id"], request["tier"], request["seed"])

    def chat(self, ctx, instructions: str, messages: list[str], output: str, temperature: float) -> None:
        model = self.req["model"]
        with self.tracer.start_as_current_span(f"chat {model}", context=ctx, kind=SpanKind.CLIENT) as span:
            time.sleep(TIERS[self.req["tier"]]["llm_latency_ms"] / 1000)
            input_tokens = (len(instructions.encode()) + sum(len(m.encode()) for m in messages)) // 4 + 4 * len(messages) + 3
            span.set_attributes({
                "gen_ai.operation.name": "chat",
                "gen_ai.provider.name": "openai",
                "gen_ai.request.model": model,
                "gen_ai.request.temperature": temperature,
                "gen_ai.response.model": model,
                "gen_ai.response.id": f"chatcmpl-{span.get_span_context().span_id:016x}",
                "gen_ai.response.finish_reasons": ["stop"],
                "gen_ai.usage.input_tokens": input_tokens,
                "gen_ai.usage.output_tokens": max(1, len(output.encode()) // 4),
                "gen_ai.system_instructions": j([{"type": "text", "content": instructions}]),
                "gen_ai.input.messages": j([message("user", m) for m in messages]),
                "gen_ai.output.messages": j([message("assistant", output, "stop")]),
            })

    def triage(self, ctx, email: str, scenario: dict) -> dict:
        label = decide_label(scenario["label"], self.dice)
        if label == scenario["label"]:
            decision = {"label": label, "reason": scenario["reason"], "next_action": scenario["next_action"]}
        else:
            decision = {"label": label, "reason": GENERIC[label][0], "next_action": GENERIC[label][1]}
        self.chat(ctx, DATA["triage_instructions"], [email], j(decision), 0.0)
        return decision

    def retrieve(self, ctx, email: str) -> list[dict]:
        query = query_for(email)
        with self.tracer.start_as_current_span("retrieval kb", context=ctx, kind=SpanKind.CLIENT) as span:
            time.sleep(0.001)
            docs = search(query)
            attributes = {
                "gen_ai.operation.name": "retrieval",
                "gen_ai.data_source.id": "kb",
                "gen_ai.request.top_k": DATA["top_k"],
                "gen_ai.retrieval.query.text": query,
                "openinference.span.kind": "RETRIEVER",
                "input.value": query,
            }
            for i, d in enumerate(docs):
                attributes[f"retrieval.documents.{i}.document.id"] = d["id"]
                attributes[f"retrieval.documents.{i}.document.score"] = d["score"]
                attributes[f"retrieval.documents.{i}.document.content"] = d["content"]
            span.set_attributes(attributes)
        return docs

    def call_tool(self, ctx, scenario: dict):
        call = decide_tool(scenario, self.dice)
        if call is None:
            return None
        with self.tracer.start_as_current_span(f"execute_tool {call['name']}", context=ctx, kind=SpanKind.INTERNAL) as span:
            time.sleep(0.001)
            span.set_attributes({
                "gen_ai.operation.name": "execute_tool",
                "gen_ai.tool.name": call["name"],
                "gen_ai.tool.call.id": f"call_{span.get_span_context().span_id:016x}"[:17],
                "gen_ai.tool.type": "function",
                "gen_ai.tool.call.arguments": j(call["arguments"]),
                "gen_ai.tool.call.result": j(call["result"]),
            })
        return call

    def draft(self, ctx, email: str, scenario: dict, docs: list[dict], call) -> str:
        context = "Policy notes:\n" + "\n".join(f"- [{d['id']}] {d['content']}" for d in docs)
        if call:
            context += f"\nTool {call['name']}({j(call['arguments'])}) returned {j(call['result'])}"
        reply = decide_reply(scenario["reply"], self.dice)
        self.chat(ctx, DATA["draft_instructions"], [email, context], reply, 0.4)
        return reply

    def run(self, ctx):
        inp = self.req["input"]
        email = inp if isinstance(inp, str) else next(
            (inp.get(k) for k in ("email", "input", "text") if isinstance(inp, dict) and isinstance(inp.get(k), str)), None)
        if email is None:
            raise AgentError("input: expected a JSON string holding an email")
        scenario = find_scenario(email)
        component = self.req.get("component")
        if component == "triage":
            return self.triage(ctx, email, scenario)
        if component == "retrieval":
            return [d["id"] for d in self.retrieve(ctx, email)]
        if component == "tools":
            call = self.call_tool(ctx, scenario)
            return [] if call is None else [{"arguments": call["arguments"], "name": call["name"]}]
        if component == "reply":
            tool = scenario["tool"]
            return self.draft(ctx, email, scenario, search(query_for(email)),
                              None if tool is None else {"name": tool["name"], "arguments": tool["arguments"], "result": tool["result"]})
        if component:
            raise AgentError("component: expected triage, retrieval, tools or reply")
        with self.tracer.start_as_current_span("invoke_agent email_assistant", context=ctx, kind=SpanKind.INTERNAL) as root:
            inner = set_span_in_context(root)
            decision = self.triage(inner, email, scenario)
            docs = self.retrieve(inner, email)
            call = self.call_tool(inner, scenario)
            reply = self.draft(inner, email, scenario, docs, call)
            root.set_attributes({
                "gen_ai.operation.name": "invoke_agent",
                "gen_ai.provider.name": "openai",
                "gen_ai.agent.name": "email_assistant",
                "gen_ai.agent.id": "asst_email_v5",
                "gen_ai.request.model": self.req["model"],
                "input.value": email,
                "output.value": reply,
                "app.triage.label": decision["label"],
                "app.scenario": scenario["key"],
                "assay.example.id": self.req["id"],
                "assay.tier": self.req["tier"],
            })
        return reply


# ---- the protocol ----

def first_time(example_id: str) -> bool:
    key = hashlib.sha256(f"{os.environ.get('ASSAY_RUN_ID', '')}|{example_id}".encode()).hexdigest()[:16]
    path = os.path.join(tempfile.gettempdir(), f"assay-example-agent-py-transient-{key}")
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
        return True
    except FileExistsError:
        return False


def run_cell(request: dict, fail_mode: str | None, trivial: bool):
    """Returns ("output", value), ("error", AgentError) or ("garbage", None)."""
    if fail_mode == "crash":
        os.abort()
    if fail_mode == "hang":
        while True:
            time.sleep(3600)
    if fail_mode == "garbage":
        return "garbage", None
    if fail_mode == "transient-once" and first_time(request["id"]):
        return "error", AgentError("simulated transient failure", transient=True)
    if request["tier"] not in TIERS:
        return "error", AgentError("tier: expected low, mid or frontier")
    # The simulated quality follows the model called, as a real agent's does: sim-low, sim-mid and
    # sim-frontier have the qualities of those tiers whatever tier the runner names; another model
    # keeps the tier's.
    if request["model"].startswith("sim-") and request["model"][4:] in TIERS:
        request = dict(request, tier=request["model"][4:])
    FailingFlag.failed = False
    provider = make_provider(export=fail_mode != "nospans")
    tracer = provider.get_tracer("email_assistant.agent", "0.5.0")
    ctx = propagate.extract({"traceparent": request["traceparent"]}) if request.get("traceparent") else None
    try:
        if trivial:
            with tracer.start_as_current_span("trivial", context=ctx, kind=SpanKind.INTERNAL) as span:
                span.set_attributes({"gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "trivial"})
            output = "ok"
        else:
            output = Agent(tracer, request).run(ctx)
    except AgentError as e:
        provider.shutdown()
        return "error", e
    provider.shutdown()  # flushes: every span is exported before the answer
    if FailingFlag.failed:
        return "error", AgentError("trace export failed", transient=True)
    return "output", output


def default_id(value) -> str:
    return hashlib.sha256(j(value).encode()).hexdigest()[:16]


def main(argv: list[str]) -> int:
    persistent = "--persistent" in argv
    trivial = "--trivial" in argv
    fail_mode = argv[argv.index("--fail-mode") + 1] if "--fail-mode" in argv else None
    if fail_mode not in (None, "crash", "hang", "garbage", "nospans", "transient-once"):
        print("--fail-mode: expected crash, hang, garbage, nospans or transient-once", file=sys.stderr)
        return 64
    seed = os.environ.get("ASSAY_SEED", DATA["default_seed"])
    if not persistent:
        try:
            value = json.loads(sys.stdin.read())
        except ValueError:
            print("email_assistant: stdin: expected one JSON value", file=sys.stderr)
            return 1
        tier = os.environ.get("ASSAY_TIER") or "mid"
        request = {"id": os.environ.get("ASSAY_EXAMPLE_ID") or default_id(value), "input": value, "tier": tier,
                   "model": os.environ.get("ASSAY_MODEL") or f"sim-{tier}", "traceparent": os.environ.get("TRACEPARENT"),
                   "component": os.environ.get("ASSAY_COMPONENT") or None, "seed": seed}
        kind, result = run_cell(request, fail_mode, trivial)
        if kind == "error":
            print(f"email_assistant: {result}", file=sys.stderr)
            return EX_TEMPFAIL if result.transient else 1
        sys.stdout.write("<<this is not JSON>>\n" if kind == "garbage" else j(result) + "\n")
        sys.stdout.flush()
        return 0
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            r = json.loads(line)
            if not isinstance(r, dict) or r.get("input") is None:
                raise ValueError
            tier = r.get("tier") or "mid"
            request = {"id": r.get("id") or default_id(r["input"]), "input": r["input"], "tier": tier,
                       "model": r.get("model") or f"sim-{tier}", "traceparent": r.get("traceparent"),
                       "component": r.get("component"), "seed": seed}
            kind, result = run_cell(request, fail_mode, trivial)
        except ValueError:
            kind, result = "error", AgentError("request: expected one JSON object with an input per line")
        if kind == "garbage":
            answer = "<<this is not JSON>>"
        elif kind == "error":
            answer = j({"error": str(result), "transient": result.transient})
        else:
            answer = j({"output": result})
        sys.stdout.write(answer + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
