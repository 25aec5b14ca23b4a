#!/usr/bin/env python3
"""A simulated email assistant that follows Assay's runner protocol, traced with the real
OpenTelemetry Python SDK (no Assay code).

    .venv/bin/python examples/agents/email_assistant.py [--persistent] [--openai]
        [--fail-mode crash|hang|garbage|nospans|transient-once] [--trivial]
        [--retries N | --client-retries N] [--checkpoint] [--idempotency-keys] [--answer-failures]
        [--tool-timeout SECONDS]

With --openai, its two model calls (triage, draft) go through the real `openai` client to
OPENAI_BASE_URL (the model gateway of `assay run`, docs/gateway.md) with OPENAI_API_KEY; it then
exports no chat span of its own (the gateway records the calls), and acts at the quality of the model
that answered. Each call carries `assay_sim_answers`, what each simulated model would answer, which
the simulated provider picks from; a real model ignores it.

It reads the scenarios from scenarios.json next to this file (generated from the Swift agent's
table, Sources/ExampleAgent/Scenarios.swift) and makes the same seeded decisions as the Swift agent,
so both agents give the same outputs for the same example id, tier and ASSAY_SEED.

With EMAIL_TOOLS_URL set (the runner's tool proxy, docs/resilience.md), the agent also has side
effects through an HTTP tool: POST /tickets and POST /actions after triage, POST /outbox after the
draft. --retries N wraps the provider and tool calls in a retry wrapper (Retry-After, else backoff with
jitter); --client-retries N instead lets the openai client retry by itself. --checkpoint keeps which
side effects are done in a file keyed by ASSAY_CELL_ID, so that an agent the runner restarts in the
middle of a cell (ASSAY_RESTART=1) does not repeat them; --idempotency-keys sends an Idempotency-Key
with each instead. --answer-failures answers an honest "Sorry, ..." when it cannot finish, instead of
exiting non-zero.

Spans go where the SDK's OTLP/HTTP exporter sends them (OTEL_EXPORTER_OTLP_ENDPOINT, protobuf);
without an endpoint but with ASSAY_TRACE_FILE, one OTLP/JSON line per cell is appended to that file.
The parent is the runner's span, taken from TRACEPARENT by the W3C TraceContext propagator.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import math
import os
import random
import sys
import tempfile
import time
import urllib.error
import urllib.request

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


def safe(text: str, limit: int = 300) -> str:
    """Text fit for one line of an error message (DisplayFormat.safe): control and bidi characters
    escaped, at most `limit` characters."""
    out = []
    for ch in text[:limit]:
        v = ord(ch)
        unsafe = v < 0x20 or v == 0x7F or 0x80 <= v <= 0x9F or 0x202A <= v <= 0x202E or 0x2066 <= v <= 0x2069 \
            or v in (0x200E, 0x200F, 0x061C)
        out.append(f"\\u{{{v:x}}}" if unsafe else ch)
    return "".join(out) + ("\u2026" if len(text) > limit else "")


class Options:
    """The resilience flags (docs/resilience.md)."""
    retries = 0            # --retries N: the agent's own retry wrapper around provider and tool calls
    client_retries = 0     # --client-retries N: the openai client's own retries instead
    checkpoint = False     # --checkpoint: skip side effects already done before a restart
    idempotency_keys = False  # --idempotency-keys: an Idempotency-Key on each side effect
    answer_failures = False   # --answer-failures: an honest answer instead of a non-zero exit
    tool_timeout = 5.0     # --tool-timeout SECONDS


def retry_wait(attempt: int, headers) -> float:
    """Retry-After (or retry-after-ms) when the answer gives one, else backoff with jitter; at most 20 s."""
    if headers is not None:
        try:
            ms = headers.get("retry-after-ms")
            if ms is not None:
                return min(20.0, float(ms) / 1000)
            after = headers.get("retry-after")
            if after is not None:
                return min(20.0, float(after))
        except (TypeError, ValueError):
            pass
    return min(20.0, 0.25 * 2 ** attempt * random.uniform(0.75, 1.0))


def with_retries(call, retryable):
    """Runs call(); retries up to Options.retries times while retryable(error) gives (True, headers)."""
    attempt = 0
    while True:
        try:
            return call()
        except Exception as e:  # noqa: BLE001 - the predicate decides
            again, headers = retryable(e)
            if not again or attempt >= Options.retries:
                raise
            time.sleep(retry_wait(attempt, headers))
            attempt += 1


class ToolError(Exception):
    def __init__(self, message: str, status: int | None, headers=None) -> None:
        super().__init__(message)
        self.status = status
        self.headers = headers


class Tools:
    """The side effects through EMAIL_TOOLS_URL (the runner's tool proxy), with the checkpoint."""

    STEPS = {1: "/tickets", 2: "/actions", 3: "/outbox"}
    current = None  # the cell's, while it runs

    def __init__(self, base: str, cell_id: str, restart: int) -> None:
        self.base = base.rstrip("/")
        self.cell_id = cell_id
        folder = os.environ.get("ASSAY_CHECKPOINT_DIR") or os.path.join(tempfile.gettempdir(), "assay-example-checkpoints")
        self.path = os.path.join(folder, hashlib.sha256(cell_id.encode()).hexdigest()[:32] + ".json")
        self.done: dict = {}
        if Options.checkpoint:
            os.makedirs(folder, exist_ok=True)
            if restart >= 1:
                try:
                    with open(self.path, encoding="utf-8") as f:
                        self.done = json.load(f)
                except (OSError, ValueError):
                    self.done = {}
            else:
                try:
                    os.remove(self.path)  # a stale checkpoint of an earlier run of this cell
                except OSError:
                    pass

    def post(self, step: int, body: dict, traceparent: str) -> None:
        """One side effect; skipped when the checkpoint says it is done. Raises AgentError on failure."""
        if str(step) in self.done:
            return
        data = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
        headers = {"Content-Type": "application/json", "traceparent": traceparent}
        if Options.idempotency_keys:
            headers["Idempotency-Key"] = hashlib.sha256(f"{self.cell_id}|{step}".encode()).hexdigest()

        def call():
            request = urllib.request.Request(self.base + self.STEPS[step], data=data, headers=headers, method="POST")
            try:
                with urllib.request.urlopen(request, timeout=Options.tool_timeout) as response:
                    answer = response.read()
            except urllib.error.HTTPError as e:
                raise ToolError(f"the email tool answered HTTP {e.code}", e.code, e.headers) from None
            except (urllib.error.URLError, OSError, http.client.HTTPException) as e:
                raise ToolError(f"the email tool failed: {type(e).__name__}", None) from None
            try:
                json.loads(answer)
            except ValueError:
                raise ToolError("the email tool's answer is not JSON", None) from None

        def retryable(e):
            if not isinstance(e, ToolError):
                return False, None
            return (e.status is None or e.status == 429 or e.status >= 500), e.headers

        try:
            with_retries(call, retryable)
        except ToolError as e:
            raise AgentError(str(e), transient=e.status is None or e.status == 429 or e.status >= 500) from None
        if Options.checkpoint:
            self.done[str(step)] = True
            tmp = self.path + ".tmp"
            with open(tmp, "w", encoding="utf-8") as f:
                json.dump(self.done, f)
            os.replace(tmp, self.path)


def tools_for(request: dict):
    """The cell's tools, made once per cell (run_cell resets them): the checkpoint is read once."""
    base = os.environ.get("EMAIL_TOOLS_URL")
    if not base:
        return None
    if Tools.current is None:
        Tools.current = Tools(base, request.get("cell_id") or request["id"], request.get("restart") or 0)
    return Tools.current


class GatewayChat:
    """--openai: the agent's two model calls through the real `openai` client, to OPENAI_BASE_URL (the
    model gateway of `assay run`) with OPENAI_API_KEY. The same calls as the Swift agent's --gateway
    mode (Sources/ExampleAgent/GatewayChat.swift)."""

    MODEL = "gpt-4o-mini"  # what the agent asks for; the gateway rewrites it to the tier's model
    _client = None  # one client per process: in persistent mode the worker's key stays the same

    @classmethod
    def from_environment(cls) -> "GatewayChat":
        """Checked for each cell, as the Swift agent does; an error when OPENAI_BASE_URL is not set."""
        if not os.environ.get("OPENAI_BASE_URL"):
            raise AgentError("--openai: OPENAI_BASE_URL is not set (assay run sets it when the suite's tiers have a "
                             "sim-* model or an upstream)")
        if cls._client is None:
            try:
                import openai  # only in this mode: the plain agent needs no openai package
            except ImportError:
                raise AgentError("--openai: the openai package is not installed (pip install openai)") from None
            try:
                # Reads OPENAI_BASE_URL and OPENAI_API_KEY. No retries of its own: as with the Swift agent,
                # a 429, 5xx or lost connection ends the cell as transient and the suite's retries: decide.
                # --client-retries N: the client's own retries (429, 5xx, lost connections, with its backoff).
                cls._client = openai.OpenAI(max_retries=Options.client_retries, timeout=120.0)
            except openai.OpenAIError as e:
                raise AgentError(f"--openai: {safe(str(e))}") from None
        return cls()

    def complete(self, instructions: str, messages: list[str], answers: dict, temperature: float, traceparent: str):
        """One chat completion; returns (text, model that answered). Errors never quote the prompt."""
        import openai

        def create():
            return self._client.chat.completions.create(
                model=self.MODEL,
                messages=[{"role": "system", "content": instructions}] + [{"role": "user", "content": m} for m in messages],
                temperature=temperature,
                # What each simulated model answers (the simulated provider picks its model's); a real
                # model never sees it: the gateway removes it before any upstream.
                extra_body={"assay_sim_answers": dict(sorted(answers.items()))},
                # The gateway's span of this call goes under the agent's span.
                extra_headers={"traceparent": traceparent})

        def retryable(e):
            if isinstance(e, openai.APIStatusError):
                return e.status_code == 429 or e.status_code >= 500, getattr(e.response, "headers", None)
            return isinstance(e, openai.APIConnectionError), None  # APITimeoutError included

        try:
            response = with_retries(create, retryable)
        except openai.APIStatusError as e:  # RateLimitError and InternalServerError included
            status = e.status_code
            body = e.body if isinstance(e.body, dict) else {}
            message = body.get("message") if isinstance(body.get("message"), str) else f"HTTP {status}"
            raise AgentError(f"the model call answered {status}: {safe(message)}", transient=status == 429 or status >= 500) from None
        except openai.APIConnectionError as e:  # APITimeoutError included
            raise AgentError(f"the model call failed: {safe(str(e))}", transient=True) from None
        except openai.OpenAIError as e:
            raise AgentError(f"the model call failed: {type(e).__name__}") from None
        try:
            content = response.choices[0].message.content
        except (AttributeError, IndexError, TypeError):
            content = None
        if not isinstance(content, str):
            raise AgentError("the model's answer has no message content")
        model = getattr(response, "model", None)
        return content, model if isinstance(model, str) and model else self.MODEL


def quality_tier(model: str, tier: str) -> str:
    """The quality of the model called (Tier.quality in Quality.swift): sim-low, sim-mid and sim-frontier
    have their tier's whatever tier the runner names, as a real agent's quality follows its model; another
    model keeps the runner's tier."""
    return model[4:] if model.startswith("sim-") and model[4:] in TIERS else tier


class Agent:
    def __init__(self, tracer, request: dict, gateway: GatewayChat | None = None) -> None:
        self.tracer = tracer
        self.req = request
        self.dice = Dice(request["id"], request["tier"], request["seed"])
        self.gateway = gateway

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

    def triage_decision(self, scenario: dict) -> dict:
        label = decide_label(scenario["label"], self.dice)
        if label == scenario["label"]:
            return {"label": label, "reason": scenario["reason"], "next_action": scenario["next_action"]}
        return {"label": label, "reason": GENERIC[label][0], "next_action": GENERIC[label][1]}

    def triage(self, ctx, email: str, scenario: dict) -> dict:
        decision = self.triage_decision(scenario)
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

    def draft_input(self, scenario: dict, docs: list[dict], call):
        """The drafting call's context message, and the reply this tier writes."""
        context = "Policy notes:\n" + "\n".join(f"- [{d['id']}] {d['content']}" for d in docs)
        if call:
            context += f"\nTool {call['name']}({j(call['arguments'])}) returned {j(call['result'])}"
        return context, decide_reply(scenario["reply"], self.dice)

    def draft(self, ctx, email: str, scenario: dict, docs: list[dict], call) -> str:
        context, reply = self.draft_input(scenario, docs, call)
        self.chat(ctx, DATA["draft_instructions"], [email, context], reply, 0.4)
        return reply

    def side_effects_before_draft(self, label: str, call, traceparent: str) -> None:
        """With EMAIL_TOOLS_URL: tool call 1 opens a ticket, tool call 2 performs the decided action."""
        tools = tools_for(self.req)
        if tools is None:
            return
        tools.post(1, {"example": self.req["id"], "label": label}, traceparent)
        action = {"tool": call["name"], "arguments": call["arguments"]} if call else {"tool": "none", "arguments": {}}
        tools.post(2, action, traceparent)

    def side_effect_after_draft(self, reply: str, traceparent: str) -> None:
        """With EMAIL_TOOLS_URL: tool call 3 sends the reply."""
        tools = tools_for(self.req)
        if tools is not None:
            tools.post(3, {"example": self.req["id"], "reply": reply}, traceparent)

    def run_through_gateway(self, ctx, email: str, scenario: dict) -> str:
        """The whole agent, its two model calls through the gateway; no chat span of its own."""
        with self.tracer.start_as_current_span("invoke_agent email_assistant", context=ctx, kind=SpanKind.INTERNAL) as root:
            inner = set_span_in_context(root)
            sc = root.get_span_context()
            traceparent = f"00-{sc.trace_id:032x}-{sc.span_id:016x}-01"
            # Triage: what each simulated model would answer; the model that answers picks its own.
            answers = {f"sim-{t}": j(Agent(self.tracer, dict(self.req, tier=t)).triage_decision(scenario)) for t in TIERS}
            time.sleep(TIERS[self.req["tier"]]["llm_latency_ms"] / 1000)
            first, model = self.gateway.complete(DATA["triage_instructions"], [email], answers, 0.0, traceparent)
            # From here on the agent acts at the quality of the model that answered.
            tier = quality_tier(model, self.req["tier"])
            me = Agent(self.tracer, dict(self.req, tier=tier, model=model), self.gateway)
            try:
                label = json.loads(first)["label"]
            except (ValueError, KeyError, TypeError):
                label = None
            label = label if isinstance(label, str) else "unknown"
            docs = me.retrieve(inner, email)
            call = me.call_tool(inner, scenario)
            me.side_effects_before_draft(label, call, traceparent)
            context, ideal = me.draft_input(scenario, docs, call)
            time.sleep(TIERS[tier]["llm_latency_ms"] / 1000)
            reply, _ = self.gateway.complete(DATA["draft_instructions"], [email, context], {model: ideal}, 0.4, traceparent)
            me.side_effect_after_draft(reply, traceparent)
            root.set_attributes({
                "gen_ai.operation.name": "invoke_agent",
                "gen_ai.agent.name": "email_assistant",
                "gen_ai.request.model": GatewayChat.MODEL,
                "gen_ai.response.model": model,
                "input.value": email,
                "output.value": reply,
                "app.triage.label": label,
                "app.scenario": scenario["key"],
                "assay.example.id": self.req["id"],
            })
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
        if self.gateway is not None:
            return self.run_through_gateway(ctx, email, scenario)
        with self.tracer.start_as_current_span("invoke_agent email_assistant", context=ctx, kind=SpanKind.INTERNAL) as root:
            inner = set_span_in_context(root)
            decision = self.triage(inner, email, scenario)
            docs = self.retrieve(inner, email)
            call = self.call_tool(inner, scenario)
            sc = root.get_span_context()
            traceparent = f"00-{sc.trace_id:032x}-{sc.span_id:016x}-01"
            self.side_effects_before_draft(decision["label"], call, traceparent)
            reply = self.draft(inner, email, scenario, docs, call)
            self.side_effect_after_draft(reply, traceparent)
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


def run_cell(request: dict, fail_mode: str | None, trivial: bool, through_openai: bool = False):
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
    request = dict(request, tier=quality_tier(request["model"], request["tier"]))
    FailingFlag.failed = False
    Tools.current = None
    provider = make_provider(export=fail_mode != "nospans")
    tracer = provider.get_tracer("email_assistant.agent", "0.5.0")
    ctx = propagate.extract({"traceparent": request["traceparent"]}) if request.get("traceparent") else None
    try:
        if trivial:
            with tracer.start_as_current_span("trivial", context=ctx, kind=SpanKind.INTERNAL) as span:
                span.set_attributes({"gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "trivial"})
            output = "ok"
        else:
            gateway = GatewayChat.from_environment() if through_openai else None
            output = Agent(tracer, request, gateway).run(ctx)
    except AgentError as e:
        provider.shutdown()
        if Options.answer_failures and not trivial:
            # An honest answer: it says what failed, and invents nothing.
            return "output", f"Sorry, I could not finish this reply: {e}."
        return "error", e
    provider.shutdown()  # flushes: every span is exported before the answer
    if FailingFlag.failed:
        return "error", AgentError("trace export failed", transient=True)
    return "output", output


def default_id(value) -> str:
    return hashlib.sha256(j(value).encode()).hexdigest()[:16]


def main(argv: list[str]) -> int:
    persistent = "--persistent" in argv
    through_openai = "--openai" in argv
    trivial = "--trivial" in argv
    fail_mode = argv[argv.index("--fail-mode") + 1] if "--fail-mode" in argv else None
    try:
        for flag, name, kind in (("--retries", "retries", int), ("--client-retries", "client_retries", int), ("--tool-timeout", "tool_timeout", float)):
            if flag in argv:
                value = kind(argv[argv.index(flag) + 1])
                if value < 0:
                    raise ValueError
                setattr(Options, name, value)
    except (IndexError, ValueError):
        print("--retries and --client-retries take a whole number, --tool-timeout seconds, 0 or more", file=sys.stderr)
        return 64
    Options.checkpoint = "--checkpoint" in argv
    Options.idempotency_keys = "--idempotency-keys" in argv
    Options.answer_failures = "--answer-failures" in argv
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
                   "component": os.environ.get("ASSAY_COMPONENT") or None, "seed": seed,
                   "cell_id": os.environ.get("ASSAY_CELL_ID"), "restart": int(os.environ.get("ASSAY_RESTART") or 0)}
        kind, result = run_cell(request, fail_mode, trivial, through_openai)
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
                       "component": r.get("component"), "seed": seed,
                       "cell_id": r.get("cell_id"), "restart": int(r.get("restart") or 0)}
            kind, result = run_cell(request, fail_mode, trivial, through_openai)
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
